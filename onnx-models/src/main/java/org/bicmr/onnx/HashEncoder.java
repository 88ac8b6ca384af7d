package org.bicmr.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.bicmr.codes.HashCode;

/**
 * Turns texts, image feature vectors and encoded images into codes with a bundle's nets: text → the bundle's text
 * features (a binary bag of words over its vocabulary, or a sentence encoder's vector) → text net; features → image net; PNG/JPEG bytes → the bundle's {@link ImagePreprocessor} →
 * feature extractor → image net (only when the bundle has an extractor); bit i of the code is 1 iff output i ≥ 0
 * (DESIGN §3). One at a time or in batches (a batch is one hash-net call per {@value #MAX_BATCH} items, one extractor
 * call per {@value #EXTRACTOR_BATCH} images). Thread-safe: every caller shares the bundle's sessions. Bad input —
 * null, empty text, text with no vocabulary word, NaN or infinite values, the wrong dimension, bytes that are not a
 * decodable PNG or JPEG of an accepted size — is an {@link IllegalArgumentException} naming the item and the value.
 */
public final class HashEncoder {
  /** Items per ONNX Runtime call. */
  public static final int MAX_BATCH = 1024;
  /** Images per feature-extractor call: their decoded tensors are held in memory together. */
  public static final int EXTRACTOR_BATCH = 16;

  private final String bundle;
  private final int bits;
  private final HashNet image;
  private final HashNet text;
  private final FeatureExtractor extractor;
  private final ImagePreprocessor preprocessor;
  private final TextFeatures vectorizer;

  HashEncoder(String bundle, int bits, HashNet image, HashNet text, FeatureExtractor extractor,
      TextFeatures vectorizer) {
    this(bundle, bits, image, text, extractor, extractor == null ? null : extractor.preprocessor(), vectorizer);
  }

  private HashEncoder(String bundle, int bits, HashNet image, HashNet text, FeatureExtractor extractor,
      ImagePreprocessor preprocessor, TextFeatures vectorizer) {
    this.bundle = bundle;
    this.bits = bits;
    this.image = image;
    this.text = text;
    this.extractor = extractor;
    this.preprocessor = preprocessor;
    this.vectorizer = vectorizer;
  }

  /**
   * This encoder with encoded images limited to {@code maxPixels} decoded pixels when that is below the bundle's
   * {@code image.preprocessing.max_pixels} (an application's cap on the memory one image may take); it shares the
   * bundle's sessions.
   */
  public HashEncoder withMaxPixels(long maxPixels) {
    if (maxPixels < 1) {
      throw new IllegalArgumentException("maxPixels must be at least 1, got " + maxPixels);
    }
    if (preprocessor == null || maxPixels >= preprocessor.maxPixels()) {
      return this;
    }
    return new HashEncoder(bundle, bits, image, text, extractor, new ImagePreprocessor(preprocessor.width(),
        preprocessor.height(), maxPixels), vectorizer);
  }

  /** The code length l. */
  public int bits() {
    return bits;
  }

  /** The code of one text. */
  public HashCode encodeText(String text) {
    return encodeTexts(List.of(Objects.requireNonNull(text, "text"))).get(0);
  }

  /** The codes of several texts, in order. */
  public List<HashCode> encodeTexts(List<String> texts) {
    return codes(textOutputs(texts));
  }

  /** The code of one image feature vector. */
  public HashCode encodeImage(float[] features) {
    return encodeImages(List.of(Objects.requireNonNull(features, "features"))).get(0);
  }

  /** The codes of several image feature vectors, in order. */
  public List<HashCode> encodeImages(List<float[]> features) {
    return codes(imageOutputs(features));
  }

  /** Whether this encoder takes encoded images (the bundle has an image feature extractor). */
  public boolean acceptsImageBytes() {
    return extractor != null;
  }

  /** The code of one encoded image (PNG or JPEG). */
  public HashCode encodeImageBytes(byte[] image) {
    return codes(imageOutputs(Arrays.asList(imageFeatures(List.of(Objects.requireNonNull(image, "image")))))).get(0);
  }

  /** The codes of several encoded images, in order. */
  public List<HashCode> encodeImageBytes(List<byte[]> images) {
    return codes(imageOutputs(Arrays.asList(imageFeatures(images))));
  }

