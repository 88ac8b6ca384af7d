package org.bicmr.training.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The auxiliary nets: the input gradient behind AGAH's gradient penalty equals finite differences of the forward
 * pass, and a fixed forward pass passes no gradient to the weights. Rerun with {@code -Dbicmr.test.seed=<seed>}.
 */
class DenseTest {

  @Test
  void inputGradientIsTheForwardPassesFiniteDifference() {
    long seed = Long.getLong("bicmr.test.seed", new Random().nextLong());
    System.out.println("DenseTest seed: " + seed + " (rerun with -Dbicmr.test.seed=" + seed + ")");
    Random r = new Random(seed);
    try (NDManager m = NDManager.newBaseManager()) {
      Dense critic = new Dense(5, new int[] {7, 4, 1}, seed, m);
      double[][] x = Oracle.gaussian(r, 3, 5);
      NDArray input = m.create(x).toType(DataType.FLOAT32, false);
      double[] gradient = critic.inputGradient(input).toType(DataType.FLOAT64, false).toDoubleArray();
      int checked = 0;
      for (int i = 0; i < 3; i++) {
        for (int k = 0; k < 5; k++) {
          // the net is piecewise linear: a central difference is exact inside one ReLU region, and a step that
          // crosses a kink shows as a second difference; then a smaller step, and if that crosses too, no check
          for (double eps : new double[] {1e-2, 1e-3}) {
            double[][] plus = Oracle.copy(x);
            double[][] minus = Oracle.copy(x);
            plus[i][k] += eps;
            minus[i][k] -= eps;
            double up = output(critic, m, plus, i);
            double down = output(critic, m, minus, i);
            double centre = output(critic, m, x, i);
            if (Math.abs(up - 2 * centre + down) > 1e-5) {
              continue; // a kink between x - eps and x + eps
            }
            double numeric = (up - down) / (2 * eps);
            assertEquals(numeric, gradient[i * 5 + k], 1e-3 * Math.max(1, Math.abs(numeric)),
                "seed " + seed + ", row " + i + ", input " + k);
            checked++;
            break;
          }
        }
      }
      assertTrue(checked >= 12, "seed " + seed + ": only " + checked + " of 15 inputs away from a ReLU kink");
    }
  }

  private static double output(Dense net, NDManager m, double[][] x, int row) {
    return net.forward(m.create(x).toType(DataType.FLOAT32, false)).toType(DataType.FLOAT64, false)
        .toDoubleArray()[row];
  }

  @Test
  void theGradientPenaltyReachesTheWeightsAndAFixedPassDoesNot() {
    try (NDManager m = NDManager.newBaseManager()) {
      Dense critic = new Dense(3, new int[] {4, 1}, 1L, m);
      NDArray x = m.create(new float[][] {{1, -2, 0.5f}, {0.3f, 0.1f, -1}});
      x.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.backward(critic.forwardFixed(x).sum());
      }
      for (var p : critic.parameters()) {
        assertArrayEquals(new float[(int) p.getArray().size()], p.getArray().getGradient().toFloatArray());
      }
      assertTrue(x.getGradient().abs().sum().getFloat() > 0);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.backward(critic.inputGradient(x).square().sum());
      }
      assertTrue(critic.parameters().get(0).getArray().getGradient().abs().sum().getFloat() > 0);
    }
  }
}
