package org.bicmr.training.images.vision;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.bicmr.onnx.ImagePreprocessor;
import org.junit.jupiter.api.Test;

/**
 * A measurement more than a test: how well features tapped at different depths of the nsfwjs MobileNetV2 group
 * public-domain clip art (Debian {@code openclipart-png}) by its category folder. Leave-one-out retrieval by cosine
 * similarity, of the features as they are and less their mean over the images: precision at 1 and 10, and MAP, beside the base rate and a raw-pixel baseline (an 8×8 RGB thumbnail).
 * Runs only with {@code -Dbicmr.clipart.dir=/usr/share/openclipart/png} and the model fetched.
 */
class FeatureQualityTest {
  private static final String[] CATEGORIES = {"animals/birds", "animals/mammals", "plants", "buildings/homes",
      "food/fruit", "food/desserts", "food/beverages", "transportation/vehicles", "recreation/music",
      "recreation/sports", "tools", "computer/hardware", "people"};
  private static final int PER_CATEGORY = Integer.getInteger("bicmr.clipart.per", 30);
  private static final int S = ImagePreprocessor.SIZE;

  private record Tap(String layer, boolean symmetric) {}

  @Test
  void featuresOfEachDepthGroupClipArtByCategory() throws Exception {
    String dir = System.getProperty("bicmr.clipart.dir");
    assumeTrue(dir != null, "a measurement: set -Dbicmr.clipart.dir=/usr/share/openclipart/png (apt-get install "
        + "openclipart-png) to run it");
    Path pkg = Path.of(System.getProperty("bicmr.mobilenet.dir",
        System.getProperty("user.home") + "/.cache/bicmr/nsfwjs-4.4.0/package"));
    assumeTrue(Files.isDirectory(pkg.resolve(MobileNetConverter.FOLDER)), "run bin/fetch-mobilenet");
    List<float[]> images = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    ImagePreprocessor pre = new ImagePreprocessor();
    for (int c = 0; c < CATEGORIES.length; c++) {
      List<Path> files;
      try (Stream<Path> s = Files.list(Path.of(dir, CATEGORIES[c]))) {
        files = s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
      }
      int taken = 0;
      for (Path f : files) {
        if (taken == PER_CATEGORY) {
          break;
        }
        try {
          images.add(pre.pixels(Files.readAllBytes(f)));
          labels.add(c);
          taken++;
        } catch (IllegalArgumentException e) {
          System.out.println("skipped " + f + ": " + e.getMessage());
        }
      }
    }
    int n = images.size();
    int[] label = labels.stream().mapToInt(Integer::intValue).toArray();
    System.out.printf(Locale.ROOT, "%d images in %d categories; base rate %.3f%n", n, CATEGORIES.length,
        baseRate(label));
    System.out.println("| features | dims | P@1 | P@10 | MAP | P@1 centred | P@10 centred | MAP centred |");
    System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    float[][] thumbs = new float[n][];
    for (int i = 0; i < n; i++) {
      thumbs[i] = thumbnail(images.get(i));
    }
    report("raw pixels, 8×8 RGB thumbnail", thumbs, label);
    Tap[] taps = {new Tap(null, false), new Tap("block_16_project_BN", false), new Tap("block_13_expand_relu", false),
        new Tap("block_12_add", false), new Tap("block_10_project_BN", false), new Tap("block_10_project_BN", true),
        new Tap("block_10_expand_relu", false), new Tap("block_10_expand_relu", true),
        new Tap("block_6_expand_relu", false), new Tap("block_6_expand_relu", true)};
    double pooledMap = 0;
    double pixelMap = map(thumbs, label);
    for (Tap tap : taps) {
      MobileNetConverter.Result r = MobileNetConverter.convert(pkg,
          new MobileNetConverter.Options(tap.layer(), tap.symmetric(), false));
      float[][] features = new float[n][];
      try (OnnxRun run = new OnnxRun(r.onnx())) {
        int batch = 16;
        for (int start = 0; start < n; start += batch) {
          int b = Math.min(batch, n - start);
          float[] x = new float[b * 3 * S * S];
          for (int i = 0; i < b; i++) {
            System.arraycopy(images.get(start + i), 0, x, i * 3 * S * S, 3 * S * S);
          }
          float[] f = run.run(x, b, 3, S, S).get(KerasToOnnx.FEATURES);
          for (int i = 0; i < b; i++) {
            features[start + i] = Arrays.copyOfRange(f, i * r.features(), (i + 1) * r.features());
          }
        }
      }
      double m = report(r.tap() + (tap.symmetric() ? ", input 2x-1" : ", input x"), features, label);
      if (tap.layer() == null) {
        pooledMap = m;
      }
    }
    assertTrue(pooledMap > baseRate(label), "pooled features' MAP " + pooledMap + " is not above the base rate");
    System.out.printf(Locale.ROOT, "pixel baseline MAP %.3f%n", pixelMap);
  }

