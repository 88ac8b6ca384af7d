package org.bicmr.training.images.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bicmr.onnx.ImagePreprocessor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The converter on the real nsfwjs MobileNetV2 (fetched by {@code bin/fetch-mobilenet}; these tests are skipped when
 * it is not there): ONNX Runtime agrees with the plain-Java Keras reference on a real drawing, through the whole
 * network, and with nsfwjs' own model in TF.js on a synthetic image; public-domain clip art is classed as Drawing or
 * Neutral; earlier blocks can be tapped.
 */
class MobileNetConverterTest {
  private static final String[] CLIPART = {"lemon_half_slice_ganson.png", "turtle_jurgen_gaeremyn_01.png",
      "bus_lane.png", "bulb.png"};
  private static final int S = ImagePreprocessor.SIZE;
  private static Path pkg;

  @BeforeAll
  static void findPackage() {
    String dir = System.getProperty("bicmr.mobilenet.dir",
        System.getProperty("user.home") + "/.cache/bicmr/nsfwjs-4.4.0/package");
    pkg = Path.of(dir);
  }

  private static void assumeModel() {
    assumeTrue(Files.isRegularFile(pkg.resolve(MobileNetConverter.FOLDER).resolve(MobileNetConverter.MODEL_FILE)),
        "nsfwjs MobileNetV2 not in " + pkg + ": run bin/fetch-mobilenet (or set -Dbicmr.mobilenet.dir)");
  }

  static float[] clipart(String name) throws IOException {
    try (InputStream in = MobileNetConverterTest.class.getResourceAsStream("clipart/" + name)) {
      return new ImagePreprocessor().pixels(in.readAllBytes());
    }
  }

  @Test
  void agreesWithThePlainJavaReferenceThroughTheWholeNetwork() throws Exception {
    assumeModel();
    MobileNetConverter.Result r = MobileNetConverter.convert(pkg, new MobileNetConverter.Options(null, false, true));
    assertEquals("out_relu", r.tap());
    assertEquals(1280, r.features());
    assertEquals(5, r.classes());
    float[] image = clipart(CLIPART[0]);
    Map<String, float[]> onnx;
    try (OnnxRun run = new OnnxRun(r.onnx())) {
      onnx = run.run(image, 1, 3, S, S);
    }
    TfjsModel model = TfjsModel.read(MobileNetConverter.MODEL_FILE,
        NpmPackage.folder(pkg, MobileNetConverter.FOLDER));
    Map<String, KerasReference.Map3> ref = KerasReference.run(model, OnnxRun.channelsLast(image, 3, S, S), false);
    float[] features = ref.get("flatten_1").v();
    float[] probabilities = ref.get("dense_3").v();
    float dFeatures = OnnxRun.maxAbsDiff(features, onnx.get(KerasToOnnx.FEATURES));
    float dProbabilities = OnnxRun.maxAbsDiff(probabilities, onnx.get(KerasToOnnx.PROBABILITIES));
    System.out.printf(Locale.ROOT, "whole network vs reference: features max |diff| %.3g (max value %.3g), "
        + "probabilities max |diff| %.3g%n", dFeatures, max(features), dProbabilities);
    assertTrue(dFeatures < 1e-3, "features differ by " + dFeatures);
    assertTrue(dProbabilities < 1e-4, "probabilities differ by " + dProbabilities);
  }

  /**
   * nsfwjs' own model in TF.js 4.22 (CPU backend) on a synthetic image, recorded by {@code tfjs-reference.js} beside
   * this test: the converted model gives the same probabilities and pooled maps.
   */
  @Test
  void agreesWithNsfwjsInTfjs() throws Exception {
    assumeModel();
    JsonObject ref;
    try (InputStream in = MobileNetConverterTest.class.getResourceAsStream("tfjs-reference.json")) {
      ref = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
    }
    float[] nchw = new float[3 * S * S];
    for (int c = 0; c < 3; c++) {
      for (int h = 0; h < S; h++) {
        for (int w = 0; w < S; w++) {
          nchw[(c * S + h) * S + w] = ((h * 31 + w * 17 + c * 7) % 255) / 255f;
        }
      }
    }
    StringBuilder line = new StringBuilder("converted model vs nsfwjs in TF.js " + ref.get("tfjs").getAsString() + ":");
    for (String[] tap : new String[][] {{null, "out_relu"}, {"block_10", "block_10_project_BN"}}) {
      MobileNetConverter.Result r = MobileNetConverter.convert(pkg, new MobileNetConverter.Options(tap[0], false,
          tap[0] == null));
      Map<String, float[]> out;
      try (OnnxRun run = new OnnxRun(r.onnx())) {
        out = run.run(nchw, 1, 3, S, S);
      }
      float d = OnnxRun.maxAbsDiff(floats(ref, tap[1]), out.get(KerasToOnnx.FEATURES));
      line.append(String.format(Locale.ROOT, " %s max |diff| %.2g;", tap[1], d));
      assertTrue(d < 1e-3, tap[1] + " differs by " + d);
      if (tap[0] == null) {
        float dp = OnnxRun.maxAbsDiff(floats(ref, "probabilities"), out.get(KerasToOnnx.PROBABILITIES));
        line.append(String.format(Locale.ROOT, " probabilities %.2g;", dp));
        assertTrue(dp < 1e-4, "probabilities differ by " + dp);
      }
    }
    System.out.println(line);
  }

