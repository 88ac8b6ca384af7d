package org.bicmr.training.images.vision;

import static org.bicmr.training.onnx.OnnxGraph.integer;
import static org.bicmr.training.onnx.OnnxGraph.ints;
import static org.bicmr.training.onnx.OnnxGraph.real;
import static org.bicmr.training.onnx.OnnxGraph.text;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.bicmr.training.onnx.OnnxGraph;

/**
 * Maps a channels-last Keras image model (TF.js layers format) to an ONNX graph in NCHW layout, one Keras layer to one
 * or a few ONNX operators:
 *
 * <ul>
 *   <li>{@code InputLayer [h, w, c]} → graph input {@code image [batch, c, h, w]} (values in [0, 1]; with
 *       {@link InputRange#SYMMETRIC} followed by {@code Mul 2, Sub 1})
 *   <li>{@code ZeroPadding2D} → {@code Pad} (constant 0)
 *   <li>{@code Conv2D} → {@code Conv}, kernel {@code [kh, kw, in, out]} → {@code [out, in, kh, kw]}
 *   <li>{@code DepthwiseConv2D} → {@code Conv} with {@code group = in}, kernel {@code [kh, kw, in, m]} →
 *       {@code [in·m, 1, kh, kw]}
 *   <li>padding {@code same} → explicit pads as TensorFlow computes them: total {@code max((out-1)·s + k - in, 0)},
 *       the smaller half before (so stride 2 on an even size pads only after); {@code valid} → no pads
 *   <li>{@code BatchNormalization} (axis -1) → {@code BatchNormalization} (ONNX Runtime folds it into the conv)
 *   <li>{@code ReLU} → {@code Relu}, or {@code Clip(0, max_value)} for ReLU6; {@code Activation} and the
 *       {@code activation} of Conv2D/DepthwiseConv2D/Dense → {@code Relu}, {@code Clip}, {@code Softmax},
 *       {@code Sigmoid}, {@code Tanh} or nothing
 *   <li>{@code Add} → {@code Add}
 *   <li>{@code AveragePooling2D}/{@code MaxPooling2D} → {@code AveragePool} (padding not counted)/{@code MaxPool};
 *       {@code GlobalAveragePooling2D} → {@code GlobalAveragePool, Flatten}
 *   <li>{@code Flatten} → {@code Flatten}, after a {@code Transpose} to channels-last unless the map is 1×1, so the
 *       order is Keras's
 *   <li>{@code Dense} → {@code Gemm} with the kernel {@code [in, out]} as it is
 *   <li>{@code Dropout} → nothing (inference)
 * </ul>
 *
 * Anything else is refused with the layer's name. Outputs: {@code features [batch, c]}, the global average of one
 * layer's feature map (the tap), and optionally {@code probabilities}, the model's own output. Only the layers these
 * need are converted.
 */
final class KerasToOnnx {
  static final String INPUT = "image";
  static final String FEATURES = "features";
  static final String PROBABILITIES = "probabilities";

  /** The value range the model's first layer is fed; the graph input is always RGB/255 in [0, 1]. */
  enum InputRange {
    /** [0, 1], as nsfwjs feeds its models. */
    UNIT,
    /** [-1, 1] ({@code 2x - 1}), as Keras' MobileNetV2 was trained on ImageNet. */
    SYMMETRIC
  }

  /**
   * @param tap the layer whose output map is averaged into {@code features}: a layer name, or {@code block_N} for
   *     the last layer of MobileNet block N; null for the map the model's own pooling head averages
   * @param range the value range the model's first layer gets
   * @param probabilities whether to add the model's output as {@code probabilities}
   */
  record Options(String tap, InputRange range, boolean probabilities) {}

  /** A converted model and what it outputs. */
  record Converted(byte[] onnx, String tap, int features, int classes) {}

  /** A tensor of the ONNX graph: its name and its shape without the batch dimension ([c, h, w] or [n]). */
  private record Tensor(String name, int[] dims) {
    boolean spatial() {
      return dims.length == 3;
    }

