package org.bicmr.training.images.vision;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * Evaluates a Keras model the way TensorFlow defines its layers, in plain Java loops over channels-last arrays, one
 * image at a time: the independent side of the converter's tests. Nothing here is shared with {@link KerasToOnnx}
 * but the model's parsed topology and weights.
 */
final class KerasReference {
  /** A channels-last activation: {@code [h, w, c]} (or {@code [n]} with h = w = 0). */
  record Map3(float[] v, int h, int w, int c) {
    float at(int y, int x, int ch) {
      return v[(y * w + x) * c + ch];
    }

    boolean vector() {
      return h == 0;
    }
  }

  private KerasReference() {}

  /** Every layer's output for one image {@code [h, w, c]} in channels-last order. */
  static Map<String, Map3> run(TfjsModel model, float[] hwc, boolean symmetric) {
    Map<String, Map3> out = new HashMap<>();
    for (KerasLayer l : model.layers()) {
      JsonObject c = l.config();
      Map3 x = l.inputs().isEmpty() ? null : out.get(l.inputs().get(0));
      Map3 y = switch (l.className()) {
        case "InputLayer" -> {
          var s = c.getAsJsonArray("batch_input_shape");
          float[] v = hwc.clone();
          if (symmetric) {
            for (int i = 0; i < v.length; i++) {
              v[i] = 2 * v[i] - 1;
            }
          }
          yield new Map3(v, s.get(1).getAsInt(), s.get(2).getAsInt(), s.get(3).getAsInt());
        }
        case "ZeroPadding2D" -> {
          var p = c.getAsJsonArray("padding");
          int top = p.get(0).getAsJsonArray().get(0).getAsInt();
          int bottom = p.get(0).getAsJsonArray().get(1).getAsInt();
          int left = p.get(1).getAsJsonArray().get(0).getAsInt();
          int right = p.get(1).getAsJsonArray().get(1).getAsInt();
          int h = x.h() + top + bottom;
          int w = x.w() + left + right;
          float[] v = new float[h * w * x.c()];
          for (int i = 0; i < x.h(); i++) {
            for (int j = 0; j < x.w(); j++) {
              for (int ch = 0; ch < x.c(); ch++) {
                v[((i + top) * w + j + left) * x.c() + ch] = x.at(i, j, ch);
              }
            }
          }
          yield new Map3(v, h, w, x.c());
        }
        case "Conv2D" -> act(conv(model, l, x, false), c);
        case "DepthwiseConv2D" -> act(conv(model, l, x, true), c);
        case "BatchNormalization" -> {
          float[] v = x.v().clone();
          int n = x.vector() ? v.length : x.c();
          float eps = c.get("epsilon").getAsFloat();
          float[] gamma = model.weights().containsKey(l.name() + "/gamma") ? w(model, l, "gamma") : null;
          float[] beta = model.weights().containsKey(l.name() + "/beta") ? w(model, l, "beta") : null;
          float[] mean = w(model, l, "moving_mean");
          float[] var = w(model, l, "moving_variance");
          for (int i = 0; i < v.length; i++) {
            int ch = i % n;
            double norm = (v[i] - mean[ch]) / Math.sqrt(var[ch] + eps);
            v[i] = (float) (norm * (gamma == null ? 1 : gamma[ch]) + (beta == null ? 0 : beta[ch]));
          }
          yield new Map3(v, x.h(), x.w(), x.c());
        }
        case "ReLU" -> {
          JsonElement max = c.get("max_value");
          float m = max == null || max.isJsonNull() ? Float.POSITIVE_INFINITY : max.getAsFloat();
          float[] v = x.v().clone();
          for (int i = 0; i < v.length; i++) {
            v[i] = Math.min(Math.max(v[i], 0), m);
          }
          yield new Map3(v, x.h(), x.w(), x.c());
        }
        case "Activation" -> act(x, c);
        case "Add" -> {
          float[] v = x.v().clone();
          for (int k = 1; k < l.inputs().size(); k++) {
            float[] o = out.get(l.inputs().get(k)).v();
            for (int i = 0; i < v.length; i++) {
              v[i] += o[i];
            }
          }
          yield new Map3(v, x.h(), x.w(), x.c());
        }
        case "AveragePooling2D" -> {
          int k = c.getAsJsonArray("pool_size").get(0).getAsInt();
          int s = c.getAsJsonArray("strides").get(0).getAsInt();
          int h = (x.h() - k) / s + 1;
          int w = (x.w() - k) / s + 1;
          float[] v = new float[h * w * x.c()];
          for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
              for (int ch = 0; ch < x.c(); ch++) {
                double sum = 0;
                for (int a = 0; a < k; a++) {
                  for (int b = 0; b < k; b++) {
                    sum += x.at(i * s + a, j * s + b, ch);
                  }
                }
                v[(i * w + j) * x.c() + ch] = (float) (sum / (k * k));
              }
            }
          }
          yield new Map3(v, h, w, x.c());
        }
        case "GlobalAveragePooling2D" -> vector(globalAverage(x));
        case "Flatten" -> vector(x.v().clone()); // channels-last order is Keras' flatten order
        case "Dense" -> {
          int units = c.get("units").getAsInt();
          float[] k = w(model, l, "kernel");
          float[] b = c.get("use_bias").getAsBoolean() ? w(model, l, "bias") : new float[units];
          int n = x.v().length;
          float[] v = new float[units];
          for (int o = 0; o < units; o++) {
            double sum = b[o];
            for (int i = 0; i < n; i++) {
              sum += (double) x.v()[i] * k[i * units + o];
            }
            v[o] = (float) sum;
          }
          yield act(vector(v), c);
        }
        case "Dropout" -> x;
        default -> throw new IllegalArgumentException("reference has no " + l.className());
      };
      out.put(l.name(), y);
    }
    return out;
  }

  static float[] globalAverage(Map3 x) {
    float[] v = new float[x.c()];
    for (int ch = 0; ch < x.c(); ch++) {
      double sum = 0;
      for (int i = 0; i < x.h() * x.w(); i++) {
        sum += x.v()[i * x.c() + ch];
      }
      v[ch] = (float) (sum / (x.h() * x.w()));
    }
    return v;
  }

  private static Map3 vector(float[] v) {
    return new Map3(v, 0, 0, v.length);
  }

  private static float[] w(TfjsModel model, KerasLayer l, String name) {
    return model.weights().get(l.name() + "/" + name).values();
  }

  /** TensorFlow's convolution: 'same' gives ceil(in / s) outputs, padding max((out-1)s + k - in, 0), half before. */
  private static Map3 conv(TfjsModel model, KerasLayer l, Map3 x, boolean depthwise) {
    JsonObject c = l.config();
    int kh = c.getAsJsonArray("kernel_size").get(0).getAsInt();
    int kw = c.getAsJsonArray("kernel_size").get(1).getAsInt();
    int s = c.getAsJsonArray("strides").get(0).getAsInt();
    boolean same = c.get("padding").getAsString().equals("same");
    int h = same ? (x.h() + s - 1) / s : (x.h() - kh) / s + 1;
    int w = same ? (x.w() + s - 1) / s : (x.w() - kw) / s + 1;
    int top = same ? Math.max((h - 1) * s + kh - x.h(), 0) / 2 : 0;
    int left = same ? Math.max((w - 1) * s + kw - x.w(), 0) / 2 : 0;
    float[] k = w(model, l, depthwise ? "depthwise_kernel" : "kernel");
    int in = x.c();
    int m = depthwise && c.has("depth_multiplier") ? c.get("depth_multiplier").getAsInt() : 1;
    int outC = depthwise ? in * m : c.get("filters").getAsInt();
    float[] bias = c.get("use_bias").getAsBoolean() ? w(model, l, "bias") : new float[outC];
    float[] v = new float[h * w * outC];
    for (int i = 0; i < h; i++) {
      for (int j = 0; j < w; j++) {
        for (int o = 0; o < outC; o++) {
          double sum = bias[o];
          for (int a = 0; a < kh; a++) {
            int y = i * s + a - top;
            if (y < 0 || y >= x.h()) {
              continue;
            }
            for (int b = 0; b < kw; b++) {
              int xx = j * s + b - left;
              if (xx < 0 || xx >= x.w()) {
                continue;
              }
              if (depthwise) {
                // output channel o = input channel (o / m) times multiplier (o % m): kernel [kh, kw, in, m]
                sum += (double) x.at(y, xx, o / m) * k[(a * kw + b) * in * m + o];
              } else {
                for (int ch = 0; ch < in; ch++) {
                  sum += (double) x.at(y, xx, ch) * k[((a * kw + b) * in + ch) * outC + o];
                }
              }
            }
          }
          v[(i * w + j) * outC + o] = (float) sum;
        }
      }
    }
    return new Map3(v, h, w, outC);
  }

  private static Map3 act(Map3 x, JsonObject c) {
    String a = c.has("activation") ? c.get("activation").getAsString() : "linear";
    float[] v = x.v().clone();
    switch (a) {
      case "linear" -> { }
      case "relu" -> {
        for (int i = 0; i < v.length; i++) {
          v[i] = Math.max(v[i], 0);
        }
      }
      case "relu6" -> {
        for (int i = 0; i < v.length; i++) {
          v[i] = Math.min(Math.max(v[i], 0), 6);
        }
      }
      case "softmax" -> {
        double max = Double.NEGATIVE_INFINITY;
        for (float f : v) {
          max = Math.max(max, f);
        }
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
          sum += Math.exp(v[i] - max);
        }
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) (Math.exp(v[i] - max) / sum);
        }
      }
      default -> throw new IllegalArgumentException("reference has no activation " + a);
    }
    return new Map3(v, x.h(), x.w(), x.c());
  }
}
