package org.bicmr.training.images.vision;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;

/** Runs a converted model in ONNX Runtime: one batch of NCHW images in, every output as a flat float array. */
final class OnnxRun implements AutoCloseable {
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;

  OnnxRun(byte[] model) throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      session = env.createSession(model, options);
    }
  }

  /** Outputs by name for {@code images} {@code [n, c, h, w]} laid out flat. */
  Map<String, float[]> run(float[] images, int n, int c, int h, int w) throws OrtException {
    try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(images), new long[] {n, c, h, w});
        OrtSession.Result result = session.run(Map.of(KerasToOnnx.INPUT, in))) {
      Map<String, float[]> out = new HashMap<>();
      for (var e : result) {
        OnnxTensor t = (OnnxTensor) e.getValue();
        FloatBuffer b = t.getFloatBuffer();
        float[] v = new float[b.remaining()];
        b.get(v);
        out.put(e.getKey(), v);
      }
      return out;
    }
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }

  static float maxAbsDiff(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new AssertionError("lengths " + a.length + " and " + b.length);
    }
    float max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  /** {@code [c, h, w]} to {@code [h, w, c]}. */
  static float[] channelsLast(float[] chw, int c, int h, int w) {
    float[] hwc = new float[chw.length];
    for (int ch = 0; ch < c; ch++) {
      for (int i = 0; i < h * w; i++) {
        hwc[i * c + ch] = chw[ch * h * w + i];
      }
    }
    return hwc;
  }
}
