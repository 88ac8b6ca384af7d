package org.bicmr.training.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** PRDH's objective: each term by hand, the whole against plain Java, the step gradient against finite differences. */
class PrdhLossTest {
  private static final double TOL = 1e-12;

  // n = 2, l = 2 (as in DcmhLossTest). F = [(1, 0), (0, 1)], G = [(1, 1), (−1, 0)], S = I, B = [(1, 1), (−1, 1)].
  private static final double[][] F = {{1, 0}, {0, 1}};
  private static final double[][] G = {{1, 1}, {-1, 0}};
  private static final double[][] Y = {{1, 0}, {0, 1}};
  private static final double[][] B = {{1, 1}, {-1, 1}};

  private static double sp(double x) {
    return Math.log1p(Math.exp(x));
  }

  @Test
  void everyTermByHand() {
    double gamma = 2, eta = 0.5, lambda = 4;
    PrdhLoss loss = new PrdhLoss(gamma, eta, lambda);
    try (NDManager m = NDManager.newBaseManager()) {
      double[] v = loss.objective(m.create(F), m.create(G), m.create(B), m.create(Y)).values();
      // inter: Θ = ½ F Gᵀ = [(½, −½), (½, 0)], as in DCMH
      double inter = sp(0.5) - 0.5 + sp(-0.5) + sp(0.5) + Math.log(2);
      assertEquals(inter, v[0], TOL);
      // intra: ½ F Fᵀ = [(½, 0), (0, ½)] → 2 [sp(½) − ½] + 2 sp(0);
      //        ½ G Gᵀ = [(1, −½), (−½, ½)] → [sp(1) − 1] + 2 sp(−½) + [sp(½) − ½]
      double intraF = 2 * (sp(0.5) - 0.5) + 2 * Math.log(2);
      double intraG = sp(1) - 1 + 2 * sp(-0.5) + sp(0.5) - 0.5;
      assertEquals(intraF + intraG, v[1], TOL);
      // decorrelation: F − μ = [(½, −½), (−½, ½)] → C_F = [(¼, −¼), (−¼, ¼)], D = ½ · 2 · (¼)² = 1/16;
      //                G − μ = [(1, ½), (−1, −½)] → C_G = [(1, ½), (½, ¼)], D = ½ · 2 · (½)² = 1/4
      assertEquals(1.0 / 16 + 1.0 / 4, v[2], TOL);
      assertEquals(3, v[3], TOL); // ‖B − F‖² = 2, ‖B − G‖² = 1
      assertEquals(3, v[4], TOL); // ‖(1, 1)‖² + ‖(0, 1)‖²
      assertEquals(inter + intraF + intraG + lambda * 5.0 / 16 + gamma * 3 + eta * 3, v[5], TOL);

      // image step on item 1 (x = F1): inter against every G_j; intra counts (1, 2) and (2, 1): 2 L(Φ12 = 0, S = 0),
      // and (1, 1) once: sp(½) − ½; D(F) = 1/16 (the batch row holds F1); ‖B1 − F1‖² = 1; ‖F1 + F2‖² = 2
      double[] image = loss.step(Steps.step(m, F, G, B, Oracle.similarity(Y), new int[] {0})).values();
      double imageInter = sp(0.5) - 0.5 + sp(-0.5);
      double imageIntra = 2 * Math.log(2) + sp(0.5) - 0.5;
      assertArrayEquals(new double[] {imageInter, imageIntra, 1.0 / 16, 1, 2,
          imageInter + imageIntra + lambda / 16 + gamma * 1 + eta * 2}, image, TOL);

      // text step on item 2 (x = G2 = (−1, 0)): inter ½ G2·F1 = −½ (S = 0), ½ G2·F2 = 0 (S = 1);
      // intra 2 L(Ψ21 = −½, S = 0) + [sp(½) − ½]; D(G) = 1/4; ‖B2 − G2‖² = 1; ‖G1 + G2‖² = 1
      double[] text = loss.step(Steps.step(m, G, F, B, Oracle.similarity(Y), new int[] {1})).values();
      double textInter = sp(-0.5) + Math.log(2);
      double textIntra = 2 * sp(-0.5) + sp(0.5) - 0.5;
      assertArrayEquals(new double[] {textInter, textIntra, 1.0 / 4, 1, 1,
          textInter + textIntra + lambda / 4 + gamma * 1 + eta * 1}, text, TOL);
    }
  }

