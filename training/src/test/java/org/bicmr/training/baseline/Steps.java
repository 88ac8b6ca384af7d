package org.bicmr.training.baseline;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/** Builds an {@link AlternatingObjective.Step} from plain arrays and checks its gradient by finite differences. */
final class Steps {
  private Steps() {}

  /**
   * The step of the modality whose outputs are {@code own} (F for an image step, G for a text step) on {@code rows};
   * the outputs carry a gradient.
   */
  static AlternatingObjective.Step step(NDManager m, double[][] own, double[][] other, double[][] codes,
      double[][] s, int[] rows) {
    NDArray x = m.create(Oracle.rows(own, rows));
    x.setRequiresGradient(true);
    double[][] sb = Oracle.rows(s, rows);
    double[][] sbb = new double[rows.length][rows.length];
    for (int i = 0; i < rows.length; i++) {
      for (int j = 0; j < rows.length; j++) {
        sbb[i][j] = s[rows[i]][rows[j]];
      }
    }
    return new AlternatingObjective.Step(x, m.create(own), m.create(other), m.create(Oracle.rows(codes, rows)),
        m.create(sb), m.create(sbb));
  }

  /**
   * Checks that the autograd gradient of the step loss w.r.t. its outputs equals the central finite difference of the
   * whole objective {@code j} w.r.t. those rows of {@code own}; returns the number of entries checked.
   */
  static int checkGradient(AlternatingObjective loss, AlternatingObjective.Step step, double[][] own, int[] rows,
      ToDoubleFunction<double[][]> j, String what) {
    return checkGradient(loss, step, own, rows, j, what, LossTerms::total);
  }

  /** {@link #checkGradient} of one part of the step loss, chosen by {@code part}. */
  static int checkGradient(AlternatingObjective loss, AlternatingObjective.Step step, double[][] own, int[] rows,
      ToDoubleFunction<double[][]> j, String what, Function<LossTerms, NDArray> part) {
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      collector.backward(part.apply(loss.step(step)));
    }
    double[] grad = step.outputs().getGradient().toDoubleArray();
    int l = own[0].length;
    double eps = 1e-5;
    for (int i = 0; i < rows.length; i++) {
      for (int k = 0; k < l; k++) {
        double[][] plus = Oracle.copy(own);
        double[][] minus = Oracle.copy(own);
        plus[rows[i]][k] += eps;
        minus[rows[i]][k] -= eps;
        double numeric = (j.applyAsDouble(plus) - j.applyAsDouble(minus)) / (2 * eps);
        double analytic = grad[i * l + k];
        double scale = Math.max(1e-2, Math.abs(numeric));
        assertTrue(Math.abs(analytic - numeric) / scale < 1e-6,
            what + " row " + rows[i] + " bit " + k + ": autograd " + analytic + ", finite difference " + numeric);
      }
    }
    return rows.length * l;
  }
}
