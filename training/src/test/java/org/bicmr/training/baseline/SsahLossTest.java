package org.bicmr.training.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * SSAH's losses: each term by hand, the whole against plain Java on a random batch, the gradient w.r.t. every output
 * of a net against finite differences. Rerun a randomized failure with {@code -Dbicmr.test.seed=<the printed seed>}.
 */
class SsahLossTest {
  private static final double TOL = 1e-12;

  // n = 2 items, labels a and b (S = I); the label net's features F^l = [(1, 0), (0, 1)], codes H^l = [(1, 1), (−1, 0)]
  private static final double[][] LABEL_FEATURES = {{1, 0}, {0, 1}};
  private static final double[][] LABEL_CODES = {{1, 1}, {-1, 0}};
  private static final double[][] Y = {{1, 0}, {0, 1}};

  private static double sp(double x) {
    return Math.log1p(Math.exp(x));
  }

  @Test
  void everyTermByHand() {
    SsahLoss loss = new SsahLoss(2, 3, 0.5, 4, 0.25);
    try (NDManager m = NDManager.newBaseManager()) {
      // an image batch of item 1: F = (2, 0), H = (½, −½), L̂ = (½, ¼), discriminator logit 0; S_1· = (1, 0)
      double[] v = loss.batch(m.create(new double[][] {{2, 0}}), m.create(new double[][] {{0.5, -0.5}}),
          m.create(new double[][] {{0.5, 0.25}}), m.create(new double[] {0}), m.create(LABEL_FEATURES),
          m.create(LABEL_CODES), m.create(new double[][] {{1, 0}}), m.create(new double[][] {{1, 0}})).values();
      // feature pairs: ½ (2, 0)·(1, 0) = 1 with S = 1, ½ (2, 0)·(0, 1) = 0 with S = 0
      double features = sp(1) - 1 + Math.log(2);
      // code pairs: ½ (½, −½)·(1, 1) = 0 with S = 1, ½ (½, −½)·(−1, 0) = −¼ with S = 0
      double codes = Math.log(2) + sp(-0.25);
      // quantisation: H − sign(H) = (−½, ½); label prediction: (−½)² + (¼)²; adversarial: −log σ(0)
      assertArrayEquals(new double[] {features, codes, 0.5, 0.3125, Math.log(2),
          2 * features + 3 * codes + 0.5 * 0.5 + 4 * 0.3125 + 0.25 * Math.log(2)}, v, TOL);

      // the label net's batch has no adversarial term
      double[] label = loss.batch(m.create(new double[][] {{2, 0}}), m.create(new double[][] {{0.5, -0.5}}),
          m.create(new double[][] {{0.5, 0.25}}), null, m.create(LABEL_FEATURES), m.create(LABEL_CODES),
          m.create(new double[][] {{1, 0}}), m.create(new double[][] {{1, 0}})).values();
      assertEquals(0, label[4], 0);
      assertEquals(2 * features + 3 * codes + 0.5 * 0.5 + 4 * 0.3125, label[5], TOL);

      // discriminator: label-net logits (1, −1) are real, modality logits (0, 2) fake
      double d = SsahLoss.discriminator(m.create(new double[] {1, -1}), m.create(new double[] {0, 2})).getDouble();
      assertEquals(sp(-1) + sp(1) + sp(0) + sp(2), d, TOL);
    }
  }

  /** The oracle's terms and total; {@code logits} null for the label net. */
  static double[] oracle(double[][] f, double[][] h, double[][] p, double[] logits, double[][] labelFeatures,
      double[][] labelCodes, double[][] s, double[][] y, double[] w) {
    double features = Oracle.likelihood(f, labelFeatures, s);
    double codes = Oracle.likelihood(h, labelCodes, s);
    double quantisation = 0;
    for (double[] row : h) {
      for (double x : row) {
        double sign = x >= 0 ? 1 : -1;
        quantisation += (x - sign) * (x - sign);
      }
    }
    double prediction = Oracle.squaredDistance(p, y);
    double adversarial = 0;
    if (logits != null) {
      for (double z : logits) {
        adversarial += Math.log1p(Math.exp(-z));
      }
    }
    return new double[] {features, codes, quantisation, prediction, adversarial,
        w[0] * features + w[1] * codes + w[2] * quantisation + w[3] * prediction + w[4] * adversarial};
  }

  private record Batch(double[][] f, double[][] h, double[][] p, double[] logits, double[][] lf, double[][] lc,
      double[][] s, double[][] y) {}

