package org.bicmr.training.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** DCMH's objective: each term by hand, the whole against plain Java, the step gradient against finite differences. */
class DcmhLossTest {
  private static final double TOL = 1e-12;

  // n = 2, l = 2. F = [(1, 0), (0, 1)], G = [(1, 1), (−1, 0)]; item 1 has label a, item 2 label b: S = I.
  private static final double[][] F = {{1, 0}, {0, 1}};
  private static final double[][] G = {{1, 1}, {-1, 0}};
  private static final double[][] Y = {{1, 0}, {0, 1}};

  private static double softplus(double x) {
    return Math.log1p(Math.exp(x));
  }

  @Test
  void everyTermByHand() {
    DcmhLoss loss = new DcmhLoss(2, 0.5);
    try (NDManager m = NDManager.newBaseManager()) {
      // B = sign(F + G) = sign([(2, 1), (−1, 1)]) = [(1, 1), (−1, 1)]
      double[] b = loss.codes(m.create(F), m.create(G)).toDoubleArray();
      assertArrayEquals(new double[] {1, 1, -1, 1}, b, 0);
      double[][] codes = {{1, 1}, {-1, 1}};

      double[] v = loss.objective(m.create(F), m.create(G), m.create(codes), m.create(Y)).values();
      // Θ = ½ F Gᵀ: F1·G1 = 1, F1·G2 = −1, F2·G1 = 1, F2·G2 = 0 → Θ = [(½, −½), (½, 0)]
      // likelihood = [sp(½) − 1·½] + sp(−½) + sp(½) + [sp(0) − 1·0], sp(x) = log(1 + e^x)
      double likelihood = softplus(0.5) - 0.5 + softplus(-0.5) + softplus(0.5) + Math.log(2);
      assertEquals(likelihood, v[0], TOL);
      // ‖B − F‖² = ‖[(0, 1), (−1, 0)]‖² = 2; ‖B − G‖² = ‖[(0, 0), (0, 1)]‖² = 1
      assertEquals(3, v[1], TOL);
      // Σ_i F_i = (1, 1) → 2; Σ_i G_i = (0, 1) → 1
      assertEquals(3, v[2], TOL);
      assertEquals(likelihood + 2 * 3 + 0.5 * 3, v[3], TOL); // γ = 2, η = 0.5

      // the image step on item 1: x = F1 = (1, 0) against every G_j; S_1· = (1, 0)
      double[] image = loss.step(Steps.step(m, F, G, codes, Oracle.similarity(Y), new int[] {0})).values();
      double imageLikelihood = softplus(0.5) - 0.5 + softplus(-0.5); // Θ_11 = ½, Θ_12 = −½
      assertEquals(imageLikelihood, image[0], TOL);
      assertEquals(1, image[1], TOL); // ‖B1 − F1‖² = ‖(0, 1)‖²
      assertEquals(2, image[2], TOL); // ‖F1 + F2‖² = ‖(1, 1)‖², the batch row from x
      assertEquals(imageLikelihood + 2 * 1 + 0.5 * 2, image[3], TOL);

      // the text step on item 2: x = G2 = (−1, 0) against every F_i; S_2· = (0, 1)
      double[] text = loss.step(Steps.step(m, G, F, codes, Oracle.similarity(Y), new int[] {1})).values();
      double textLikelihood = softplus(-0.5) + Math.log(2); // ½ G2·F1 = −½ (S = 0), ½ G2·F2 = 0 (S = 1)
      assertEquals(textLikelihood, text[0], TOL);
      assertEquals(1, text[1], TOL); // ‖B2 − G2‖² = ‖(0, 1)‖²
      assertEquals(1, text[2], TOL); // ‖G1 + G2‖² = ‖(0, 1)‖²
      assertEquals(textLikelihood + 2 * 1 + 0.5 * 1, text[3], TOL);
    }
  }

  /** J of the plain-Java oracle: likelihood, quantisation, balance, total. */
  static double[] oracle(double[][] f, double[][] g, double[][] b, double[][] s, double gamma, double eta) {
    double likelihood = Oracle.likelihood(f, g, s);
    double quantisation = Oracle.squaredDistance(b, f) + Oracle.squaredDistance(b, g);
    double balance = Oracle.balance(f) + Oracle.balance(g);
    return new double[] {likelihood, quantisation, balance, likelihood + gamma * quantisation + eta * balance};
  }

  @Test
  void randomBatchAgainstPlainJava() {
    long seed = new Random().nextLong();
    System.out.println("DcmhLossTest seed: " + seed);
    Random r = new Random(seed);
    int n = 7, l = 5, c = 4;
    double[][] f = Oracle.gaussian(r, n, l), g = Oracle.gaussian(r, n, l), y = Oracle.labels(r, n, c);
    double[][] b = Oracle.sign(f, g), s = Oracle.similarity(y);
    double gamma = 0.5 + r.nextDouble(), eta = 0.5 + r.nextDouble();
    DcmhLoss loss = new DcmhLoss(gamma, eta);
    double[] expected = oracle(f, g, b, s, gamma, eta);
    try (NDManager m = NDManager.newBaseManager()) {
      assertArrayEquals(expected, loss.objective(m.create(f), m.create(g), m.create(b), m.create(y)).values(), 1e-9,
          "seed " + seed);
      assertArrayEquals(expected, loss.objective(m.create(f), m.create(g), m.create(b), m.create(y), 3).values(),
          1e-9, "in chunks of 3 rows, seed " + seed);
      assertArrayEquals(m.create(b).toDoubleArray(), loss.codes(m.create(f), m.create(g)).toDoubleArray(), 0);

      // a step's terms: the batch rows' share of the likelihood and quantisation, the whole balance
      int[] rows = {5, 1, 2};
      double[] step = loss.step(Steps.step(m, f, g, b, s, rows)).values();
      double likelihood = Oracle.likelihood(Oracle.rows(f, rows), g, Oracle.rows(s, rows));
      double quantisation = Oracle.squaredDistance(Oracle.rows(b, rows), Oracle.rows(f, rows));
      assertArrayEquals(new double[] {likelihood, quantisation, Oracle.balance(f),
          likelihood + gamma * quantisation + eta * Oracle.balance(f)}, step, 1e-9, "seed " + seed);
    }
  }

  @Test
  void stepGradientIsTheGradientOfJ() {
    long seed = new Random().nextLong();
    System.out.println("DcmhLossTest gradient seed: " + seed);
    Random r = new Random(seed);
    int n = 6, l = 4, c = 3;
    double[][] f = Oracle.gaussian(r, n, l), g = Oracle.gaussian(r, n, l), y = Oracle.labels(r, n, c);
    double[][] b = Oracle.sign(f, g), s = Oracle.similarity(y);
    DcmhLoss loss = new DcmhLoss(1, 1);
    int[] rows = {4, 0, 3};
    try (NDManager m = NDManager.newBaseManager()) {
      int checked = Steps.checkGradient(loss, Steps.step(m, f, g, b, s, rows), f, rows,
          ff -> oracle(ff, g, b, s, 1, 1)[3], "image step, seed " + seed);
      checked += Steps.checkGradient(loss, Steps.step(m, g, f, b, s, rows), g, rows,
          gg -> oracle(f, gg, b, s, 1, 1)[3], "text step, seed " + seed);
      assertEquals(2 * 3 * 4, checked);
    }
  }
}
