package org.bicmr.training.images.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.bicmr.onnx.FeatureExtractor;
import org.bicmr.onnx.ImagePreprocessor;
import org.bicmr.onnx.ModelBundle;
import org.bicmr.training.export.TinyExtractor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Features of random PNGs against a direct ONNX Runtime computation of the same extractor, image by image; the cache
 * answers a re-run and another extractor recomputes; files that cannot be decoded fail alone. Random images: the seed
 * is printed, rerun with {@code -Dbicmr.test.seed=<seed>}.
 */
class ImageFeatureExtractionTest {
  private static final int SIZE = 32;
  private static final int DIM = 6;
  private static final long SEED = Long.getLong("bicmr.test.seed", new Random().nextLong());

  /** {@code n} PNGs of random pixels, at most 44 × 44 (below the 2,000-pixel limit of these tests). */
  private static List<Path> images(Path dir, Random random, int n) throws IOException {
    Files.createDirectories(dir);
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      BufferedImage im = new BufferedImage(5 + random.nextInt(40), 5 + random.nextInt(40), random.nextBoolean()
          ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < im.getHeight(); y++) {
        for (int x = 0; x < im.getWidth(); x++) {
          im.setRGB(x, y, random.nextInt());
        }
      }
      Path f = dir.resolve("image" + i + ".png");
      ImageIO.write(im, "png", f.toFile());
      files.add(f);
    }
    return files;
  }

  /** The oracle: preprocess one image, run the extractor graph alone in its own session. */
  private static float[] direct(byte[] model, Path png) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    float[] pixels = new ImagePreprocessor(SIZE, SIZE, ImagePreprocessor.MAX_PIXELS).pixels(Files.readAllBytes(png));
    try (OrtSession s = env.createSession(model, new OrtSession.SessionOptions());
        OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), new long[] {1, 3, SIZE, SIZE});
        OrtSession.Result r = s.run(Map.of("image", in))) {
      FloatBuffer b = ((OnnxTensor) r.get("features").orElseThrow()).getFloatBuffer();
      float[] out = new float[b.remaining()];
      b.get(out);
      return out;
    }
  }

  private static ImageFeatureExtraction.Result extract(Path model, Path cacheRoot, List<Path> files, int batch,
      int threads, List<Integer> progress) throws Exception {
    try (FeatureExtractor m = FeatureExtractor.open(model, 1)) {
      ImagePreprocessor p = new ImagePreprocessor(m.width(), m.height(), 2_000);
      FeatureCache cache = new FeatureCache(cacheRoot, FeatureCache.key(m.sha256(), p), m.dim());
      return new ImageFeatureExtraction(m, p, cache, batch, threads).run(files, progress::add);
    }
  }

  @Test
  void featuresEqualADirectComputationAndTheCacheAnswersAReRun(@TempDir Path tmp) throws Exception {
    System.out.println("ImageFeatureExtractionTest seed: " + SEED + " (rerun with -Dbicmr.test.seed=" + SEED + ")");
    Random random = new Random(SEED);
    List<Path> files = images(tmp.resolve("png"), random, 7);
    Path bad = Files.write(tmp.resolve("png/not-a-png.png"), new byte[] {1, 2, 3, 4});
    BufferedImage big = new BufferedImage(50, 50, BufferedImage.TYPE_INT_RGB);   // 2,500 pixels > 2,000
    Path huge = tmp.resolve("png/huge.png");
    ImageIO.write(big, "png", huge.toFile());
    files.add(2, bad);
    files.add(huge);
    byte[] modelBytes = TinyExtractor.model(SIZE, DIM, random.nextLong());
    Path model = Files.write(tmp.resolve("extractor.onnx"), modelBytes);
    Path cache = tmp.resolve("cache");

    List<Integer> progress = new ArrayList<>();
    ImageFeatureExtraction.Result first = extract(model, cache, files, 3, 2, progress);
    assertEquals(0, first.cached());
    assertEquals(7, first.computed());
    assertEquals(List.of(2, 8), List.copyOf(first.failures().keySet()));
    assertTrue(first.failures().get(2).startsWith("image: not a PNG or JPEG (4 bytes starting 0x01020304)"),
        first.failures().get(2));
    assertEquals("image: PNG is 50×50 = 2500 pixels, more than the limit of 2000", first.failures().get(8));
    assertNull(first.features()[2]);
    for (int i = 0; i < files.size(); i++) {
      if (first.features()[i] != null) {
        float[] expected = direct(modelBytes, files.get(i));
        for (int k = 0; k < DIM; k++) {
          assertEquals(expected[k], first.features()[i][k], 1e-5f, "image " + i + " feature " + k);
        }
      }
    }
    assertEquals(files.size(), progress.get(progress.size() - 1));
    for (int k = 1; k < progress.size(); k++) {
      assertTrue(progress.get(k) > progress.get(k - 1), progress.toString());
    }

    ImageFeatureExtraction.Result again = extract(model, cache, files, 4, 1, new ArrayList<>());
    assertEquals(7, again.cached());
    assertEquals(0, again.computed());
    for (int i = 0; i < files.size(); i++) {
      assertArrayEquals(first.features()[i], again.features()[i], "image " + i);
    }

    // a copy of a cached image under another name is a hit; a changed image is a miss
    Path copy = Files.copy(files.get(0), tmp.resolve("png/copy.png"));
    Path changed = images(tmp.resolve("other"), random, 1).get(0);
    ImageFeatureExtraction.Result mixed = extract(model, cache, List.of(copy, changed), 32, 2, new ArrayList<>());
    assertEquals(1, mixed.cached());
    assertEquals(1, mixed.computed());

    Path other = Files.write(tmp.resolve("other.onnx"), TinyExtractor.model(SIZE, DIM, random.nextLong()));
    ImageFeatureExtraction.Result recomputed = extract(other, cache, files, 32, 2, new ArrayList<>());
    assertEquals(0, recomputed.cached());
    assertEquals(7, recomputed.computed());
    assertFalse(java.util.Arrays.equals(first.features()[0], recomputed.features()[0]));
  }

  @Test
  void aDamagedCacheEntryIsAMissAndBadArgumentsAreRefused(@TempDir Path tmp) throws Exception {
    String sha = ModelBundle.sha256(new byte[] {7});
    FeatureCache cache = new FeatureCache(tmp, "0123456789abcdef", 3);
    assertNull(cache.get(sha));
    cache.put(sha, new float[] {1, 2, 3});
    assertArrayEquals(new float[] {1, 2, 3}, cache.get(sha));
    Files.write(cache.dir().resolve(sha.substring(0, 2)).resolve(sha + ".f32"), new byte[5]);
    assertNull(cache.get(sha));
    assertThrows(IllegalArgumentException.class, () -> cache.put(sha, new float[2]));
    assertThrows(IllegalArgumentException.class, () -> new FeatureCache(tmp, "../x", 3));
    Path notModel = Files.write(tmp.resolve("x.onnx"), new byte[] {1, 2});
    IOException e = assertThrows(IOException.class, () -> FeatureExtractor.open(notModel, 1));
    assertTrue(e.getMessage().startsWith(notModel + ": not a model ONNX Runtime can run"), e.getMessage());
  }
}