  /** J of the plain-Java oracle: inter, intra, decorrelation, quantisation, balance, total. */
  static double[] oracle(double[][] f, double[][] g, double[][] b, double[][] s, double gamma, double eta,
      double lambda) {
    double inter = Oracle.likelihood(f, g, s);
    double intra = Oracle.likelihood(f, f, s) + Oracle.likelihood(g, g, s);
    double decorrelation = Oracle.decorrelation(f) + Oracle.decorrelation(g);
    double quantisation = Oracle.squaredDistance(b, f) + Oracle.squaredDistance(b, g);
    double balance = Oracle.balance(f) + Oracle.balance(g);
    return new double[] {inter, intra, decorrelation, quantisation, balance,
        inter + intra + lambda * decorrelation + gamma * quantisation + eta * balance};
  }

  @Test
  void randomBatchAgainstPlainJava() {
    long seed = new Random().nextLong();
    System.out.println("PrdhLossTest seed: " + seed);
    Random r = new Random(seed);
    int n = 7, l = 5, c = 4;
    double[][] f = Oracle.gaussian(r, n, l), g = Oracle.gaussian(r, n, l), y = Oracle.labels(r, n, c);
    double[][] b = Oracle.sign(f, g), s = Oracle.similarity(y);
    double gamma = 0.5 + r.nextDouble(), eta = 0.5 + r.nextDouble(), lambda = 0.5 + r.nextDouble();
    PrdhLoss loss = new PrdhLoss(gamma, eta, lambda);
    double[] expected = oracle(f, g, b, s, gamma, eta, lambda);
    try (NDManager m = NDManager.newBaseManager()) {
      assertArrayEquals(expected, loss.objective(m.create(f), m.create(g), m.create(b), m.create(y)).values(), 1e-9,
          "seed " + seed);
      assertArrayEquals(expected, loss.objective(m.create(f), m.create(g), m.create(b), m.create(y), 3).values(),
          1e-9, "in chunks of 3 rows, seed " + seed);

      // a step's terms: the batch rows' share of each pairwise sum, D and balance of the whole F
      int[] rows = {5, 1, 2};
      double[] step = loss.step(Steps.step(m, f, g, b, s, rows)).values();
      double[][] fb = Oracle.rows(f, rows);
      double inter = Oracle.likelihood(fb, g, Oracle.rows(s, rows));
      // J's intra-modal sum over F minus the pairs that involve no batch row
      int[] others = {0, 3, 4, 6};
      double intra = Oracle.likelihood(f, f, s)
          - Oracle.likelihood(Oracle.rows(f, others), Oracle.rows(f, others), Oracle.submatrix(s, others, others));
      double quantisation = Oracle.squaredDistance(Oracle.rows(b, rows), fb);
      assertArrayEquals(new double[] {inter, intra, Oracle.decorrelation(f), quantisation, Oracle.balance(f),
          inter + intra + lambda * Oracle.decorrelation(f) + gamma * quantisation + eta * Oracle.balance(f)}, step,
          1e-9, "seed " + seed);
    }
  }

  @Test
  void stepGradientIsTheGradientOfJ() {
    long seed = new Random().nextLong();
    System.out.println("PrdhLossTest gradient seed: " + seed);
    Random r = new Random(seed);
    int n = 6, l = 4, c = 3;
    double[][] f = Oracle.gaussian(r, n, l), g = Oracle.gaussian(r, n, l), y = Oracle.labels(r, n, c);
    double[][] b = Oracle.sign(f, g), s = Oracle.similarity(y);
    double gamma = 0.7, eta = 0.3, lambda = 2;
    PrdhLoss loss = new PrdhLoss(gamma, eta, lambda);
    int[] rows = {4, 0, 3};
    try (NDManager m = NDManager.newBaseManager()) {
      int checked = Steps.checkGradient(loss, Steps.step(m, f, g, b, s, rows), f, rows,
          ff -> oracle(ff, g, b, s, gamma, eta, lambda)[5], "image step, seed " + seed);
      checked += Steps.checkGradient(loss, Steps.step(m, g, f, b, s, rows), g, rows,
          gg -> oracle(f, gg, b, s, gamma, eta, lambda)[5], "text step, seed " + seed);
      // the decorrelation term alone (its gradient is small beside the pairwise terms', so check it by itself)
      checked += Steps.checkGradient(loss, Steps.step(m, f, g, b, s, rows), f, rows,
          ff -> Oracle.decorrelation(ff), "image step decorrelation, seed " + seed, t -> t.parts()[2]);
      checked += Steps.checkGradient(loss, Steps.step(m, g, f, b, s, rows), g, rows,
          gg -> Oracle.decorrelation(gg), "text step decorrelation, seed " + seed, t -> t.parts()[2]);
      assertEquals(4 * 3 * 4, checked);
    }
  }
}
