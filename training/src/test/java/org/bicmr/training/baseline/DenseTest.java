package org.bicmr.training.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The auxiliary nets: the forward pass equals one written out in double precision from the net's weights, the input
 * gradient behind AGAH's gradient penalty equals finite differences of that pass, and a fixed forward pass passes no
 * gradient to the weights. Rerun with {@code -Dbicmr.test.seed=<seed>}.
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
      double[] outputs = critic.forward(input).toType(DataType.FLOAT64, false).toDoubleArray();
      List<double[][]> weights = new ArrayList<>();
      List<double[]> biases = new ArrayList<>();
      List<Parameter> parameters = critic.parameters();
      for (int p = 0; p < parameters.size(); p += 2) {
        weights.add(matrix(parameters.get(p).getArray()));
        biases.add(parameters.get(p + 1).getArray().toType(DataType.FLOAT64, false).toDoubleArray());
      }
      int checked = 0;
      for (int i = 0; i < 3; i++) {
        // the net's float32 forward pass is the double-precision one written here from its weights
        double centre = output(weights, biases, x[i]);
        assertEquals(centre, outputs[i], 1e-4 * Math.max(1, Math.abs(centre)), "seed " + seed + ", row " + i);
        for (int k = 0; k < 5; k++) {
          // piecewise linear in double precision: the difference quotients over four sub-steps of [x - eps, x + eps]
          // agree unless a ReLU kink lies inside, and then the input is skipped (at eps = 1e-6 that is rare)
          double eps = 1e-6;
          double[] slopes = new double[4];
          for (int s = 0; s < 4; s++) {
            slopes[s] = (shifted(weights, biases, x[i], k, -eps + (s + 1) * eps / 2)
                - shifted(weights, biases, x[i], k, -eps + s * eps / 2)) / (eps / 2);
          }
          double numeric = (slopes[0] + slopes[1] + slopes[2] + slopes[3]) / 4;
          double tolerance = 1e-6 * Math.max(1, Math.abs(numeric));
          if (Arrays.stream(slopes).anyMatch(slope -> Math.abs(slope - numeric) > tolerance)) {
            continue;
          }
          assertEquals(numeric, gradient[i * 5 + k], 1e-4 * Math.max(1, Math.abs(numeric)),
              "seed " + seed + ", row " + i + ", input " + k);
          checked++;
        }
      }
      assertTrue(checked >= 14, "seed " + seed + ": only " + checked + " of 15 inputs away from a ReLU kink");
    }
  }

  private static double[][] matrix(NDArray array) {
    int rows = (int) array.getShape().get(0);
    int columns = (int) array.getShape().get(1);
    double[] flat = array.toType(DataType.FLOAT64, false).toDoubleArray();
    double[][] matrix = new double[rows][columns];
    for (int a = 0; a < rows; a++) {
      System.arraycopy(flat, a * columns, matrix[a], 0, columns);
    }
    return matrix;
  }

  private static double shifted(List<double[][]> weights, List<double[]> biases, double[] x, int k, double t) {
    double[] moved = x.clone();
    moved[k] += t;
    return output(weights, biases, moved);
  }

  /** The net's one output at x in double precision: linear layers (weights out × in) with ReLU between them. */
  private static double output(List<double[][]> weights, List<double[]> biases, double[] x) {
    double[] h = x;
    for (int layer = 0; layer < weights.size(); layer++) {
      double[][] w = weights.get(layer);
      double[] next = new double[w.length];
      for (int a = 0; a < w.length; a++) {
        double sum = biases.get(layer)[a];
        for (int b = 0; b < h.length; b++) {
          sum += w[a][b] * h[b];
        }
        next[a] = layer < weights.size() - 1 ? Math.max(0, sum) : sum;
      }
      h = next;
    }
    return h[0];
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