    int channels() {
      return dims[0];
    }
  }

  private final TfjsModel model;
  private final OnnxGraph graph = new OnnxGraph("keras_model");
  private final Map<String, Tensor> tensors = new HashMap<>();
  private final InputRange range;

  private KerasToOnnx(TfjsModel model, InputRange range) {
    this.model = model;
    this.range = range;
  }

  static Converted convert(TfjsModel model, Options options, String doc, Map<String, String> metadata) {
    if (model.inputs().size() != 1 || model.outputs().size() != 1) {
      throw new IllegalArgumentException("the model has inputs " + model.inputs() + " and outputs "
          + model.outputs() + ", expected one of each");
    }
    String tap = options.tap() == null ? poolingHeadInput(model) : resolveTap(model, options.tap());
    Set<String> needed = ancestors(model, options.probabilities() ? List.of(tap, model.outputs().get(0))
        : List.of(tap));
    KerasToOnnx c = new KerasToOnnx(model, options.range());
    for (KerasLayer layer : model.layers()) {
      if (needed.contains(layer.name())) {
        c.tensors.put(layer.name(), c.layer(layer));
      }
    }
    Tensor map = c.tensors.get(tap);
    if (!map.spatial()) {
      throw new IllegalArgumentException("tap " + tap + " gives a " + Arrays.toString(map.dims())
          + " tensor, expected a feature map [c, h, w]");
    }
    String pooled = c.graph.node("GlobalAveragePool", "features.pool", new String[] {map.name()});
    c.graph.node("Flatten", FEATURES, new String[] {pooled}, integer("axis", 1));
    c.graph.output(FEATURES, map.channels());
    int classes = 0;
    if (options.probabilities()) {
      Tensor out = c.tensors.get(model.outputs().get(0));
      if (out.spatial()) {
        throw new IllegalArgumentException("the model's output " + model.outputs().get(0) + " is a "
            + Arrays.toString(out.dims()) + " map, expected a vector of class probabilities");
      }
      c.graph.node("Identity", PROBABILITIES, new String[] {out.name()});
      c.graph.output(PROBABILITIES, out.dims()[0]);
      classes = out.dims()[0];
    }
    Map<String, String> meta = new LinkedHashMap<>(metadata);
    meta.put("bicmr.tap", tap);
    meta.put("bicmr.input_range", options.range().name().toLowerCase(Locale.ROOT));
    byte[] onnx = c.graph.model("0.1.0", doc, meta);
    return new Converted(onnx, tap, map.channels(), classes);
  }

  /** {@code block_N}: the last layer named {@code block_N_…}; otherwise the layer of that name. */
  static String resolveTap(TfjsModel model, String tap) {
    if (tap.matches("block_\\d+")) {
      String last = null;
      for (KerasLayer l : model.layers()) {
        if (l.name().startsWith(tap + "_")) {
          last = l.name();
        }
      }
      if (last == null) {
        throw new IllegalArgumentException("tap " + tap + ": the model has no layers named " + tap + "_…");
      }
      return last;
    }
    model.layer(tap);
    return tap;
  }

  /** The input of the pooling layer nearest the output, walking back from it along single inputs. */
  private static String poolingHeadInput(TfjsModel model) {
    Set<String> pooling = Set.of("AveragePooling2D", "GlobalAveragePooling2D", "MaxPooling2D", "GlobalMaxPooling2D");
    KerasLayer l = model.layer(model.outputs().get(0));
    while (l.inputs().size() == 1) {
      if (pooling.contains(l.className())) {
        return l.input();
      }
      l = model.layer(l.input());
    }
    throw new IllegalArgumentException("no pooling layer before the output " + model.outputs().get(0)
        + ": choose the layer to average with a tap");
  }

  private static Set<String> ancestors(TfjsModel model, List<String> roots) {
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(roots);
    while (!todo.isEmpty()) {
      String n = todo.pop();
      if (seen.add(n)) {
        todo.addAll(model.layer(n).inputs());
      }
    }
    return seen;
  }

