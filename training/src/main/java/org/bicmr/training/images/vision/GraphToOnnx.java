package org.bicmr.training.images.vision;

import static org.bicmr.training.onnx.OnnxGraph.integer;
import static org.bicmr.training.onnx.OnnxGraph.ints;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bicmr.training.onnx.OnnxGraph;

/**
 * Converts the part of a TF.js graph model (a TensorFlow GraphDef in NHWC) that one node depends on into an ONNX
 * feature extractor in NCHW, the contract of {@code org.bicmr.onnx.ImagePreprocessor}: input {@code image [batch, 3,
 * H, W]} with samples in [0, 1], output {@code features [batch, c]}, the global average of the tapped node's map.
 * Graphs that expect samples in [0, 255] (as TF.js detectors do) get a leading {@code Mul} by {@code inputScale}.
 *
 * <p>Operations read: {@code Placeholder}; {@code Conv2D}, {@code _FusedConv2D}, {@code DepthwiseConv2dNative} and
 * {@code FusedDepthwiseConv2dNative} (fused {@code BiasAdd}, then optionally {@code Relu} or {@code Relu6}; padding
 * {@code SAME} made explicit as TensorFlow computes it; weights HWIO → OIHW, depthwise HWCM → (C·M)1HW); {@code Relu},
 * {@code Relu6} (→ Clip 0–6), {@code Sigmoid}; {@code Add}, {@code AddV2}, {@code Sub} and {@code Mul} of two maps or
 * of a map and a scalar or per-channel constant (broadcast in NHWC, reshaped for NCHW); {@code Mean} over the spatial
 * axes with {@code keep_dims}. Anything else is refused, naming the node.
 */
final class GraphToOnnx {
  static final String INPUT = "image";
  static final String FEATURES = "features";

  /** A tensor of the graph: an ONNX value with its NCHW dims (no batch), or a constant. */
  private record Tensor(String name, int[] dims, TfjsGraph.Constant constant) {
    boolean map() {
      return constant == null;
    }
  }

  private final TfjsGraph model;
  private final OnnxGraph graph = new OnnxGraph("tfjs_graph");
  private final Map<String, Tensor> tensors = new HashMap<>();

  private GraphToOnnx(TfjsGraph model) {
    this.model = model;
  }

  /** What a conversion made: the ONNX model and its feature width. */
  record Converted(byte[] model, int features) {}

  /**
   * The extractor of {@code tap}'s map at {@code size}×{@code size} input.
   *
   * @param inputScale the factor from [0, 1] samples to the graph's input range (255 for 0–255; 1 for none)
   */
  static Converted convert(TfjsGraph model, String tap, int size, float inputScale, String doc,
      Map<String, String> metadata) {
    GraphToOnnx c = new GraphToOnnx(model);
    c.graph.input(INPUT, 3, size, size);
    String input = INPUT;
    if (inputScale != 1f) {
      input = c.graph.node("Mul", "input.scaled", new String[] {INPUT, c.graph.scalar("input.scale", inputScale)});
    }
    Tensor last = null;
    for (TfjsGraph.Node node : model.ancestors(tap)) {
      Tensor t = node.op().equals("Placeholder") ? new Tensor(input, new int[] {3, size, size}, null) : c.node(node);
      c.tensors.put(node.name(), t);
      last = t;
    }
    if (last == null || !last.map() || last.dims().length != 3) {
      throw new IllegalArgumentException("tap " + tap + " is not a feature map (a tensor [batch, h, w, c])");
    }
    String pooled = c.graph.node("GlobalAveragePool", "features.pooled", new String[] {last.name()});
    c.graph.node("Flatten", FEATURES, new String[] {pooled}, integer("axis", 1));
    int channels = last.dims()[0];
    c.graph.output(FEATURES, channels);
    return new Converted(c.graph.model("tfjs-graph-to-onnx", doc, metadata), channels);
  }