  private static Batch random(Random r) {
    int n = 7, e = 4, l = 3, c = 4;
    int[] rows = {5, 1, 2};
    double[][] labels = Oracle.labels(r, n, c);
    double[][] h = Oracle.gaussian(r, rows.length, l);
    double[][] p = Oracle.gaussian(r, rows.length, c);
    for (int i = 0; i < rows.length; i++) {
      for (int k = 0; k < l; k++) {
        h[i][k] = Math.tanh(h[i][k]);
      }
      for (int k = 0; k < c; k++) {
        p[i][k] = 1 / (1 + Math.exp(-p[i][k]));
      }
    }
    double[] logits = Oracle.gaussian(r, 1, rows.length)[0];
    return new Batch(Oracle.gaussian(r, rows.length, e), h, p, logits, Oracle.gaussian(r, n, e),
        Oracle.gaussian(r, n, l), Oracle.rows(Oracle.similarity(labels), rows), Oracle.rows(labels, rows));
  }

  @Test
  void randomBatchAgainstPlainJava() {
    long seed = Long.getLong("bicmr.test.seed", new Random().nextLong());
    System.out.println("SsahLossTest seed: " + seed + " (rerun with -Dbicmr.test.seed=" + seed + ")");
    Random r = new Random(seed);
    Batch b = random(r);
    double[] w = {0.5 + r.nextDouble(), 0.5 + r.nextDouble(), 0.5 + r.nextDouble(), 0.5 + r.nextDouble(),
        0.5 + r.nextDouble()};
    SsahLoss loss = new SsahLoss(w[0], w[1], w[2], w[3], w[4]);
    try (NDManager m = NDManager.newBaseManager()) {
      double[] actual = loss.batch(m.create(b.f), m.create(b.h), m.create(b.p), m.create(b.logits), m.create(b.lf),
          m.create(b.lc), m.create(b.s), m.create(b.y)).values();
      assertArrayEquals(oracle(b.f, b.h, b.p, b.logits, b.lf, b.lc, b.s, b.y, w), actual, 1e-9, "seed " + seed);
    }
  }

  @Test
  void gradientOfEveryOutputIsTheOraclesFiniteDifference() {
    long seed = Long.getLong("bicmr.test.seed", new Random().nextLong());
    System.out.println("SsahLossTest gradient seed: " + seed + " (rerun with -Dbicmr.test.seed=" + seed + ")");
    Random r = new Random(seed);
    Batch b = random(r);
    double[] w = {0.7, 1.3, 0.4, 2, 0.9};
    SsahLoss loss = new SsahLoss(w[0], w[1], w[2], w[3], w[4]);
    try (NDManager m = NDManager.newBaseManager()) {
      String what = "seed " + seed + ", ";
      int checked = FiniteDifferences.check(m, b.f, f -> loss.batch(f, m.create(b.h), m.create(b.p),
          m.create(b.logits), m.create(b.lf), m.create(b.lc), m.create(b.s), m.create(b.y)).total(),
          f -> oracle(f, b.h, b.p, b.logits, b.lf, b.lc, b.s, b.y, w)[5], what + "features");
      checked += FiniteDifferences.check(m, b.h, h -> loss.batch(m.create(b.f), h, m.create(b.p),
          m.create(b.logits), m.create(b.lf), m.create(b.lc), m.create(b.s), m.create(b.y)).total(),
          h -> oracle(b.f, h, b.p, b.logits, b.lf, b.lc, b.s, b.y, w)[5], what + "codes");
      checked += FiniteDifferences.check(m, b.p, p -> loss.batch(m.create(b.f), m.create(b.h), p,
          m.create(b.logits), m.create(b.lf), m.create(b.lc), m.create(b.s), m.create(b.y)).total(),
          p -> oracle(b.f, b.h, p, b.logits, b.lf, b.lc, b.s, b.y, w)[5], what + "label predictions");
      checked += FiniteDifferences.check(m, new double[][] {b.logits}, z -> loss.batch(m.create(b.f), m.create(b.h),
          m.create(b.p), z.reshape(-1), m.create(b.lf), m.create(b.lc), m.create(b.s), m.create(b.y)).total(),
          z -> oracle(b.f, b.h, b.p, z[0], b.lf, b.lc, b.s, b.y, w)[5], what + "discriminator logits");
      assertEquals(3 * 4 + 3 * 3 + 3 * 4 + 3, checked);
    }
  }
}
