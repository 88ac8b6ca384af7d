package org.bicmr.training.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Random;
import org.bicmr.training.model.BiCmrConfig;
import org.bicmr.training.model.BiCmrNetwork;
import org.junit.jupiter.api.Test;

/** Each term against values computed by hand or by plain-Java loops; the total's gradient against finite differences. */
class BiCmrLossTest {
  private static final double TOL = 1e-9;

  private static BiCmrConfig tiny() {
    return new BiCmrConfig(8, 6, 5, 6, 6, 5, 0.01, 0.01, 0.01, 0.01, 0.4, 0.5, 1e-4, 1e-3, 4, 1, 20, 7L,
        true, true, true, true, true, true);
  }

  @Test
  void oneItemByHand() {
    try (NDManager m = NDManager.newBaseManager()) {
      // b = 1, l = 2: h^I = h^T = h^L = (1, 0); features reconstructed with errors 1 and 2; one label, on
      NDArray h = m.create(new double[][] {{1, 0}});
      NDArray y = m.create(new double[][] {{1}});
      BiCmrLoss.Outputs out = new BiCmrLoss.Outputs(h, h, h,
          m.create(new double[][] {{0, 0}}), m.create(new double[][] {{1, 1}}),
          m.create(new double[][] {{0}}), m.create(new double[][] {{Math.log(3)}}));
      BiCmrLoss.Inputs in = new BiCmrLoss.Inputs(m.create(new double[][] {{1, 0}}), m.create(new double[][] {{1, 3}}), y);
      double[] v = new BiCmrLoss(tiny()).compute(out, in).values();
      assertEquals(1 + (0 + 4), v[0], TOL); // ||(1,0)-(0,0)||² + ||(1,3)-(1,1)||²
      assertEquals(1.0, v[1], TOL); // η e/e + (1-η) e/e
      assertEquals(3.0, v[2], TOL); // three ratios e/e
      assertEquals(3 * (Math.log(1 + Math.exp(0.5)) - 0.5), v[3], TOL); // Ω = 1/2, S = 1
      assertEquals(-(Math.log(0.5) + Math.log(0.75)), v[4], TOL); // σ(0) = 1/2, σ(ln 3) = 3/4
      assertEquals(0.01 * 5 + 0.01 * 1 + 0.01 * 3 + v[3] + v[4], v[5], TOL);
    }
  }

  @Test
  void randomBatchAgainstPlainJava() {
    long seed = Long.getLong("bicmr.test.seed", new Random().nextLong());
    System.out.println("BiCmrLossTest seed: " + seed);
    Random r = new Random(seed);
    int b = 5, l = 8, c = 4, di = 3, dt = 6;
    double[][] hI = rand(r, b, l, true), hT = rand(r, b, l, true), hL = rand(r, b, l, true);
    double[][] y = new double[b][c];
    for (double[] row : y) {
      for (int j = 0; j < c; j++) {
        row[j] = r.nextInt(3) == 0 ? 1 : 0;
      }
    }
    double[][] fI = rand(r, b, di, false), fIr = rand(r, b, di, false), fT = rand(r, b, dt, false), fTr = rand(r, b, dt, false);
    double[][] zI = rand(r, b, c, false), zT = rand(r, b, c, false);
    BiCmrConfig config = tiny();
    try (NDManager m = NDManager.newBaseManager()) {
      double[] v = new BiCmrLoss(config).compute(
          new BiCmrLoss.Outputs(m.create(hI), m.create(hT), m.create(hL), m.create(fIr), m.create(fTr), m.create(zI),
              m.create(zT)),
          new BiCmrLoss.Inputs(m.create(fI), m.create(fT), m.create(y))).values();

      double ssr = 0, m2l = 0, l2m = 0, cor = 0, cls = 0;
      for (int i = 0; i < b; i++) {
        ssr += sqDist(fI[i], fIr[i]) + sqDist(fT[i], fTr[i]);
        for (int j = 0; j < c; j++) {
          cls -= y[i][j] * (Math.log(sigmoid(zI[i][j])) + Math.log(sigmoid(zT[i][j])));
        }
        for (int j = 0; j < b; j++) {
          double aI = Math.exp(cos(hI[i], hI[j])), aT = Math.exp(cos(hT[i], hT[j])), aL = Math.exp(cos(hL[i], hL[j]));
          double aIT = Math.exp(cos(hI[i], hT[j]));
          m2l += 0.5 * aI / aL + 0.5 * aT / aL;
          l2m += aL / aI + aL / aT + aL / aIT;
          double s = cos(concat(y[i], hL[i], 0.01), concat(y[j], hL[j], 0.01)) > 0.4 ? 1 : 0;
          for (double[][] other : List.of(hL, hI, hT)) {
            double omega = 0.5 * dot(hL[i], other[j]);
            cor += Math.log(1 + Math.exp(omega)) - s * omega;
          }
        }
      }
      assertEquals(ssr, v[0], 1e-9, "ssr, seed " + seed);
      assertEquals(m2l, v[1], 1e-9, "m2l, seed " + seed);
      assertEquals(l2m, v[2], 1e-9, "l2m, seed " + seed);
      assertEquals(cor, v[3], 1e-9, "cor, seed " + seed);
      assertEquals(cls, v[4], 1e-9, "c, seed " + seed);
      assertEquals(0.01 * (ssr + m2l + l2m) + cor + cls, v[5], 1e-9, "total, seed " + seed);

      // ablations drop exactly their term; Bi-CMR4 uses plain label overlap for S
      double[] noCor = new BiCmrLoss(config.withAblation(3)).compute(
          new BiCmrLoss.Outputs(m.create(hI), m.create(hT), m.create(hL), m.create(fIr), m.create(fTr), m.create(zI),
              m.create(zT)),
          new BiCmrLoss.Inputs(m.create(fI), m.create(fT), m.create(y))).values();
      assertEquals(0.01 * (ssr + m2l + l2m) + cls, noCor[5], 1e-9);
      NDArray plain = new BiCmrLoss(config.withAblation(4)).similarity(m.create(y), m.create(hL));
      for (int i = 0; i < b; i++) {
        for (int j = 0; j < b; j++) {
          assertEquals(dot(y[i], y[j]) > 0 ? 1.0 : 0.0, plain.getDouble(i, j), 0.0);
        }
      }
    }
  }

