package org.bicmr.onnx;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bicmr.codes.HashCode;
import org.bicmr.codes.ModelName;

/**
 * What a bundle's {@code manifest.json} says (DESIGN §5), checked field by field: every error names the bundle, the
 * field, its value and what was expected.
 *
 * @param name registry name: lower-case letters, digits, '_', '.', '-', starting with a letter or digit
 * @param version free text
 * @param bits code length l
 * @param created ISO-8601 creation time, as written
 * @param trainedOn the dataset the nets were trained on
 * @param image the image net
 * @param extractor the image feature extractor, or null when the bundle takes feature vectors only
 * @param text the text net
 * @param vocabulary file name of the text vocabulary (a bag-of-words text side), or null with a sentence encoder
 * @param tokenizer the bag of words' tokenizer name, or null with a sentence encoder
 * @param encoder the sentence encoder that makes the text net's input, or null for a bag of words
 * @param json the whole manifest, for what callers show (metrics, architecture)
 */
record BundleManifest(String name, String version, int bits, String created, String trainedOn, Net image,
    Extractor extractor, Net text, String vocabulary, String tokenizer, Encoder encoder, Map<String, String> sha256,
    JsonObject json) {
  static final int FORMAT = 1;

  /**
   * One hash net: {@code input[batch, dim] → output[batch, bits]}.
   *
   * @param file the ONNX file name
   * @param input the graph's input name
   * @param output the graph's output name
   * @param dim the input width
   * @param feature what the input vector is (image: free text; text: "bag of words")
   */
  record Net(String file, String input, String output, int dim, String feature) {}

  /**
   * The optional image feature extractor: {@code image[batch, 3, H, W] → features[batch, image.dim]}, fed by
   * {@code preprocessing} from encoded image bytes.
   *
   * @param file the ONNX file name ({@code image.extractor})
   * @param preprocessing how bytes become the extractor's input ({@code image.preprocessing})
   */
  record Extractor(String file, ImagePreprocessor preprocessing) {
    /** The extractor graph's input name. */
    static final String INPUT = "image";
    /** The extractor graph's output name. */
    static final String OUTPUT = "features";
  }

  /**
   * The sentence encoder of the text side ({@code text.encoder}): {@code model} and {@code tokenizer} are files of the
   * bundle or, when the bundle does not hold them, resources of the class path under the same names (the Maven
   * artifact that ships the model), checked against the manifest's checksums either way.
   *
   * @param name what the encoder is, e.g. "all-MiniLM-L6-v2 (int8)"
   * @param model the ONNX transformer's file name
   * @param tokenizer its HuggingFace {@code tokenizer.json}'s file name
   * @param maxTokens the longest input in word pieces (longer texts are cut)
   */
  record Encoder(String name, String model, String tokenizer, int maxTokens) {
    /** The pooling this version reads: the mean of the token states over the attention mask, then unit length. */
    static final String POOLING = "mean-normalized";
  }

  static BundleManifest parse(String bundle, byte[] bytes) throws InvalidBundleException {
    JsonObject m;
    try {
      JsonElement root = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8));
      if (!root.isJsonObject()) {
        throw new InvalidBundleException(bundle, "manifest.json must hold a JSON object");
      }
      m = root.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new InvalidBundleException(bundle, "manifest.json is not valid JSON: " + e.getMessage(), e);
    }
    Fields f = new Fields(bundle, m, "");
    int format = f.integer("format");
    if (format != FORMAT) {
      throw new InvalidBundleException(bundle, "format is " + format + ", this version reads format " + FORMAT);
    }
    String name = f.string("name");
    if (!ModelName.isValid(name)) {
      throw new InvalidBundleException(bundle, "name \"" + name + "\" must match " + ModelName.PATTERN);
    }
    int bits = f.integer("bits");
    try {
      HashCode.checkBits("bits", bits);
    } catch (IllegalArgumentException e) {
      throw new InvalidBundleException(bundle, e.getMessage());
    }
    Fields image = f.object("image");
    Fields text = f.object("text");
    Fields sums = f.object("sha256");
    Map<String, String> sha256 = new LinkedHashMap<>();
    for (var e : sums.json.entrySet()) {
      sha256.put(e.getKey(), sums.string(e.getKey()));
    }
    Encoder encoder = encoder(text);
    if (encoder == null) {
      return new BundleManifest(name, f.string("version"), bits, f.string("created"), f.string("trained_on"),
          net(image, image.string("feature")), extractor(image), net(text, "bag of words"),
          text.string("vocabulary"), text.string("tokenizer"), null, sha256, m);
    }
    if (text.json.has("vocabulary")) {
      throw new InvalidBundleException(bundle, "text has both an encoder and a vocabulary: give one");
    }
    return new BundleManifest(name, f.string("version"), bits, f.string("created"), f.string("trained_on"),
        net(image, image.string("feature")), extractor(image), net(text, encoder.name()), null, null, encoder,
        sha256, m);
  }

  private static Encoder encoder(Fields text) throws InvalidBundleException {
    if (!text.json.has("encoder")) {
      return null;
    }
    Fields e = text.object("encoder");
    String pooling = e.string("pooling");
    if (!Encoder.POOLING.equals(pooling)) {
      throw e.error("pooling", "\"" + pooling + "\"", "\"" + Encoder.POOLING + "\"");
    }
    int maxTokens = e.integer("max_tokens");
    if (maxTokens < 2) {
      throw e.error("max_tokens", maxTokens, "at least 2");
    }
    return new Encoder(e.string("name"), e.string("model"), e.string("tokenizer"), maxTokens);
  }

  private static Extractor extractor(Fields image) throws InvalidBundleException {
    if (!image.json.has("extractor") && !image.json.has("preprocessing")) {
      return null;
    }
    String file = image.string("extractor");
    Fields preprocessing = image.object("preprocessing");
    try {
      return new Extractor(file, ImagePreprocessor.fromManifest("image.preprocessing", preprocessing.json));
    } catch (IllegalArgumentException e) {
      throw new InvalidBundleException(image.bundle, e.getMessage());
    }
  }

  private static Net net(Fields f, String feature) throws InvalidBundleException {
    int dim = f.integer("dim");
    if (dim < 1) {
      throw f.error("dim", dim, "a positive width");
    }
    return new Net(f.string("file"), f.string("input"), f.string("output"), dim, feature);
  }

  /** Typed access to one JSON object's fields, with errors naming the field's full path. */
  private record Fields(String bundle, JsonObject json, String path) {
    private JsonPrimitive primitive(String field) throws InvalidBundleException {
      JsonElement e = json.get(field);
      if (e == null || e.isJsonNull()) {
        throw new InvalidBundleException(bundle, "manifest.json has no " + path + field);
      }
      if (!e.isJsonPrimitive()) {
        throw error(field, e, "a string or number");
      }
      return e.getAsJsonPrimitive();
    }

    String string(String field) throws InvalidBundleException {
      JsonPrimitive p = primitive(field);
      if (!p.isString() || p.getAsString().isBlank()) {
        throw error(field, p, "a non-empty string");
      }
      return p.getAsString();
    }

    int integer(String field) throws InvalidBundleException {
      JsonPrimitive p = primitive(field);
      if (!p.isNumber()) {
        throw error(field, p, "an integer");
      }
      double v = p.getAsDouble();
      if (v != Math.rint(v) || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
        throw error(field, p, "an integer");
      }
      return (int) v;
    }

    Fields object(String field) throws InvalidBundleException {
      JsonElement e = json.get(field);
      if (e == null || !e.isJsonObject()) {
        throw e == null ? new InvalidBundleException(bundle, "manifest.json has no " + path + field)
            : error(field, e, "an object");
      }
      return new Fields(bundle, e.getAsJsonObject(), path + field + ".");
    }

    InvalidBundleException error(String field, Object value, String expected) {
      return new InvalidBundleException(bundle, path + field + " is " + value + ", expected " + expected);
    }
  }
}