  private Tensor layer(KerasLayer l) {
    JsonObject c = l.config();
    String dataFormat = c.has("data_format") ? c.get("data_format").getAsString() : "channels_last";
    if (!dataFormat.equals("channels_last")) {
      throw unsupported(l, "data_format", dataFormat, "channels_last");
    }
    return switch (l.className()) {
      case "InputLayer" -> input(l);
      case "ZeroPadding2D" -> zeroPadding(l);
      case "Conv2D" -> activation(l, conv(l, false), str(c, "activation"));
      case "DepthwiseConv2D" -> activation(l, conv(l, true), str(c, "activation"));
      case "BatchNormalization" -> batchNorm(l);
      case "ReLU" -> relu(l);
      case "Activation" -> activation(l, in(l), str(c, "activation"));
      case "Add" -> add(l);
      case "AveragePooling2D", "MaxPooling2D" -> pool(l);
      case "GlobalAveragePooling2D" -> {
        Tensor x = spatial(l);
        String p = graph.node("GlobalAveragePool", l.name() + ".pool", new String[] {x.name()});
        yield new Tensor(graph.node("Flatten", l.name(), new String[] {p}, integer("axis", 1)),
            new int[] {x.channels()});
      }
      case "Flatten" -> flatten(l);
      case "Dense" -> activation(l, dense(l), str(c, "activation"));
      case "Dropout" -> in(l);
      default -> throw new IllegalArgumentException("layer " + l.name() + ": Keras class " + l.className()
          + " has no ONNX mapping here");
    };
  }

  private Tensor input(KerasLayer l) {
    JsonArray shape = l.config().getAsJsonArray("batch_input_shape");
    if (shape == null || shape.size() != 4 || shape.get(1).isJsonNull() || shape.get(2).isJsonNull()
        || shape.get(3).isJsonNull()) {
      throw unsupported(l, "batch_input_shape", shape, "[null, h, w, c] with fixed h, w, c");
    }
    int height = shape.get(1).getAsInt();
    int width = shape.get(2).getAsInt();
    int channels = shape.get(3).getAsInt();
    graph.input(INPUT, channels, height, width);
    String x = INPUT;
    if (range == InputRange.SYMMETRIC) {
      String doubled = graph.node("Mul", l.name() + ".double", new String[] {x, graph.scalar(l.name() + ".two", 2f)});
      x = graph.node("Sub", l.name() + ".centre", new String[] {doubled, graph.scalar(l.name() + ".one", 1f)});
    }
    return new Tensor(x, new int[] {channels, height, width});
  }

  private Tensor zeroPadding(KerasLayer l) {
    Tensor x = spatial(l);
    int[][] p = padding2d(l);
    String pads = graph.longs(l.name() + ".pads", 0, 0, p[0][0], p[1][0], 0, 0, p[0][1], p[1][1]);
    String out = graph.node("Pad", l.name(), new String[] {x.name(), pads}, text("mode", "constant"));
    return new Tensor(out, new int[] {x.channels(), x.dims()[1] + p[0][0] + p[0][1], x.dims()[2] + p[1][0]
        + p[1][1]});
  }

  /** {@code padding} as {@code [[top, bottom], [left, right]]}: Keras also allows an int or a symmetric pair. */
  private static int[][] padding2d(KerasLayer l) {
    JsonElement p = l.config().get("padding");
    if (p.isJsonPrimitive()) {
      int v = p.getAsInt();
      return new int[][] {{v, v}, {v, v}};
    }
    JsonArray a = p.getAsJsonArray();
    int[][] out = new int[2][2];
    for (int i = 0; i < 2; i++) {
      if (a.get(i).isJsonPrimitive()) {
        out[i][0] = out[i][1] = a.get(i).getAsInt();
      } else {
        out[i][0] = a.get(i).getAsJsonArray().get(0).getAsInt();
        out[i][1] = a.get(i).getAsJsonArray().get(1).getAsInt();
      }
    }
    return out;
  }