  @Test
  void gradientOfTheTotalMatchesFiniteDifferences() {
    long seed = Long.getLong("bicmr.test.seed", new Random().nextLong());
    System.out.println("BiCmrLossTest gradient seed: " + seed);
    Random r = new Random(seed);
    BiCmrConfig config = tiny();
    int b = 4, di = 4, dt = 5, c = 3;
    try (NDManager m = NDManager.newBaseManager()) {
      BiCmrNetwork net = new BiCmrNetwork(config, di, dt, c, m, DataType.FLOAT64);
      // biases start at zero; a text whose hidden ReLUs are all off would then hash to the zero vector, where the
      // cosines of Eqs. 2-3 are not continuous (a seed hit that point). Random biases keep every hash away from zero.
      for (var named : net.namedParameters()) {
        if (named.getKey().endsWith("bias")) {
          NDArray bias = named.getValue().getArray();
          double[] values = new double[(int) bias.size()];
          for (int k = 0; k < values.length; k++) {
            values[k] = 0.5 * r.nextGaussian();
          }
          bias.set(java.nio.ByteBuffer.wrap(toBytes(values)).order(java.nio.ByteOrder.nativeOrder()));
        }
      }
      // labels identical or disjoint, so the adjusted similarity sits far from the threshold λ
      double[][] y = {{1, 0, 0}, {1, 0, 0}, {0, 1, 1}, {0, 1, 1}};
      BiCmrLoss.Inputs in = new BiCmrLoss.Inputs(m.create(rand(r, b, di, false)), m.create(rand(r, b, dt, false)),
          m.create(y));
      BiCmrLoss loss = new BiCmrLoss(config);
      Engine.getInstance().setRandomSeed(1);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(loss.compute(net.forward(in, true), in).total());
      }
      int checked = 0;
      for (var named : net.namedParameters()) {
        Parameter p = named.getValue();
        NDArray w = p.getArray();
        double[] grad = w.getGradient().toDoubleArray();
        for (int probe = 0; probe < 3; probe++) {
          int index = r.nextInt((int) w.size());
          double analytic = grad[index];
          double eps = 1e-6;
          double plus = lossWith(net, loss, in, w, index, eps);
          double minus = lossWith(net, loss, in, w, index, -eps);
          double numeric = (plus - minus) / (2 * eps);
          double scale = Math.max(1e-3, Math.abs(analytic) + Math.abs(numeric));
          assertTrue(Math.abs(analytic - numeric) / scale < 1e-4,
              named.getKey() + "[" + index + "]: autograd " + analytic + ", finite difference " + numeric + ", seed " + seed);
          checked++;
        }
      }
      assertTrue(checked >= 3 * 20, "checked " + checked);
    }
  }

  private static double lossWith(BiCmrNetwork net, BiCmrLoss loss, BiCmrLoss.Inputs in, NDArray w, int index, double delta) {
    Shape shape = w.getShape();
    double[] values = w.toDoubleArray();
    double original = values[index];
    values[index] = original + delta;
    w.set(java.nio.ByteBuffer.wrap(toBytes(values)).order(java.nio.ByteOrder.nativeOrder()));
    double value = loss.compute(net.forward(in, false), in).values()[5];
    values[index] = original;
    w.set(java.nio.ByteBuffer.wrap(toBytes(values)).order(java.nio.ByteOrder.nativeOrder()));
    assertEquals(shape, w.getShape());
    return value;
  }

  private static byte[] toBytes(double[] values) {
    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(values.length * 8).order(java.nio.ByteOrder.nativeOrder());
    for (double v : values) {
      buffer.putDouble(v);
    }
    return buffer.array();
  }

  private static double[][] rand(Random r, int rows, int cols, boolean tanh) {
    double[][] a = new double[rows][cols];
    for (double[] row : a) {
      for (int j = 0; j < cols; j++) {
        row[j] = tanh ? Math.tanh(r.nextGaussian()) : r.nextGaussian();
      }
    }
    return a;
  }

  private static double sqDist(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return s;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double cos(double[] a, double[] b) {
    return dot(a, b) / Math.sqrt(dot(a, a)) / Math.sqrt(dot(b, b));
  }

  private static double[] concat(double[] y, double[] h, double delta) {
    double[] out = new double[y.length + h.length];
    System.arraycopy(y, 0, out, 0, y.length);
    for (int i = 0; i < h.length; i++) {
      out[y.length + i] = delta * h[i];
    }
    return out;
  }

  private static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }
}
