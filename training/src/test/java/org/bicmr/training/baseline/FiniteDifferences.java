package org.bicmr.training.baseline;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/** Checks an autograd gradient against central finite differences of a plain-Java oracle. */
final class FiniteDifferences {
  private FiniteDifferences() {}

  /**
   * Checks that the gradient of {@code loss} (a DJL scalar) w.r.t. its matrix argument equals the central finite
   * difference of {@code oracle} at {@code x}, entry by entry; returns the number of entries checked.
   */
  static int check(NDManager m, double[][] x, Function<NDArray, NDArray> loss, ToDoubleFunction<double[][]> oracle,
      String what) {
    NDArray input = m.create(x);
    input.setRequiresGradient(true);
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      collector.backward(loss.apply(input));
    }
    double[] grad = input.getGradient().toDoubleArray();
    int cols = x[0].length;
    double eps = 1e-5;
    for (int i = 0; i < x.length; i++) {
      for (int k = 0; k < cols; k++) {
        double[][] plus = Oracle.copy(x);
        double[][] minus = Oracle.copy(x);
        plus[i][k] += eps;
        minus[i][k] -= eps;
        double numeric = (oracle.applyAsDouble(plus) - oracle.applyAsDouble(minus)) / (2 * eps);
        double analytic = grad[i * cols + k];
        double scale = Math.max(1e-2, Math.abs(numeric));
        assertTrue(Math.abs(analytic - numeric) / scale < 1e-6,
            what + " row " + i + " column " + k + ": autograd " + analytic + ", finite difference " + numeric);
      }
    }
    return x.length * cols;
  }
}