  private Tensor conv(KerasLayer l, boolean depthwise) {
    Tensor x = spatial(l);
    JsonObject c = l.config();
    int[] k = pair(l, "kernel_size");
    int[] s = pair(l, "strides");
    int[] d = c.has("dilation_rate") ? pair(l, "dilation_rate") : new int[] {1, 1};
    TfjsWeights.Weight kernel = model.weight(l.name(), depthwise ? "depthwise_kernel" : "kernel");
    int in = x.channels();
    int[] ks = kernel.shape();
    int outChannels;
    float[] w;
    if (depthwise) {
      int m = c.has("depth_multiplier") ? c.get("depth_multiplier").getAsInt() : 1;
      expectShape(l, kernel, k[0], k[1], in, m);
      outChannels = in * m;
      w = new float[kernel.size()];
      for (int y = 0; y < k[0]; y++) {
        for (int xx = 0; xx < k[1]; xx++) {
          for (int ch = 0; ch < in; ch++) {
            for (int j = 0; j < m; j++) {
              w[((ch * m + j) * k[0] + y) * k[1] + xx] = kernel.values()[((y * k[1] + xx) * in + ch) * m + j];
            }
          }
        }
      }
    } else {
      outChannels = c.get("filters").getAsInt();
      expectShape(l, kernel, k[0], k[1], in, outChannels);
      w = new float[kernel.size()];
      for (int y = 0; y < k[0]; y++) {
        for (int xx = 0; xx < k[1]; xx++) {
          for (int i = 0; i < in; i++) {
            for (int o = 0; o < outChannels; o++) {
              w[((o * in + i) * k[0] + y) * k[1] + xx] = kernel.values()[((y * k[1] + xx) * in + i) * outChannels + o];
            }
          }
        }
      }
    }
    String padding = str(c, "padding");
    int[] ph = pads(l, padding, x.dims()[1], k[0], s[0], d[0]);
    int[] pw = pads(l, padding, x.dims()[2], k[1], s[1], d[1]);
    String wName = graph.floats(l.name() + ".weight", w, outChannels, depthwise ? 1 : in, k[0], k[1]);
    String[] inputs = bool(c, "use_bias")
        ? new String[] {x.name(), wName, graph.floats(l.name() + ".bias", vector(l, "bias", outChannels),
            outChannels)}
        : new String[] {x.name(), wName};
    String out = graph.node("Conv", l.name() + (linear(c) ? "" : ".linear"), inputs,
        ints("kernel_shape", k[0], k[1]), ints("strides", s[0], s[1]), ints("dilations", d[0], d[1]),
        ints("pads", ph[0], pw[0], ph[1], pw[1]), integer("group", depthwise ? in : 1));
    return new Tensor(out, new int[] {outChannels, ph[2], pw[2]});
  }

  /** {before, after, output size} of one spatial axis ({@link Padding}). */
  static int[] pads(KerasLayer l, String padding, int in, int k, int s, int d) {
    if (!padding.equals("same") && !padding.equals("valid")) {
      throw unsupported(l, "padding", padding, "same or valid");
    }
    return Padding.of("layer " + l.name(), padding, in, k, s, d);
  }

  private Tensor batchNorm(KerasLayer l) {
    Tensor x = in(l);
    JsonObject c = l.config();
    int axis = c.get("axis").getAsInt();
    if (axis != -1 && axis != (x.spatial() ? 3 : 1)) {
      throw unsupported(l, "axis", axis, "-1 (the channels)");
    }
    int n = x.channels();
    float[] gamma = bool(c, "scale") ? vector(l, "gamma", n) : filled(n, 1f);
    float[] beta = bool(c, "center") ? vector(l, "beta", n) : filled(n, 0f);
    String out = graph.node("BatchNormalization", l.name(), new String[] {x.name(),
            graph.floats(l.name() + ".gamma", gamma, n), graph.floats(l.name() + ".beta", beta, n),
            graph.floats(l.name() + ".mean", vector(l, "moving_mean", n), n),
            graph.floats(l.name() + ".variance", vector(l, "moving_variance", n), n)},
        real("epsilon", c.get("epsilon").getAsFloat()));
    return new Tensor(out, x.dims());
  }