  private Tensor node(TfjsGraph.Node n) {
    return switch (n.op()) {
      case "Conv2D", "_FusedConv2D" -> conv(n, false);
      case "DepthwiseConv2dNative", "FusedDepthwiseConv2dNative" -> conv(n, true);
      case "Relu" -> unary(n, "Relu");
      case "Sigmoid" -> unary(n, "Sigmoid");
      case "Relu6" -> {
        Tensor x = in(n, 0);
        yield new Tensor(clip(n.name(), x.name()), x.dims(), null);
      }
      case "Add", "AddV2" -> binary(n, "Add");
      case "Sub" -> binary(n, "Sub");
      case "Mul" -> binary(n, "Mul");
      case "Mean" -> mean(n);
      default -> throw new IllegalArgumentException("node " + n.name() + ": operation " + n.op() + " is not "
          + "supported (supported: Conv2D, _FusedConv2D, DepthwiseConv2dNative, FusedDepthwiseConv2dNative, Relu, "
          + "Relu6, Sigmoid, Add, AddV2, Sub, Mul, Mean)");
    };
  }

  private Tensor conv(TfjsGraph.Node n, boolean depthwise) {
    Tensor x = in(n, 0);
    if (!x.map()) {
      throw new IllegalArgumentException("node " + n.name() + ": input is a constant, expected a feature map");
    }
    String format = n.string("data_format");
    if (format != null && !format.equals("NHWC")) {
      throw new IllegalArgumentException("node " + n.name() + ": data_format is " + format + ", expected NHWC");
    }
    TfjsGraph.Constant w = constant(n, 1);
    if (w.shape().length != 4) {
      throw new IllegalArgumentException("node " + n.name() + ": weights " + Arrays.toString(w.shape())
          + ", expected 4 dims");
    }
    int kh = w.shape()[0];
    int kw = w.shape()[1];
    int in = w.shape()[2];
    int m = w.shape()[3];
    if (in != x.dims()[0]) {
      throw new IllegalArgumentException("node " + n.name() + ": weights take " + in + " channels, input has "
          + x.dims()[0]);
    }
    int out = depthwise ? in * m : m;
    int[] strides = n.ints("strides");
    int[] dilations = n.attributes().has("dilations") ? n.ints("dilations") : new int[] {1, 1, 1, 1};
    String padding = n.string("padding");
    int[] ph = Padding.of("node " + n.name(), padding, x.dims()[1], kh, strides[1], dilations[1]);
    int[] pw = Padding.of("node " + n.name(), padding, x.dims()[2], kw, strides[2], dilations[2]);
    float[] oihw = new float[out * (depthwise ? 1 : in) * kh * kw];
    for (int y = 0; y < kh; y++) {
      for (int z = 0; z < kw; z++) {
        for (int i = 0; i < in; i++) {
          for (int j = 0; j < m; j++) {
            float v = w.values()[((y * kw + z) * in + i) * m + j];
            if (depthwise) {
              oihw[((i * m + j) * kh + y) * kw + z] = v;
            } else {
              oihw[((j * in + i) * kh + y) * kw + z] = v;
            }
          }
        }
      }
    }
    String weight = graph.floats(n.name() + ".weight", oihw, out, depthwise ? 1 : in, kh, kw);
    List<String> fused = n.strings("fused_ops");
    boolean bias = fused.contains("BiasAdd");
    String[] inputs = bias
        ? new String[] {x.name(), weight, graph.floats(n.name() + ".bias", vector(n, constant(n, 2), out), out)}
        : new String[] {x.name(), weight};
    for (String op : fused) {
      if (!List.of("BiasAdd", "Relu", "Relu6").contains(op)) {
        throw new IllegalArgumentException("node " + n.name() + ": fused operation " + op + " is not supported "
            + "(BiasAdd, Relu, Relu6)");
      }
    }
    boolean relu = fused.contains("Relu");
    boolean relu6 = fused.contains("Relu6");
    String conv = graph.node("Conv", n.name() + (relu || relu6 ? ".linear" : ""), inputs,
        ints("kernel_shape", kh, kw), ints("strides", strides[1], strides[2]),
        ints("dilations", dilations[1], dilations[2]), ints("pads", ph[0], pw[0], ph[1], pw[1]),
        integer("group", depthwise ? in : 1));
    String result = relu ? graph.node("Relu", n.name(), new String[] {conv}) : relu6 ? clip(n.name(), conv) : conv;
    return new Tensor(result, new int[] {out, ph[2], pw[2]}, null);
  }

  private Tensor unary(TfjsGraph.Node n, String op) {
    Tensor x = in(n, 0);
    return new Tensor(graph.node(op, n.name(), new String[] {x.name()}), x.dims(), null);
  }

