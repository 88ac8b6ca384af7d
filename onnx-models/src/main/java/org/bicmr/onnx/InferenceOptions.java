package org.bicmr.onnx;

import java.util.Objects;

/**
 * How a bundle's nets run.
 *
 * @param device {@code auto}, {@code cpu} or {@code cuda}
 * @param threads intra-op threads of each session; 0 lets ONNX Runtime choose
 */
public record InferenceOptions(InferenceDevice device, int threads) {
  /** The defaults: CUDA if a device answers, else CPU; ONNX Runtime's thread count. */
  public static final InferenceOptions DEFAULT = new InferenceOptions(InferenceDevice.AUTO, 0);

  public InferenceOptions {
    Objects.requireNonNull(device, "device");
    if (threads < 0) {
      throw new IllegalArgumentException("threads: expected 0 (ONNX Runtime's choice) or more, got " + threads);
    }
  }
}