  /**
   * The extractor's feature vectors of encoded images (PNG or JPEG), in order; an error names the image by its
   * position. Needs a bundle with an image feature extractor.
   */
  public float[][] imageFeatures(List<byte[]> images) {
    if (extractor == null) {
      throw new IllegalArgumentException("model [" + bundle + "] has no image feature extractor (image.extractor): "
          + "it takes image feature vectors, not image bytes");
    }
    checkBatch("images", images);
    int plane = 3 * preprocessor.height() * preprocessor.width();
    float[][] out = new float[images.size()][];
    int dim = image.dim();
    for (int from = 0; from < images.size(); from += EXTRACTOR_BATCH) {
      int n = Math.min(EXTRACTOR_BATCH, images.size() - from);
      float[] batch = new float[n * plane];
      for (int i = 0; i < n; i++) {
        String what = images.size() == 1 ? "image" : "images[" + (from + i) + "]";
        byte[] bytes = images.get(from + i);
        if (bytes == null) {
          throw new IllegalArgumentException(what + ": expected PNG or JPEG bytes, got null");
        }
        float[] pixels;
        try {
          pixels = preprocessor.pixels(bytes);
        } catch (IllegalArgumentException e) {
          String message = e.getMessage().startsWith("image: ") ? e.getMessage().substring(7) : e.getMessage();
          throw new IllegalArgumentException(what + ": " + message, e);
        }
        System.arraycopy(pixels, 0, batch, i * plane, plane);
      }
      float[] features = extractor.run(batch, n);
      for (int i = 0; i < n; i++) {
        out[from + i] = Arrays.copyOfRange(features, i * dim, (i + 1) * dim);
      }
    }
    return out;
  }

  /** The text net's tanh outputs for each text (before the sign). */
  public float[][] textOutputs(List<String> texts) {
    checkBatch("texts", texts);
    float[][] out = new float[texts.size()][];
    for (int from = 0; from < texts.size(); from += MAX_BATCH) {
      int n = Math.min(MAX_BATCH, texts.size() - from);
      int offset = from;
      float[] batch = textFeatures(texts.subList(from, from + n),
          i -> texts.size() == 1 ? "text" : "texts[" + (offset + i) + "]");
      split(text.run(batch, n), n, out, from);
    }
    return out;
  }

  /**
   * The text net's input vectors of {@code texts} (row-major, {@link #textDim()} each): their bags of words, or their
   * sentence encodings; an error names the text by {@code label}.
   */
  float[] textFeatures(List<String> texts, java.util.function.IntFunction<String> label) {
    return vectorizer.features(texts, label);
  }

  /**
   * Which words of {@code text} the text side reads: the vocabulary's tokens found in it and the ignored ones for a
   * bag-of-words bundle ("a giraffe on the beach" reads only "beach"), every word for a sentence encoder.
   */
  public TextWords words(String text) {
    return vectorizer.words(Objects.requireNonNull(text, "text"));
  }

  /** The text features of {@code texts}, one vector each: what the bundle's text net reads. */
  public float[][] textFeatures(List<String> texts) {
    checkBatch("texts", texts);
    int dim = vectorizer.dim();
    float[] flat = vectorizer.features(texts, i -> texts.size() == 1 ? "text" : "texts[" + i + "]");
    float[][] out = new float[texts.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = Arrays.copyOfRange(flat, i * dim, (i + 1) * dim);
    }
    return out;
  }

  /** The width of the text features. */
  public int textDim() {
    return vectorizer.dim();
  }

  /** The image net's tanh outputs for each feature vector (before the sign). */
  public float[][] imageOutputs(List<float[]> features) {
    checkBatch("features", features);
    float[][] out = new float[features.size()][];
    int dim = image.dim();
    for (int from = 0; from < features.size(); from += MAX_BATCH) {
      int n = Math.min(MAX_BATCH, features.size() - from);
      float[] batch = new float[n * dim];
      for (int i = 0; i < n; i++) {
        float[] f = features.get(from + i);
        String what = features.size() == 1 ? "features" : "features[" + (from + i) + "]";
        if (f == null) {
          throw new IllegalArgumentException(what + ": expected " + dim + " numbers, got null");
        }
        if (f.length != dim) {
          throw new IllegalArgumentException(what + ": the model's image net takes " + dim + " numbers, got "
              + f.length);
        }
        for (int j = 0; j < dim; j++) {
          if (!Float.isFinite(f[j])) {
            throw new IllegalArgumentException(what + "[" + j + "] is " + f[j] + "; expected a finite number");
          }
        }
        System.arraycopy(f, 0, batch, i * dim, dim);
      }
      split(image.run(batch, n), n, out, from);
    }
    return out;
  }

  private static void checkBatch(String what, List<?> items) {
    Objects.requireNonNull(items, what);
    if (items.isEmpty()) {
      throw new IllegalArgumentException(what + ": expected at least one item, got an empty list");
    }
  }

  private void split(float[] outputs, int n, float[][] out, int from) {
    for (int i = 0; i < n; i++) {
      float[] row = new float[bits];
      System.arraycopy(outputs, i * bits, row, 0, bits);
      out[from + i] = row;
    }
  }

  private static List<HashCode> codes(float[][] outputs) {
    List<HashCode> codes = new ArrayList<>(outputs.length);
    for (float[] o : outputs) {
      codes.add(HashCode.fromSigns(o));
    }
    return codes;
  }
}