  private String clip(String name, String x) {
    return graph.node("Clip", name, new String[] {x, graph.scalar(name + ".min", 0f), graph.scalar(name + ".max", 6f)});
  }

  /** An elementwise operation of two maps, or of a map and a constant broadcast over it (NHWC → NCHW). */
  private Tensor binary(TfjsGraph.Node n, String op) {
    Tensor a = in(n, 0);
    Tensor b = in(n, 1);
    if (!a.map() && !b.map()) {
      throw new IllegalArgumentException("node " + n.name() + ": both inputs are constants");
    }
    Tensor map = a.map() ? a : b;
    String left = a.map() ? a.name() : operand(n, a.constant(), map, "a");
    String right = b.map() ? b.name() : operand(n, b.constant(), map, "b");
    int[] dims = map.dims();
    if (a.map() && b.map()) {
      dims = broadcast(n, a.dims(), b.dims());
    }
    return new Tensor(graph.node(op, n.name(), new String[] {left, right}), dims, null);
  }

  /** Two NCHW shapes broadcast: equal, or one of them with 1×1 spatial dims (a squeeze-and-excite scale). */
  private static int[] broadcast(TfjsGraph.Node n, int[] a, int[] b) {
    if (Arrays.equals(a, b)) {
      return a;
    }
    if (a[0] == b[0] && (a[1] == 1 && a[2] == 1 || b[1] == 1 && b[2] == 1)) {
      return a[1] == 1 ? b : a;
    }
    throw new IllegalArgumentException("node " + n.name() + ": shapes " + Arrays.toString(a) + " and "
        + Arrays.toString(b) + " (CHW) do not broadcast");
  }

  /** A constant operand: a scalar, or a vector over the channels (NHWC's last axis) reshaped to C×1×1. */
  private String operand(TfjsGraph.Node n, TfjsGraph.Constant c, Tensor map, String side) {
    int count = c.values().length;
    if (count == 1) {
      return graph.scalar(n.name() + "." + side, c.values()[0]);
    }
    if (count == map.dims()[0]) {
      return graph.floats(n.name() + "." + side, c.values(), count, 1, 1);
    }
    throw new IllegalArgumentException("node " + n.name() + ": constant " + c.name() + Arrays.toString(c.shape())
        + " neither a scalar nor one value per channel (" + map.dims()[0] + ")");
  }

  private Tensor mean(TfjsGraph.Node n) {
    Tensor x = in(n, 0);
    TfjsGraph.Constant axes = constant(n, 1);
    float[] a = axes.values().clone();
    Arrays.sort(a);
    if (!Arrays.equals(a, new float[] {1, 2}) || !n.flag("keep_dims")) {
      throw new IllegalArgumentException("node " + n.name() + ": Mean over " + Arrays.toString(axes.values())
          + (n.flag("keep_dims") ? "" : " without keep_dims") + "; expected the spatial axes [1, 2] with keep_dims");
    }
    String out = graph.node("ReduceMean", n.name(), new String[] {x.name()}, ints("axes", 2, 3),
        integer("keepdims", 1));
    return new Tensor(out, new int[] {x.dims()[0], 1, 1}, null);
  }

  private Tensor in(TfjsGraph.Node n, int i) {
    if (n.inputs().size() <= i) {
      throw new IllegalArgumentException("node " + n.name() + " (" + n.op() + ") has " + n.inputs().size()
          + " inputs, expected at least " + (i + 1));
    }
    String name = n.inputs().get(i);
    Tensor t = tensors.get(name);
    if (t != null) {
      return t;
    }
    TfjsGraph.Constant c = model.constants().get(name);
    if (c == null) {
      throw new IllegalArgumentException("node " + n.name() + ": input " + name + " is neither an earlier node nor a "
          + "constant");
    }
    return new Tensor(null, null, c);
  }

  private TfjsGraph.Constant constant(TfjsGraph.Node n, int i) {
    Tensor t = in(n, i);
    if (t.map()) {
      throw new IllegalArgumentException("node " + n.name() + ": input " + i + " (" + n.inputs().get(i)
          + ") must be a constant");
    }
    return t.constant();
  }

  private static float[] vector(TfjsGraph.Node n, TfjsGraph.Constant c, int size) {
    if (c.values().length != size) {
      throw new IllegalArgumentException("node " + n.name() + ": bias " + c.name() + " has " + c.values().length
          + " values, expected " + size);
    }
    return c.values();
  }
}
