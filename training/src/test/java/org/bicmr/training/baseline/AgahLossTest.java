package org.bicmr.training.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * AGAH's losses: each term by hand, the whole against plain Java on a random batch, the gradient w.r.t. both nets'
 * outputs and the label logits against finite differences, the critic's penalty. Rerun a randomized failure with
 * {@code -Dbicmr.test.seed=<the printed seed>}.
 */
class AgahLossTest {
  private static final double TOL = 1e-12;
  private static final double R = Math.sqrt(0.5); // 1/√2

  private static double sp(double x) {
    return Math.log1p(Math.exp(x));
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  @Test
  void everyTermByHand() {
    // b = 2, l = 2, c = 2; item 1 has label a, item 2 label b (S = I); margin 2 so that every triplet counts
    double[][] x = {{0.5, 0}, {0, -0.5}};
    double[][] y = {{0.5, 0.5}, {-0.5, 0}};
    double[][] labels = {{1, 0}, {0, 1}};
    double[][] codeMap = {{1, 1}, {1, -1}};
    AgahLoss loss = new AgahLoss(2, 3, 0.5, 4, 0.25, 2);
    try (NDManager m = NDManager.newBaseManager()) {
      double[] v = loss.batch(m.create(x), m.create(y), m.create(new double[][] {{0, 0}, {1, -1}}),
          m.create(new double[][] {{2, 0}, {0, 0}}), m.create(new double[] {1, 3}), m.create(new double[] {-1, 0}),
          m.create(codeMap), m.create(labels), m.create(labels)).values();
      // T(X, Y): anchor X1 — d(X1, Y1) = 1 − 1/√2, d(X1, Y2) = 2 → 1 − 1/√2 − 2 + 2;
      //          anchor X2 — d(X2, Y2) = 1, d(X2, Y1) = 1 + 1/√2 → 1 − 1 − 1/√2 + 2. T(Y, X) likewise: 2 − √2 and 1.
      double triplet = (1 - R) + (2 - R) + (2 - 2 * R) + 1;
      assertEquals(triplet, v[0], TOL);
      // cos(|h|, 1): X1, X2, Y2 → 1/√2; Y1 → 1
      assertEquals(3 * sigmoid(-R) + sigmoid(-1), v[1], TOL);
      // cross-entropy from logits: softplus(z) − L z
      double classification = 2 * Math.log(2) + sp(1) + sp(-1) + 1 + sp(2) - 2 + Math.log(2) + 2 * Math.log(2);
      assertEquals(classification, v[2], TOL);
      // X Mᵀ − 2 (2L − 1) = [(−1.5, 2.5), (1.5, −1.5)] → 13; Y Mᵀ − 2 (2L − 1) = [(−1, 2), (1.5, −2.5)] → 13.5
      assertEquals(26.5, v[3], TOL);
      // sign(0) = +1: X → ¼ + 1 + 1 + ¼, Y → ¼ + ¼ + ¼ + 1
      assertEquals(4.25, v[4], TOL);
      // −(mean (1, 3) + mean (−1, 0))
      assertEquals(-1.5, v[5], TOL);
      assertEquals(triplet + 2 * v[1] + 3 * classification + 0.5 * 26.5 + 4 * 4.25 + 0.25 * -1.5, v[6], 1e-9);

      // critic: −mean (1, 2) + mean (0, 1) + 10 · mean ((5 − 1)², (√1e-24 − 1)²): the zero row's norm is √1e-24
      double critic = LossTerms.value(AgahLoss.critic(m.create(new double[] {1, 2}), m.create(new double[] {0, 1}),
          m.create(new double[][] {{3, 4}, {0, 0}})));
      assertEquals(-1.5 + 0.5 + 10 * (16 + (1e-12 - 1) * (1e-12 - 1)) / 2, critic, TOL);
    }
  }

  /**
   * A mixture where the critic's input gradient is exactly zero (every unit off, as for the identical features of
   * items without any input — 388 NUS-WIDE-10.5K texts have no vocabulary word) gives a finite gradient: the penalty's
   * ‖·‖ has an infinite derivative at 0, which made AGAH diverge in its first epoch on NUS-WIDE.
   */
  @Test
  void criticPenaltyHasAFiniteGradientAtAZeroInputGradient() {
    try (NDManager m = NDManager.newBaseManager()) {
      ai.djl.ndarray.NDArray gradients = m.create(new double[][] {{3, 4}, {0, 0}});
      gradients.setRequiresGradient(true);
      try (ai.djl.training.GradientCollector collector = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
        ai.djl.ndarray.NDArray loss = AgahLoss.critic(m.create(new double[] {1, 2}), m.create(new double[] {0, 1}),
            gradients);
        collector.backward(loss);
      }
      double[] g = gradients.getGradient().toDoubleArray();
      for (double v : g) {
        assertTrue(Double.isFinite(v), java.util.Arrays.toString(g));
      }
      // row (3, 4): d/dx 10 · ½ (‖x‖ − 1)² (the mean over 2 rows) = 10 (‖x‖ − 1) x / ‖x‖ = 10 · 4 · (0.6, 0.8)
      assertEquals(24, g[0], 1e-6);
      assertEquals(32, g[1], 1e-6);
      assertEquals(0, g[2], 1e-6); // the zero row: (‖x‖ − 1) x / ‖x‖ → 0 as x → 0 with the 1e-24 under the root
      assertEquals(0, g[3], 1e-6);
    }
  }

  /** Plain-Java terms and total. */
  static double[] oracle(double[][] x, double[][] y, double[][] zx, double[][] zy, double[] xt, double[] yi,
      double[][] map, double[][] labels, double[] w, double margin) {
    double[][] s = Oracle.similarity(labels);
    double triplet = triplet(x, y, s, margin) + triplet(y, x, s, margin);
    double cosine = cosineQuantisation(x) + cosineQuantisation(y);
    double classification = crossEntropy(zx, labels) + crossEntropy(zy, labels);
    int l = x[0].length;
    double codes = 0;
    double quantisation = 0;
    for (double[][] h : new double[][][] {x, y}) {
      for (int i = 0; i < h.length; i++) {
        for (int a = 0; a < map.length; a++) {
          double r = Oracle.dot(h[i], map[a]) - l * (2 * labels[i][a] - 1);
          codes += r * r;
        }
        for (double v : h[i]) {
          double q = v - (v >= 0 ? 1 : -1);
          quantisation += q * q;
        }
      }
    }
    double adversarial = -(mean(xt) + mean(yi));
    return new double[] {triplet, cosine, classification, codes, quantisation, adversarial, triplet + w[0] * cosine
        + w[1] * classification + w[2] * codes + w[3] * quantisation + w[4] * adversarial};
  }

  private static double triplet(double[][] a, double[][] b, double[][] s, double margin) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < b.length; j++) {
        for (int k = 0; k < b.length; k++) {
          if (s[i][j] == 1 && s[i][k] == 0) {
            sum += Math.max(0, distance(a[i], b[j]) - distance(a[i], b[k]) + margin);
          }
        }
      }
    }
    return sum;
  }

  private static double distance(double[] u, double[] v) {
    return Math.max(0, 1 - Oracle.dot(u, v) / Math.sqrt(Oracle.dot(u, u) * Oracle.dot(v, v)));
  }

  private static double cosineQuantisation(double[][] h) {
    double sum = 0;
    for (double[] row : h) {
      double abs = 0;
      for (double v : row) {
        abs += Math.abs(v);
      }
      sum += 1 / (1 + Math.exp(abs / Math.sqrt(Oracle.dot(row, row) * row.length)));
    }
    return sum;
  }

  private static double crossEntropy(double[][] z, double[][] labels) {
    double sum = 0;
    for (int i = 0; i < z.length; i++) {
      for (int a = 0; a < z[i].length; a++) {
        double p = sigmoid(z[i][a]);
        sum -= labels[i][a] * Math.log(p) + (1 - labels[i][a]) * Math.log(1 - p);
      }
    }
    return sum;
  }

  private static double mean(double[] v) {
    double sum = 0;
    for (double x : v) {
      sum += x;
    }
    return sum / v.length;
  }

  private record Batch(double[][] x, double[][] y, double[][] zx, double[][] zy, double[] xt, double[] yi,
      double[][] map, double[][] labels) {}

  private static Batch random(Random r) {
    int b = 6, l = 4, c = 3;
    double[][] x = Oracle.gaussian(r, b, l);
    double[][] y = Oracle.gaussian(r, b, l);
    for (double[][] h : new double[][][] {x, y}) {
      for (double[] row : h) {
        for (int k = 0; k < l; k++) {
          row[k] = Math.tanh(row[k]);
        }
      }
    }
    double[][] map = Oracle.sign(Oracle.gaussian(r, c, l), new double[c][l]);
    return new Batch(x, y, Oracle.gaussian(r, b, c), Oracle.gaussian(r, b, c), Oracle.gaussian(r, 1, b)[0],
        Oracle.gaussian(r, 1, b)[0], map, Oracle.labels(r, b, c));
  }

  @Test
  void randomBatchAgainstPlainJava() {
    long seed = Long.getLong("bicmr.test.seed", new Random().nextLong());
    System.out.println("AgahLossTest seed: " + seed + " (rerun with -Dbicmr.test.seed=" + seed + ")");
    Random r = new Random(seed);
    Batch b = random(r);
    double[] w = {0.5 + r.nextDouble(), 0.5 + r.nextDouble(), 0.01 * r.nextDouble(), 0.5 + r.nextDouble(),
        0.5 + r.nextDouble()};
    double margin = 0.3 + r.nextDouble();
    AgahLoss loss = new AgahLoss(w[0], w[1], w[2], w[3], w[4], margin);
    try (NDManager m = NDManager.newBaseManager()) {
      double[] actual = loss.batch(m.create(b.x), m.create(b.y), m.create(b.zx), m.create(b.zy), m.create(b.xt),
          m.create(b.yi), m.create(b.map), m.create(Oracle.similarity(b.labels)), m.create(b.labels)).values();
      assertArrayEquals(oracle(b.x, b.y, b.zx, b.zy, b.xt, b.yi, b.map, b.labels, w, margin), actual, 1e-9,
          "seed " + seed);
    }
  }

  @Test
  void gradientIsTheOraclesFiniteDifference() {
    long seed = Long.getLong("bicmr.test.seed", new Random().nextLong());
    System.out.println("AgahLossTest gradient seed: " + seed + " (rerun with -Dbicmr.test.seed=" + seed + ")");
    Random r = new Random(seed);
    Batch b = random(r);
    double[] w = {0.7, 1.3, 0.004, 0.9, 1.1};
    double margin = 0.3;
    AgahLoss loss = new AgahLoss(w[0], w[1], w[2], w[3], w[4], margin);
    try (NDManager m = NDManager.newBaseManager()) {
      var s = m.create(Oracle.similarity(b.labels));
      String what = "seed " + seed + ", ";
      int checked = FiniteDifferences.check(m, b.x, x -> loss.batch(x, m.create(b.y), m.create(b.zx),
          m.create(b.zy), m.create(b.xt), m.create(b.yi), m.create(b.map), s, m.create(b.labels)).total(),
          x -> oracle(x, b.y, b.zx, b.zy, b.xt, b.yi, b.map, b.labels, w, margin)[6], what + "image outputs");
      checked += FiniteDifferences.check(m, b.y, y -> loss.batch(m.create(b.x), y, m.create(b.zx),
          m.create(b.zy), m.create(b.xt), m.create(b.yi), m.create(b.map), s, m.create(b.labels)).total(),
          y -> oracle(b.x, y, b.zx, b.zy, b.xt, b.yi, b.map, b.labels, w, margin)[6], what + "text outputs");
      checked += FiniteDifferences.check(m, b.zx, z -> loss.batch(m.create(b.x), m.create(b.y), z,
          m.create(b.zy), m.create(b.xt), m.create(b.yi), m.create(b.map), s, m.create(b.labels)).total(),
          z -> oracle(b.x, b.y, z, b.zy, b.xt, b.yi, b.map, b.labels, w, margin)[6], what + "image label logits");
      checked += FiniteDifferences.check(m, new double[][] {b.xt}, z -> loss.batch(m.create(b.x), m.create(b.y),
          m.create(b.zx), m.create(b.zy), z.reshape(-1), m.create(b.yi), m.create(b.map), s,
          m.create(b.labels)).total(),
          z -> oracle(b.x, b.y, b.zx, b.zy, z[0], b.yi, b.map, b.labels, w, margin)[6], what + "critic outputs");
      assertEquals(6 * 4 * 2 + 6 * 3 + 6, checked);
    }
  }
}