  private static float[] floats(JsonObject o, String key) {
    var a = o.getAsJsonArray(key);
    float[] v = new float[a.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = a.get(i).getAsFloat();
    }
    return v;
  }

  @Test
  void classesPublicDomainClipArtAsDrawingOrNeutral() throws Exception {
    assumeModel();
    MobileNetConverter.Result r = MobileNetConverter.convert(pkg, new MobileNetConverter.Options(null, false, true));
    float[] batch = new float[CLIPART.length * 3 * S * S];
    for (int i = 0; i < CLIPART.length; i++) {
      System.arraycopy(clipart(CLIPART[i]), 0, batch, i * 3 * S * S, 3 * S * S);
    }
    float[] p;
    try (OnnxRun run = new OnnxRun(r.onnx())) {
      p = run.run(batch, CLIPART.length, 3, S, S).get(KerasToOnnx.PROBABILITIES);
    }
    int safe = 0;
    for (int i = 0; i < CLIPART.length; i++) {
      StringBuilder line = new StringBuilder(CLIPART[i] + ":");
      double sum = 0;
      int best = 0;
      for (int k = 0; k < 5; k++) {
        float v = p[i * 5 + k];
        sum += v;
        best = v > p[i * 5 + best] ? k : best;
        line.append(String.format(Locale.ROOT, " %s %.3f", MobileNetConverter.CLASSES.get(k), v));
      }
      System.out.println(line);
      assertEquals(1, sum, 1e-4, CLIPART[i] + ": probabilities sum to " + sum);
      String cls = MobileNetConverter.CLASSES.get(best);
      safe += cls.equals("Drawing") || cls.equals("Neutral") ? 1 : 0;
    }
    assertTrue(safe >= CLIPART.length - 1, safe + " of " + CLIPART.length + " clip art images classed as Drawing or "
        + "Neutral");
  }

  @Test
  void tapsAnImageNetOnlyBlock() throws Exception {
    assumeModel();
    MobileNetConverter.Result r = MobileNetConverter.convert(pkg,
        new MobileNetConverter.Options("block_10", false, false));
    assertEquals("block_10_project_BN", r.tap());
    assertEquals(96, r.features());
    assertEquals(0, r.classes());
    MobileNetConverter.Result expand = MobileNetConverter.convert(pkg,
        new MobileNetConverter.Options("block_10_depthwise_relu", true, false));
    assertEquals(384, expand.features());
    float[] image = clipart(CLIPART[1]);
    TfjsModel model = TfjsModel.read(MobileNetConverter.MODEL_FILE,
        NpmPackage.folder(pkg, MobileNetConverter.FOLDER));
    try (OnnxRun a = new OnnxRun(r.onnx()); OnnxRun b = new OnnxRun(expand.onnx())) {
      Map<String, float[]> outA = a.run(image, 1, 3, S, S);
      assertEquals(List.of(KerasToOnnx.FEATURES), new ArrayList<>(outA.keySet()));
      float[] hwc = OnnxRun.channelsLast(image, 3, S, S);
      float dA = OnnxRun.maxAbsDiff(KerasReference.globalAverage(KerasReference.run(model, hwc, false)
          .get("block_10_project_BN")), outA.get(KerasToOnnx.FEATURES));
      float dB = OnnxRun.maxAbsDiff(KerasReference.globalAverage(KerasReference.run(model, hwc, true)
          .get("block_10_depthwise_relu")), b.run(image, 1, 3, S, S).get(KerasToOnnx.FEATURES));
      System.out.printf(Locale.ROOT, "block_10 taps vs reference: max |diff| %.3g, %.3g (symmetric input)%n", dA, dB);
      assertTrue(dA < 1e-3 && dB < 1e-3, "tapped features differ by " + dA + ", " + dB);
    }
  }

  @Test
  void readsTheTarballLikeItsExtractedDirectory() throws Exception {
    Path tgz = pkg.getParent().resolve("nsfwjs-4.4.0.tgz");
    assumeTrue(Files.isRegularFile(tgz), "no " + tgz + ": run bin/fetch-mobilenet");
    MobileNetConverter.Options o = new MobileNetConverter.Options("block_3", false, false);
    assertArrayEquals(MobileNetConverter.convert(pkg, o).onnx(), MobileNetConverter.convert(tgz, o).onnx());
  }

  @Test
  void refusesModelFilesWithAnotherChecksum(@TempDir Path dir) throws Exception {
    Path folder = dir.resolve("package").resolve(MobileNetConverter.FOLDER);
    Files.createDirectories(folder);
    Files.writeString(folder.resolve(MobileNetConverter.MODEL_FILE), "a.exports={modelTopology:{}}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MobileNetConverter.convert(dir, new MobileNetConverter.Options(null, false, false)));
    assertTrue(e.getMessage().contains("model.min.js has SHA-256") && e.getMessage().contains(
        MobileNetConverter.SHA256.get(MobileNetConverter.MODEL_FILE)), e.getMessage());
  }

  private static float max(float[] v) {
    float m = Float.NEGATIVE_INFINITY;
    for (float f : v) {
      m = Math.max(m, f);
    }
    return m;
  }
}
