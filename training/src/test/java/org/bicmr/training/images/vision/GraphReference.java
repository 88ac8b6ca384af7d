package org.bicmr.training.images.vision;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain-Java evaluation of a TF.js graph model's nodes in their own layout (NHWC, double precision): the independent
 * reference the ONNX conversion is checked against. It follows TensorFlow's definitions of the operations, not the
 * converter's code: SAME padding as TensorFlow computes it, depthwise channel order {@code c·M + m}, broadcasting of a
 * trailing-axis constant.
 */
final class GraphReference {
  /** A value: a map {@code [h][w][c]} flattened, with its dims; or a constant. */
  private record Value(double[] data, int h, int w, int c, TfjsGraph.Constant constant) {}

  private final TfjsGraph model;
  private final Map<String, Value> values = new HashMap<>();

  GraphReference(TfjsGraph model) {
    this.model = model;
  }

  /** The global average of {@code tap}'s map for one image {@code [h][w][3]} (flattened), as the extractor gives. */
  double[] features(double[] image, int size, String tap) {
    values.clear();
    Value last = null;
    for (TfjsGraph.Node n : model.ancestors(tap)) {
      last = n.op().equals("Placeholder") ? new Value(image, size, size, 3, null) : eval(n);
      values.put(n.name(), last);
    }
    double[] out = new double[last.c()];
    for (int i = 0; i < last.h() * last.w(); i++) {
      for (int k = 0; k < last.c(); k++) {
        out[k] += last.data()[i * last.c() + k] / (last.h() * last.w());
      }
    }
    return out;
  }

  private Value eval(TfjsGraph.Node n) {
    return switch (n.op()) {
      case "Conv2D", "_FusedConv2D" -> conv(n, false);
      case "DepthwiseConv2dNative", "FusedDepthwiseConv2dNative" -> conv(n, true);
      case "Relu" -> map(in(n, 0), v -> Math.max(v, 0));
      case "Relu6" -> map(in(n, 0), v -> Math.min(Math.max(v, 0), 6));
      case "Sigmoid" -> map(in(n, 0), v -> 1 / (1 + Math.exp(-v)));
      case "Add", "AddV2" -> elementwise(n, Double::sum);
      case "Sub" -> elementwise(n, (a, b) -> a - b);
      case "Mul" -> elementwise(n, (a, b) -> a * b);
      case "Mean" -> {
        Value x = in(n, 0);
        double[] out = new double[x.c()];
        for (int i = 0; i < x.h() * x.w(); i++) {
          for (int k = 0; k < x.c(); k++) {
            out[k] += x.data()[i * x.c() + k] / (x.h() * x.w());
          }
        }
        yield new Value(out, 1, 1, x.c(), null);
      }
      default -> throw new IllegalArgumentException("reference: no " + n.op());
    };
  }

  private static Value map(Value x, java.util.function.DoubleUnaryOperator f) {
    double[] out = new double[x.data().length];
    for (int i = 0; i < out.length; i++) {
      out[i] = f.applyAsDouble(x.data()[i]);
    }
    return new Value(out, x.h(), x.w(), x.c(), null);
  }

  /** a op b with NumPy broadcasting of [h,w,c] against [h,w,c], [1,1,c], a per-channel vector or a scalar. */
  private Value elementwise(TfjsGraph.Node n, java.util.function.DoubleBinaryOperator f) {
    Value a = in(n, 0);
    Value b = in(n, 1);
    Value shape = a.constant() != null || (b.constant() == null && b.h() * b.w() > a.h() * a.w()) ? b : a;
    double[] out = new double[shape.h() * shape.w() * shape.c()];
    for (int i = 0; i < shape.h() * shape.w(); i++) {
      for (int k = 0; k < shape.c(); k++) {
        out[i * shape.c() + k] = f.applyAsDouble(at(a, i, k), at(b, i, k));
      }
    }
    return new Value(out, shape.h(), shape.w(), shape.c(), null);
  }

  private static double at(Value v, int pixel, int channel) {
    if (v.constant() != null) {
      float[] c = v.constant().values();
      return c.length == 1 ? c[0] : c[channel];
    }
    int p = v.h() * v.w() == 1 ? 0 : pixel;
    return v.data()[p * v.c() + channel];
  }

  private Value conv(TfjsGraph.Node n, boolean depthwise) {
    Value x = in(n, 0);
    TfjsGraph.Constant w = in(n, 1).constant();
    int kh = w.shape()[0];
    int kw = w.shape()[1];
    int cin = w.shape()[2];
    int m = w.shape()[3];
    int cout = depthwise ? cin * m : m;
    int s = n.ints("strides")[1];
    boolean same = "SAME".equals(n.string("padding"));
    int oh = same ? (x.h() + s - 1) / s : (x.h() - kh) / s + 1;
    int ow = same ? (x.w() + s - 1) / s : (x.w() - kw) / s + 1;
    int padTop = same ? Math.max((oh - 1) * s + kh - x.h(), 0) / 2 : 0;
    int padLeft = same ? Math.max((ow - 1) * s + kw - x.w(), 0) / 2 : 0;
    List<String> fused = n.strings("fused_ops");
    float[] bias = fused.contains("BiasAdd") ? in(n, 2).constant().values() : new float[cout];
    double[] out = new double[oh * ow * cout];
    for (int y = 0; y < oh; y++) {
      for (int z = 0; z < ow; z++) {
        for (int o = 0; o < cout; o++) {
          double sum = bias[o];
          for (int dy = 0; dy < kh; dy++) {
            int iy = y * s + dy - padTop;
            if (iy < 0 || iy >= x.h()) {
              continue;
            }
            for (int dz = 0; dz < kw; dz++) {
              int iz = z * s + dz - padLeft;
              if (iz < 0 || iz >= x.w()) {
                continue;
              }
              int base = (iy * x.w() + iz) * x.c();
              if (depthwise) {
                int ch = o / m;
                sum += x.data()[base + ch] * w.values()[((dy * kw + dz) * cin + ch) * m + o % m];
              } else {
                for (int i = 0; i < cin; i++) {
                  sum += x.data()[base + i] * w.values()[((dy * kw + dz) * cin + i) * m + o];
                }
              }
            }
          }
          if (fused.contains("Relu")) {
            sum = Math.max(sum, 0);
          } else if (fused.contains("Relu6")) {
            sum = Math.min(Math.max(sum, 0), 6);
          }
          out[(y * ow + z) * cout + o] = sum;
        }
      }
    }
    return new Value(out, oh, ow, cout, null);
  }

  private Value in(TfjsGraph.Node n, int i) {
    String name = n.inputs().get(i);
    Value v = values.get(name);
    if (v != null) {
      return v;
    }
    return new Value(null, 0, 0, 0, model.constants().get(name));
  }
}
