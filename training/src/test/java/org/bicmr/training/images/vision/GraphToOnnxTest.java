package org.bicmr.training.images.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bicmr.onnx.ImagePreprocessor;
import org.junit.jupiter.api.Test;

/**
 * The graph-model converter against {@link GraphReference}, a plain-Java evaluation of the TensorFlow operations in
 * NHWC: on a tiny graph with every supported operation and float16, int32 and float32 weights (always), and on the
 * real centernet of {@code @vladmandic/human} with a real drawing (when {@code bin/fetch-human} has fetched it).
 */
class GraphToOnnxTest {
  /** A graph model written in a test: nodes, constants (stored float16 unless named in {@code raw}), shards. */
  private static final class TinyGraph {
    final JsonArray nodes = new JsonArray();
    final JsonArray weights = new JsonArray();
    final ByteArrayOutputStream data = new ByteArrayOutputStream();
    final Random random = new Random(7);

    String constant(String name, int... shape) {
      int count = 1;
      for (int d : shape) {
        count *= d;
      }
      JsonObject w = new JsonObject();
      w.addProperty("name", name);
      JsonArray s = new JsonArray();
      for (int d : shape) {
        s.add(d);
      }
      w.add("shape", s);
      w.addProperty("dtype", "float32");
      JsonObject q = new JsonObject();
      q.addProperty("dtype", "float16");
      q.addProperty("original_dtype", "float32");
      w.add("quantization", q);
      ByteBuffer b = ByteBuffer.allocate(count * 2).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < count; i++) {
        b.putShort(Float.floatToFloat16((float) (random.nextGaussian() * 0.5)));
      }
      data.writeBytes(b.array());
      weights.add(w);
      node(name, "Const", List.of(), new JsonObject());
      return name;
    }

