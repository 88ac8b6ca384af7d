package org.bicmr.training.images.features;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.bicmr.onnx.ImagePreprocessor;
import org.bicmr.onnx.ModelBundle;
import org.bicmr.training.data.AtomicFile;

/**
 * Image features computed before, one small file per image: {@code <root>/<key>/<ab>/<sha>.f32}, where {@code key}
 * names the extractor and preprocessing (the SHA-256 of the extractor file and of the preprocessing contract),
 * {@code sha} is the SHA-256 of the image file's bytes and {@code ab} its first two characters; the file holds the d
 * features as little-endian float32. So the same image under another path is a hit, a changed image or extractor is a
 * miss. Each entry is written atomically; an entry of the wrong length (a different d, damage) counts as a miss and is
 * overwritten. Safe for concurrent use by one process.
 */
public final class FeatureCache {
  private final Path dir;
  private final int dim;

  /** The cache under {@code root} for extractor-and-preprocessing {@code key} and feature dimension {@code dim}. */
  public FeatureCache(Path root, String key, int dim) {
    if (!key.matches("[0-9a-f]{16,64}")) {
      throw new IllegalArgumentException("cache key must be 16 to 64 lower-case hex digits, got \"" + key + "\"");
    }
    if (dim < 1) {
      throw new IllegalArgumentException("feature dimension must be at least 1, got " + dim);
    }
    this.dir = root.resolve(key);
    this.dim = dim;
  }

  /**
   * The key of an extractor (its file's SHA-256) with a preprocessing: the SHA-256 of both, so a change of either
   * starts a new set of entries.
   */
  public static String key(String extractorSha256, ImagePreprocessor preprocessor) {
    return ModelBundle.sha256((extractorSha256 + "\n" + preprocessor.manifest())
        .getBytes(StandardCharsets.UTF_8));
  }

  /** The directory of this extractor's entries. */
  public Path dir() {
    return dir;
  }

  /** The cached features of the image with SHA-256 {@code sha}, or null. */
  public float[] get(String sha) throws IOException {
    Path file = entry(sha);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    }
    if (bytes.length != dim * Float.BYTES) {
      return null;
    }
    float[] out = new float[dim];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }

  /** Stores {@code features} (length d) for the image with SHA-256 {@code sha}. */
  public void put(String sha, float[] features) throws IOException {
    if (features.length != dim) {
      throw new IllegalArgumentException("features of " + sha + ": " + features.length + " values, expected " + dim);
    }
    ByteBuffer b = ByteBuffer.allocate(dim * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(features);
    AtomicFile.write(entry(sha), b.array());
  }

  private Path entry(String sha) {
    if (!sha.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("image SHA-256 must be 64 lower-case hex digits, got \"" + sha + "\"");
    }
    return dir.resolve(sha.substring(0, 2)).resolve(sha + ".f32");
  }
}
