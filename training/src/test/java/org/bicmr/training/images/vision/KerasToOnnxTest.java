package org.bicmr.training.images.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.bicmr.training.images.vision.KerasToOnnx.InputRange;
import org.bicmr.training.images.vision.KerasToOnnx.Options;
import org.junit.jupiter.api.Test;

/**
 * Keras layers converted to ONNX and run in ONNX Runtime give what TensorFlow's definitions give: on tiny inputs
 * against numbers worked out by hand (stride-2 'same' padding only after, BatchNormalization, ReLU6, ZeroPadding2D,
 * depthwise convolution, channels-last flatten order), and on a small MobileNet-like model with random uint8-quantised
 * weights against the plain-Java {@link KerasReference}.
 */
class KerasToOnnxTest {
  private static final long SEED = Long.getLong("bicmr.test.seed", new Random().nextLong());

  static {
    System.out.println("KerasToOnnxTest seed: " + SEED);
  }

  private static float[] ramp(int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = i;
    }
    return v;
  }

  private static float[] identity(int n) {
    float[] v = new float[n * n];
    for (int i = 0; i < n; i++) {
      v[i * n + i] = 1;
    }
    return v;
  }

  private static float[] filled(int n, float value) {
    float[] v = new float[n];
    java.util.Arrays.fill(v, value);
    return v;
  }

  private static Map<String, float[]> run(TinyKeras keras, Options options, float[] nchw, int c, int h, int w)
      throws Exception {
    KerasToOnnx.Converted converted = KerasToOnnx.convert(keras.read(), options, "test", Map.of());
    try (OnnxRun run = new OnnxRun(converted.onnx())) {
      return run.run(nchw, 1, c, h, w);
    }
  }

  /**
   * x = 0..15 on a 4×4 map; 3×3 ones, stride 2, 'same': TensorFlow pads 1 row and column, all after, so the windows
   * are rows/cols {0,1,2} and {2,3,pad}: sums 45, 39, 66, 50. BatchNormalization γ 0.5, β 1, mean 40, variance
   * 3.999 + ε 0.001 = 4 gives (v - 40)/4 + 1 = 2.25, 0.75, 7.5, 3.5; ReLU6 clips 7.5 to 6.
   */
  @Test
  void strideTwoSamePadsAfterThenBatchNormAndRelu6() throws Exception {
    TinyKeras k = new TinyKeras(4, 4, 1)
        .layer("Conv2D", "conv", "{filters: 1, kernel_size: [3, 3], strides: [2, 2], padding: 'same', "
            + "activation: 'linear', use_bias: false}")
        .weight("conv/kernel", new int[] {3, 3, 1, 1}, filled(9, 1))
        .layer("BatchNormalization", "bn", "{axis: -1, epsilon: 0.001, center: true, scale: true}")
        .weight("bn/gamma", new int[] {1}, 0.5f).weight("bn/beta", new int[] {1}, 1f)
        .weight("bn/moving_mean", new int[] {1}, 40f).weight("bn/moving_variance", new int[] {1}, 3.999f)
        .layer("ReLU", "relu6", "{max_value: 6, negative_slope: 0, threshold: 0}")
        .layer("Flatten", "flat", "{}")
        .layer("Dense", "out", "{units: 4, activation: 'linear', use_bias: false}")
        .weight("out/kernel", new int[] {4, 4}, identity(4));
    Map<String, float[]> out = run(k, new Options("relu6", InputRange.UNIT, true), ramp(16), 1, 4, 4);
    float[] expected = {2.25f, 0.75f, 6f, 3.5f};
    assertArrayEquals(expected, out.get(KerasToOnnx.PROBABILITIES), 1e-5f);
    assertArrayEquals(new float[] {(2.25f + 0.75f + 6f + 3.5f) / 4}, out.get(KerasToOnnx.FEATURES), 1e-5f);
    Map<String, float[]> conv = run(k, new Options("conv", InputRange.UNIT, false), ramp(16), 1, 4, 4);
    assertArrayEquals(new float[] {(45 + 39 + 66 + 50) / 4f}, conv.get(KerasToOnnx.FEATURES), 1e-4f);
  }

  /**
   * Channel 0 = 0..15, channel 1 = 1 on a 4×4 map, padded [[0, 1], [0, 1]] to 5×5; a 3×3 depthwise conv of ones,
   * stride 2, 'valid': channel 0 sums 45, 39, 66, 50 as above, channel 1 counts the real pixels 9, 6, 6, 4. Flatten
   * interleaves channels (channels-last): 45, 9, 39, 6, 66, 6, 50, 4. With {@code SYMMETRIC} the input becomes
   * 2x - 1.
   */
  @Test
  void zeroPaddingDepthwiseAndChannelsLastFlatten() throws Exception {
    TinyKeras k = new TinyKeras(4, 4, 2)
        .layer("ZeroPadding2D", "pad", "{padding: [[0, 1], [0, 1]], data_format: 'channels_last'}")
        .layer("DepthwiseConv2D", "dw", "{kernel_size: [3, 3], strides: [2, 2], padding: 'valid', "
            + "depth_multiplier: 1, activation: 'linear', use_bias: false}")
        .weight("dw/depthwise_kernel", new int[] {3, 3, 2, 1}, filled(18, 1))
        .layer("Flatten", "flat", "{}")
        .layer("Dense", "out", "{units: 8, activation: 'linear', use_bias: false}")
        .weight("out/kernel", new int[] {8, 8}, identity(8));
    float[] nchw = new float[32];
    System.arraycopy(ramp(16), 0, nchw, 0, 16);
    System.arraycopy(filled(16, 1), 0, nchw, 16, 16);
    Map<String, float[]> out = run(k, new Options("dw", InputRange.UNIT, true), nchw, 2, 4, 4);
    assertArrayEquals(new float[] {45, 9, 39, 6, 66, 6, 50, 4}, out.get(KerasToOnnx.PROBABILITIES), 1e-5f);
    assertArrayEquals(new float[] {50, 25 / 4f}, out.get(KerasToOnnx.FEATURES), 1e-5f);
    // 2x - 1: channel 1 becomes 1 again, channel 0 becomes 2·sum - count
    Map<String, float[]> sym = run(k, new Options("dw", InputRange.SYMMETRIC, true), nchw, 2, 4, 4);
    assertArrayEquals(new float[] {81, 9, 72, 6, 126, 6, 96, 4}, sym.get(KerasToOnnx.PROBABILITIES), 1e-4f);
  }

  /** Stride 2 'same' on an odd size (5): 3 outputs, total padding 2, one before and one after. */
  @Test
  void strideTwoSameOnAnOddSizePadsBothSides() throws Exception {
    TinyKeras k = new TinyKeras(5, 5, 1)
        .layer("Conv2D", "conv", "{filters: 1, kernel_size: [3, 3], strides: [2, 2], padding: 'same', "
            + "activation: 'linear', use_bias: true}")
        .weight("conv/kernel", new int[] {3, 3, 1, 1}, filled(9, 1))
        .weight("conv/bias", new int[] {1}, 0.5f)
        .layer("Flatten", "flat", "{}")
        .layer("Dense", "out", "{units: 9, activation: 'linear', use_bias: false}")
        .weight("out/kernel", new int[] {9, 9}, identity(9));
    // x = 0..24; windows rows/cols {-1,0,1}, {1,2,3}, {3,4,5}
    float[] expected = new float[9];
    int[][] spans = {{0, 1}, {1, 3}, {3, 4}};
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        float sum = 0.5f;
        for (int y = spans[i][0]; y <= spans[i][1]; y++) {
          for (int x = spans[j][0]; x <= spans[j][1]; x++) {
            sum += y * 5 + x;
          }
        }
        expected[i * 3 + j] = sum;
      }
    }
    assertEquals(12.5f, expected[0]); // 0 + 1 + 5 + 6 + 0.5, worked by hand
    Map<String, float[]> out = run(k, new Options("conv", InputRange.UNIT, true), ramp(25), 1, 5, 5);
    assertArrayEquals(expected, out.get(KerasToOnnx.PROBABILITIES), 1e-4f);
  }

  /** A small MobileNetV2-like model with random quantised weights against the plain-Java reference. */
  @Test
  void mobileNetLikeModelMatchesTheReference() throws Exception {
    Random r = new Random(SEED);
    int h = 9;
    int w = 10;
    TinyKeras k = new TinyKeras(h, w, 3)
        .layer("ZeroPadding2D", "Conv1_pad", "{padding: [[0, 1], [0, 1]]}")
        .layer("Conv2D", "Conv1", "{filters: 4, kernel_size: [3, 3], strides: [2, 2], padding: 'valid', "
            + "activation: 'linear', use_bias: false, dilation_rate: [1, 1]}")
        .random("Conv1/kernel", r, -1, 1, 3, 3, 3, 4);
    bn(k, "bn_Conv1", 4, r).layer("ReLU", "Conv1_relu", "{max_value: 6}")
        .layer("DepthwiseConv2D", "dw", "{kernel_size: [3, 3], strides: [1, 1], padding: 'same', "
            + "depth_multiplier: 2, activation: 'linear', use_bias: false}")
        .random("dw/depthwise_kernel", r, -1, 1, 3, 3, 4, 2);
    bn(k, "dw_BN", 8, r).layer("ReLU", "dw_relu", "{max_value: 6, negative_slope: 0, threshold: 0}")
        .layer("Conv2D", "project", "{filters: 4, kernel_size: [1, 1], strides: [1, 1], padding: 'same', "
            + "activation: 'linear', use_bias: false}")
        .random("project/kernel", r, -1, 1, 1, 1, 8, 4);
    bn(k, "project_BN", 4, r).layer("Add", "add", "{}", "Conv1_relu", "project_BN")
        .layer("DepthwiseConv2D", "dw2", "{kernel_size: [3, 3], strides: [2, 2], padding: 'same', "
            + "depth_multiplier: 1, activation: 'relu6', use_bias: true}")
        .random("dw2/depthwise_kernel", r, -1, 1, 3, 3, 4, 1).random("dw2/bias", r, -0.5f, 0.5f, 4)
        .layer("ReLU", "relu", "{}")
        .layer("Conv2D", "Conv_1", "{filters: 6, kernel_size: [1, 1], strides: [1, 1], padding: 'valid', "
            + "activation: 'relu6', use_bias: true}")
        .random("Conv_1/kernel", r, -1, 1, 1, 1, 4, 6).random("Conv_1/bias", r, -1, 1, 6)
        .layer("AveragePooling2D", "pool", "{pool_size: [2, 2], strides: [1, 1], padding: 'valid'}")
        .layer("Flatten", "flatten", "{}")
        .layer("Dense", "dense_1", "{units: 5, activation: 'relu', use_bias: true}")
        .random("dense_1/kernel", r, -1, 1, 6 * 1 * 2, 5).random("dense_1/bias", r, -1, 1, 5)
        .layer("Dropout", "dropout", "{rate: 0.5}")
        .layer("Dense", "dense_2", "{units: 3, activation: 'softmax', use_bias: true}")
        .random("dense_2/kernel", r, -1, 1, 5, 3).random("dense_2/bias", r, -1, 1, 3);
    TfjsModel model = k.read();
    float[] nchw = new float[3 * h * w];
    for (int i = 0; i < nchw.length; i++) {
      nchw[i] = r.nextFloat();
    }
    for (InputRange range : InputRange.values()) {
      Map<String, KerasReference.Map3> ref = KerasReference.run(model, OnnxRun.channelsLast(nchw, 3, h, w),
          range == InputRange.SYMMETRIC);
      for (String tap : new String[] {null, "Conv1_relu", "dw_relu", "add", "relu"}) {
        KerasToOnnx.Converted c = KerasToOnnx.convert(model, new Options(tap, range, true), "test", Map.of());
        Map<String, float[]> out;
        try (OnnxRun run = new OnnxRun(c.onnx())) {
          out = run.run(nchw, 1, 3, h, w);
        }
        String tapped = tap == null ? "Conv_1" : tap;
        assertEquals(tapped, c.tap());
        float dF = OnnxRun.maxAbsDiff(KerasReference.globalAverage(ref.get(tapped)), out.get(KerasToOnnx.FEATURES));
        float dP = OnnxRun.maxAbsDiff(ref.get("dense_2").v(), out.get(KerasToOnnx.PROBABILITIES));
        System.out.printf(Locale.ROOT, "tiny MobileNet, %s input, tap %s: features max |diff| %.2g, "
            + "probabilities %.2g%n", range, tapped, dF, dP);
        assertTrue(dF < 1e-5 && dP < 1e-6, tapped + ": features differ by " + dF + ", probabilities by " + dP);
      }
    }
  }

  private static TinyKeras bn(TinyKeras k, String name, int n, Random r) {
    return k.layer("BatchNormalization", name, "{axis: -1, momentum: 0.999, epsilon: 0.001, center: true, "
            + "scale: true}")
        .random(name + "/gamma", r, 0.5f, 2, n).random(name + "/beta", r, -1, 1, n)
        .random(name + "/moving_mean", r, -1, 1, n).random(name + "/moving_variance", r, 0.1f, 3, n);
  }

  @Test
  void onlyTheLayersTheOutputsNeedAreConverted() throws Exception {
    TinyKeras k = new TinyKeras(4, 4, 1)
        .layer("Conv2D", "conv", "{filters: 2, kernel_size: [1, 1], strides: [1, 1], padding: 'valid', "
            + "activation: 'linear', use_bias: false}")
        .weight("conv/kernel", new int[] {1, 1, 1, 2}, 1, -1)
        .layer("SeparableConv2D", "later", "{}");
    KerasToOnnx.Converted c = KerasToOnnx.convert(k.read(), new Options("conv", InputRange.UNIT, false), "", Map.of());
    assertEquals(2, c.features());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KerasToOnnx.convert(k.read(), new Options("conv", InputRange.UNIT, true), "", Map.of()));
    assertEquals("layer later: Keras class SeparableConv2D has no ONNX mapping here", e.getMessage());
  }

  @Test
  void refusesWhatItCannotConvertNamingTheLayer() throws Exception {
    TinyKeras causal = new TinyKeras(4, 4, 1)
        .layer("Conv2D", "conv", "{filters: 1, kernel_size: [1, 1], strides: [1, 1], padding: 'causal', "
            + "activation: 'linear', use_bias: false}")
        .weight("conv/kernel", new int[] {1, 1, 1, 1}, 1);
    assertEquals("layer conv (Conv2D): padding is causal, expected same or valid", assertThrows(
        IllegalArgumentException.class, () -> KerasToOnnx.convert(causal.read(), new Options("conv", InputRange.UNIT,
            false), "", Map.of())).getMessage());
    TinyKeras leaky = new TinyKeras(4, 4, 1).layer("ReLU", "leaky", "{negative_slope: 0.1}");
    assertEquals("layer leaky (ReLU): negative_slope is 0.1, expected 0", assertThrows(IllegalArgumentException.class,
        () -> KerasToOnnx.convert(leaky.read(), new Options("leaky", InputRange.UNIT, false), "", Map.of()))
        .getMessage());
    TinyKeras wrongKernel = new TinyKeras(4, 4, 1)
        .layer("Conv2D", "conv", "{filters: 2, kernel_size: [1, 1], strides: [1, 1], padding: 'valid'}")
        .weight("conv/kernel", new int[] {1, 1, 1, 1}, 1);
    assertEquals("layer conv: weight conv/kernel has shape [1, 1, 1, 1], expected [1, 1, 1, 2]", assertThrows(
        IllegalArgumentException.class, () -> KerasToOnnx.convert(wrongKernel.read(), new Options("conv",
            InputRange.UNIT, false), "", Map.of())).getMessage());
    assertEquals("no layer named nope", assertThrows(IllegalArgumentException.class,
        () -> KerasToOnnx.convert(wrongKernel.read(), new Options("nope", InputRange.UNIT, false), "", Map.of()))
        .getMessage());
    assertEquals("tap block_7: the model has no layers named block_7_…", assertThrows(IllegalArgumentException.class,
        () -> KerasToOnnx.convert(wrongKernel.read(), new Options("block_7", InputRange.UNIT, false), "", Map.of()))
        .getMessage());
  }
}