  private static float[] thumbnail(float[] chw) {
    int cell = S / 8;
    float[] t = new float[3 * 64];
    for (int ch = 0; ch < 3; ch++) {
      for (int y = 0; y < S; y++) {
        for (int x = 0; x < S; x++) {
          t[ch * 64 + (y / cell) * 8 + x / cell] += chw[ch * S * S + y * S + x] / (cell * cell);
        }
      }
    }
    return t;
  }

  private static double report(String name, float[][] features, int[] label) {
    double[] m = metrics(features, label);
    double[] c = metrics(centred(features), label);
    System.out.printf(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |%n", name, features[0].length,
        m[0], m[1], m[2], c[0], c[1], c[2]);
    return m[2];
  }

  /** The features less their mean over the images. */
  private static float[][] centred(float[][] features) {
    int d = features[0].length;
    double[] mean = new double[d];
    for (float[] f : features) {
      for (int k = 0; k < d; k++) {
        mean[k] += f[k] / (double) features.length;
      }
    }
    float[][] out = new float[features.length][d];
    for (int i = 0; i < features.length; i++) {
      for (int k = 0; k < d; k++) {
        out[i][k] = (float) (features[i][k] - mean[k]);
      }
    }
    return out;
  }

  private static double map(float[][] features, int[] label) {
    return metrics(features, label)[2];
  }

  /** Leave-one-out by cosine similarity: {P@1, P@10, MAP}. */
  private static double[] metrics(float[][] features, int[] label) {
    int n = features.length;
    float[][] unit = new float[n][];
    for (int i = 0; i < n; i++) {
      double norm = 0;
      for (float v : features[i]) {
        norm += v * v;
      }
      unit[i] = features[i].clone();
      for (int k = 0; k < unit[i].length; k++) {
        unit[i][k] /= (float) Math.max(Math.sqrt(norm), 1e-12);
      }
    }
    double p1 = 0;
    double p10 = 0;
    double map = 0;
    for (int q = 0; q < n; q++) {
      Integer[] order = new Integer[n - 1];
      double[] sim = new double[n];
      for (int i = 0, k = 0; i < n; i++) {
        if (i != q) {
          order[k++] = i;
          double s = 0;
          for (int d = 0; d < unit[q].length; d++) {
            s += unit[q][d] * unit[i][d];
          }
          sim[i] = s;
        }
      }
      Arrays.sort(order, (a, b) -> Double.compare(sim[b], sim[a]));
      int hits = 0;
      double ap = 0;
      for (int r = 0; r < order.length; r++) {
        if (label[order[r]] == label[q]) {
          hits++;
          ap += (double) hits / (r + 1);
          if (r < 10) {
            p10 += 0.1;
          }
          if (r == 0) {
            p1 += 1;
          }
        }
      }
      map += hits == 0 ? 0 : ap / hits;
    }
    return new double[] {p1 / n, p10 / n, map / n};
  }

  private static double baseRate(int[] label) {
    int n = label.length;
    double sum = 0;
    for (int l : label) {
      long same = Arrays.stream(label).filter(x -> x == l).count() - 1;
      sum += (double) same / (n - 1);
    }
    return sum / n;
  }
}