  private Tensor relu(KerasLayer l) {
    JsonObject c = l.config();
    for (String zero : List.of("negative_slope", "threshold")) {
      if (c.has(zero) && !c.get(zero).isJsonNull() && c.get(zero).getAsDouble() != 0) {
        throw unsupported(l, zero, c.get(zero), "0");
      }
    }
    Tensor x = in(l);
    JsonElement max = c.get("max_value");
    if (max == null || max.isJsonNull()) {
      return new Tensor(graph.node("Relu", l.name(), new String[] {x.name()}), x.dims());
    }
    return new Tensor(clip(l.name(), x.name(), max.getAsFloat()), x.dims());
  }

  private String clip(String name, String x, float max) {
    return graph.node("Clip", name, new String[] {x, graph.scalar(name + ".min", 0f), graph.scalar(name + ".max",
        max)});
  }

  /** The layer's fused activation after {@code x}, or {@code x} itself when linear. */
  private Tensor activation(KerasLayer l, Tensor x, String activation) {
    String name = l.name();
    String out = switch (activation) {
      case "linear" -> x.name();
      case "relu" -> graph.node("Relu", name, new String[] {x.name()});
      case "relu6" -> clip(name, x.name(), 6f);
      case "sigmoid" -> graph.node("Sigmoid", name, new String[] {x.name()});
      case "tanh" -> graph.node("Tanh", name, new String[] {x.name()});
      case "softmax" -> {
        if (x.spatial()) {
          throw unsupported(l, "activation", activation, "softmax only on vectors");
        }
        yield graph.node("Softmax", name, new String[] {x.name()}, integer("axis", -1));
      }
      default -> throw unsupported(l, "activation", activation, "linear, relu, relu6, sigmoid, tanh or softmax");
    };
    return new Tensor(out, x.dims());
  }

  private Tensor add(KerasLayer l) {
    if (l.inputs().size() < 2) {
      throw unsupported(l, "inputs", l.inputs(), "two or more");
    }
    Tensor first = tensor(l, l.inputs().get(0));
    String sum = first.name();
    for (int i = 1; i < l.inputs().size(); i++) {
      Tensor next = tensor(l, l.inputs().get(i));
      if (!Arrays.equals(first.dims(), next.dims())) {
        throw new IllegalArgumentException("layer " + l.name() + ": adds " + Arrays.toString(first.dims()) + " and "
            + Arrays.toString(next.dims()));
      }
      sum = graph.node("Add", i == l.inputs().size() - 1 ? l.name() : l.name() + "." + i,
          new String[] {sum, next.name()});
    }
    return new Tensor(sum, first.dims());
  }

  private Tensor pool(KerasLayer l) {
    Tensor x = spatial(l);
    int[] k = pair(l, "pool_size");
    JsonElement strides = l.config().get("strides");
    int[] s = strides == null || strides.isJsonNull() ? k : pair(l, "strides"); // Keras: strides default to pool_size
    String padding = str(l.config(), "padding");
    int[] ph = pads(l, padding, x.dims()[1], k[0], s[0], 1);
    int[] pw = pads(l, padding, x.dims()[2], k[1], s[1], 1);
    boolean average = l.className().equals("AveragePooling2D");
    String out = average
        ? graph.node("AveragePool", l.name(), new String[] {x.name()}, ints("kernel_shape", k[0], k[1]),
            ints("strides", s[0], s[1]), ints("pads", ph[0], pw[0], ph[1], pw[1]), integer("count_include_pad", 0))
        : graph.node("MaxPool", l.name(), new String[] {x.name()}, ints("kernel_shape", k[0], k[1]),
            ints("strides", s[0], s[1]), ints("pads", ph[0], pw[0], ph[1], pw[1]));
    return new Tensor(out, new int[] {x.channels(), ph[2], pw[2]});
  }