    String scalar(String name, float value) {
      JsonObject w = new JsonObject();
      w.addProperty("name", name);
      w.add("shape", new JsonArray());
      w.addProperty("dtype", "float32");
      data.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).array());
      weights.add(w);
      node(name, "Const", List.of(), new JsonObject());
      return name;
    }

    String ints(String name, int... values) {
      JsonObject w = new JsonObject();
      w.addProperty("name", name);
      JsonArray s = new JsonArray();
      s.add(values.length);
      w.add("shape", s);
      w.addProperty("dtype", "int32");
      ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (int v : values) {
        b.putInt(v);
      }
      data.writeBytes(b.array());
      weights.add(w);
      node(name, "Const", List.of(), new JsonObject());
      return name;
    }

    String node(String name, String op, List<String> inputs, JsonObject attr) {
      JsonObject n = new JsonObject();
      n.addProperty("name", name);
      n.addProperty("op", op);
      JsonArray in = new JsonArray();
      inputs.forEach(in::add);
      if (!inputs.isEmpty()) {
        n.add("input", in);
      }
      n.add("attr", attr);
      nodes.add(n);
      return name;
    }

    /** A fused convolution: 3×3 or 1×1 weights, bias, and the given fused activation ("" for none). */
    String conv(String name, String input, int k, int in, int out, int stride, boolean depthwise, String activation) {
      String w = constant(name + "/weights", k, k, in, depthwise ? 1 : out);
      String b = constant(name + "/bias", depthwise ? in : out);
      JsonObject attr = new JsonObject();
      attr.add("strides", list(1, stride, stride, 1));
      attr.add("padding", str("SAME"));
      attr.add("data_format", str("NHWC"));
      JsonArray fused = new JsonArray();
      fused.add(base64("BiasAdd"));
      if (!activation.isEmpty()) {
        fused.add(base64(activation));
      }
      JsonObject l = new JsonObject();
      l.add("s", fused);
      JsonObject f = new JsonObject();
      f.add("list", l);
      attr.add("fused_ops", f);
      return node(name, depthwise ? "FusedDepthwiseConv2dNative" : "_FusedConv2D", List.of(input, w, b), attr);
    }

    String hardSwish(String name, String x) {
      String scaled = node(name + "/mul", "Mul", List.of(scalar(name + "/mul/y", 1f / 6), x), new JsonObject());
      String plus = node(name + "/add", "Add", List.of(x, scalar(name + "/add/y", 3f)), new JsonObject());
      String relu6 = node(name + "/Relu6", "Relu6", List.of(plus), new JsonObject());
      return node(name + "/mul_1", "Mul", List.of(scaled, relu6), new JsonObject());
    }

    TfjsGraph read() throws Exception {
      JsonObject root = new JsonObject();
      root.addProperty("format", "graph-model");
      JsonObject topology = new JsonObject();
      topology.add("node", nodes);
      root.add("modelTopology", topology);
      JsonObject group = new JsonObject();
      JsonArray paths = new JsonArray();
      paths.add("tiny.bin");
      group.add("paths", paths);
      group.add("weights", weights);
      JsonArray manifest = new JsonArray();
      manifest.add(group);
      root.add("weightsManifest", manifest);
      Map<String, byte[]> files = new HashMap<>();
      files.put("tiny.json", root.toString().getBytes(StandardCharsets.UTF_8));
      files.put("tiny.bin", data.toByteArray());
      return TfjsGraph.read("tiny.json", name -> {
        byte[] b = files.get(name);
        if (b == null) {
          throw new NoSuchFileException(name);
        }
        return b;
      });
    }

    private static JsonObject list(int... values) {
      JsonArray i = new JsonArray();
      for (int v : values) {
        i.add(Integer.toString(v));
      }
      JsonObject l = new JsonObject();
      l.add("i", i);
      JsonObject a = new JsonObject();
      a.add("list", l);
      return a;
    }

    private static JsonObject str(String s) {
      JsonObject a = new JsonObject();
      a.addProperty("s", base64(s));
      return a;
    }

    private static String base64(String s) {
      return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** A MobileNetV3-like block: stem, hard-swish, depthwise, squeeze-and-excite, projection and a residual add. */
  private static TinyGraph tiny() {
    TinyGraph g = new TinyGraph();
    JsonObject placeholder = new JsonObject();
    g.node("images", "Placeholder", List.of(), placeholder);
    String stem = g.hardSwish("stem/hs", g.conv("stem", "images", 3, 3, 8, 2, false, ""));
    String dw = g.conv("dw", stem, 3, 8, 8, 1, true, "Relu");
    JsonObject keep = new JsonObject();
    JsonObject b = new JsonObject();
    b.addProperty("b", true);
    keep.add("keep_dims", b);
    String mean = g.node("se/Mean", "Mean", List.of(dw, g.ints("se/axes", 1, 2)), keep);
    String squeeze = g.conv("se/conv", mean, 1, 8, 4, 1, false, "Relu");
    String expand = g.conv("se/conv_1", squeeze, 1, 4, 8, 1, false, "");
    String gate = g.node("se/gate", "Mul", List.of(g.scalar("se/gate/y", 1f / 6),
        g.node("se/relu6", "Relu6", List.of(g.node("se/add", "Add", List.of(expand, g.scalar("se/add/y", 3f)),
            new JsonObject())), new JsonObject())), new JsonObject());
    String excited = g.node("se/mul", "Mul", List.of(gate, dw), new JsonObject());
    String project = g.conv("project", excited, 1, 8, 8, 1, false, "");
    String residual = g.node("residual", "AddV2", List.of(project, stem), new JsonObject());
    String shifted = g.node("shift", "Sub", List.of(residual, g.constant("shift/y", 8)), new JsonObject());
    g.node("out", "Sigmoid", List.of(shifted), new JsonObject());
    return g;
  }

  @Test
  void aTinyGraphAgreesWithThePlainJavaReference() throws Exception {
    TfjsGraph model = tiny().read();
    int size = 17; // odd: SAME padding on both sides
    GraphToOnnx.Converted c = GraphToOnnx.convert(model, "out", size, 255f, "tiny", Map.of());
    assertEquals(8, c.features());
    Random random = new Random(3);
    int n = 2;
    float[] nchw = new float[n * 3 * size * size];
    for (int i = 0; i < nchw.length; i++) {
      nchw[i] = random.nextFloat();
    }
    float[] onnx;
    try (OnnxRun run = new OnnxRun(c.model())) {
      onnx = run.run(nchw, n, 3, size, size).get(GraphToOnnx.FEATURES);
    }
    GraphReference reference = new GraphReference(model);
    for (int i = 0; i < n; i++) {
      float[] image = java.util.Arrays.copyOfRange(nchw, i * 3 * size * size, (i + 1) * 3 * size * size);
      float[] hwc = OnnxRun.channelsLast(image, 3, size, size);
      double[] scaled = new double[hwc.length];
      for (int k = 0; k < hwc.length; k++) {
        scaled[k] = hwc[k] * 255.0;
      }
      double[] expected = reference.features(scaled, size, "out");
      for (int k = 0; k < 8; k++) {
        assertEquals(expected[k], onnx[i * 8 + k], 1e-5, "image " + i + ", feature " + k);
      }
    }
  }

  @Test
  void unsupportedOperationsAreNamed() throws Exception {
    TinyGraph g = tiny();
    g.node("pool", "MaxPool", List.of("out"), new JsonObject());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GraphToOnnx.convert(g.read(), "pool", 8, 1f, "x", Map.of()));
    assertTrue(e.getMessage().startsWith("node pool: operation MaxPool is not supported"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> GraphToOnnx.convert(g.read(), "nowhere", 8, 1f, "x",
        Map.of()));
    assertEquals("the graph has no node nowhere to tap", e.getMessage());
  }

  @Test
  void theRealCenternetAgreesWithThePlainJavaReference() throws Exception {
    Path pkg = Path.of(System.getProperty("bicmr.human.dir",
        System.getProperty("user.home") + "/.cache/bicmr/human-3.3.6/package"));
    assumeTrue(Files.isRegularFile(pkg.resolve("models/centernet.json")),
        "@vladmandic/human not in " + pkg + ": run bin/fetch-human (or set -Dbicmr.human.dir)");
    TfjsGraph model = TfjsGraph.read("centernet.json", NpmPackage.folder(pkg, "models"));
    int size = ImagePreprocessor.SIZE;
    GraphToOnnx.Converted c = GraphToOnnx.convert(model, CenternetConverter.TAP, size, 255f, "centernet",
        Map.of());
    assertEquals(480, c.features());
    float[] image = MobileNetConverterTest.clipart("lemon_half_slice_ganson.png");
    float[] onnx;
    try (OnnxRun run = new OnnxRun(c.model())) {
      onnx = run.run(image, 1, 3, size, size).get(GraphToOnnx.FEATURES);
    }
    float[] hwc = OnnxRun.channelsLast(image, 3, size, size);
    double[] scaled = new double[hwc.length];
    for (int k = 0; k < hwc.length; k++) {
      scaled[k] = hwc[k] * 255.0;
    }
    double[] expected = new GraphReference(model).features(scaled, size, CenternetConverter.TAP);
    double worst = 0;
    for (int k = 0; k < 480; k++) {
      worst = Math.max(worst, Math.abs(expected[k] - onnx[k]) / (1 + Math.abs(expected[k])));
    }
    assertTrue(worst < 1e-4, "largest relative difference " + worst);
  }
}