  private Tensor flatten(KerasLayer l) {
    Tensor x = in(l);
    if (!x.spatial()) {
      return x;
    }
    int[] d = x.dims();
    String source = x.name();
    if (d[1] * d[2] != 1) {
      source = graph.node("Transpose", l.name() + ".nhwc", new String[] {source}, ints("perm", 0, 2, 3, 1));
    }
    return new Tensor(graph.node("Flatten", l.name(), new String[] {source}, integer("axis", 1)),
        new int[] {d[0] * d[1] * d[2]});
  }

  private Tensor dense(KerasLayer l) {
    Tensor x = in(l);
    if (x.spatial()) {
      throw new IllegalArgumentException("layer " + l.name() + ": Dense on a " + Arrays.toString(x.dims())
          + " map; expected a vector (Flatten or pool first)");
    }
    JsonObject c = l.config();
    int units = c.get("units").getAsInt();
    int inputs = x.dims()[0];
    TfjsWeights.Weight kernel = model.weight(l.name(), "kernel");
    expectShape(l, kernel, inputs, units);
    String[] in = bool(c, "use_bias")
        ? new String[] {x.name(), graph.floats(l.name() + ".kernel", kernel.values(), inputs, units),
            graph.floats(l.name() + ".bias", vector(l, "bias", units), units)}
        : new String[] {x.name(), graph.floats(l.name() + ".kernel", kernel.values(), inputs, units)};
    String out = graph.node("Gemm", l.name() + (linear(c) ? "" : ".linear"), in);
    return new Tensor(out, new int[] {units});
  }

  private static boolean linear(JsonObject c) {
    return !c.has("activation") || c.get("activation").getAsString().equals("linear");
  }

  private Tensor in(KerasLayer l) {
    return tensor(l, l.input());
  }

  private Tensor spatial(KerasLayer l) {
    Tensor x = in(l);
    if (!x.spatial()) {
      throw new IllegalArgumentException("layer " + l.name() + " (" + l.className() + ") gets a "
          + Arrays.toString(x.dims()) + " tensor, expected a feature map [c, h, w]");
    }
    return x;
  }

  private Tensor tensor(KerasLayer l, String input) {
    Tensor t = tensors.get(input);
    if (t == null) {
      throw new IllegalArgumentException("layer " + l.name() + ": input " + input + " comes later in the topology "
          + "or does not exist");
    }
    return t;
  }

  private float[] vector(KerasLayer l, String variable, int n) {
    TfjsWeights.Weight w = model.weight(l.name(), variable);
    expectShape(l, w, n);
    return w.values();
  }

  private static void expectShape(KerasLayer l, TfjsWeights.Weight w, int... shape) {
    if (!Arrays.equals(w.shape(), shape)) {
      throw new IllegalArgumentException("layer " + l.name() + ": weight " + w.name() + " has shape "
          + Arrays.toString(w.shape()) + ", expected " + Arrays.toString(shape));
    }
  }

  private static int[] pair(KerasLayer l, String field) {
    JsonElement e = l.config().get(field);
    if (e == null || e.isJsonNull()) {
      throw unsupported(l, field, e, "an int or a pair");
    }
    if (e.isJsonPrimitive()) {
      return new int[] {e.getAsInt(), e.getAsInt()};
    }
    return new int[] {e.getAsJsonArray().get(0).getAsInt(), e.getAsJsonArray().get(1).getAsInt()};
  }

  /** A string field; a missing {@code activation} is linear, a missing {@code padding} valid (Keras' defaults). */
  private static String str(JsonObject c, String field) {
    if (c.has(field)) {
      return c.get(field).getAsString();
    }
    return field.equals("padding") ? "valid" : "linear";
  }

  private static boolean bool(JsonObject c, String field) {
    return c.has(field) && c.get(field).getAsBoolean();
  }

  private static float[] filled(int n, float v) {
    float[] a = new float[n];
    Arrays.fill(a, v);
    return a;
  }

  private static IllegalArgumentException unsupported(KerasLayer l, String field, Object value, String expected) {
    return new IllegalArgumentException("layer " + l.name() + " (" + l.className() + "): " + field + " is " + value
        + ", expected " + expected);
  }
}
