package org.bicmr.training.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.bicmr.training.model.BiCmrConfig.Variant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Every term of every variant against a value computed by hand on one 3-item batch with 2-bit codes whose cosines are
 * 0 or 1; the released code's detached label codes against a gradient computed by hand; a random batch of the paper's
 * variant against plain-Java loops; the total's gradient against finite differences.
 *
 * <p>The batch: h^I = (1,0), (1,0), (0,1); h^T = (1,0), (0,1), (0,1); h^L = h^I; labels y = (1,0), (1,1), (0,1), so the
 * items 0–1 and 1–2 share a label and 0–2 do not: S = [[1,1,0],[1,1,1],[0,1,1]] under every similarity at λ = 0.4.
 * The cosine matrices are then cos(h^I, h^I) = cos(h^L, h^L) = [[1,1,0],[1,1,0],[0,0,1]], cos(h^T, h^T) =
 * [[1,0,0],[0,1,1],[0,1,1]] and cos(h^I, h^T) = [[1,0,0],[1,0,0],[0,1,1]], and every Ω = ½ h_iᵀ h_j is ½ cos. With
 * sp = log(1 + e^½), a pair with Ω = ½ and S = 1 costs sp − ½ and a pair with Ω = 0 costs log 2 (whatever S), so a
 * likelihood over nine pairs is (count of Ω = ½ pairs) (sp − ½) + (the rest) log 2 — every such pair here has S = 1.
 */
class BiCmrLossTest {
  private static final double TOL = 1e-9;
  private static final double E = Math.E;
  private static final double LN2 = Math.log(2);
  private static final double SP = Math.log(1 + Math.exp(0.5));

  private static final double[][] H_I = {{1, 0}, {1, 0}, {0, 1}};
  private static final double[][] H_T = {{1, 0}, {0, 1}, {0, 1}};
  private static final double[][] Y = {{1, 0}, {1, 1}, {0, 1}};

  /** A likelihood over the nine pairs with {@code half} pairs at Ω = ½ (S = 1) and the others at Ω = 0. */
  private static double likelihood(int half) {
    return half * (SP - 0.5) + (9 - half) * LN2;
  }

  /**
   * The variant at 8 bits (the loss reads the objective only; the codes here have 2 bits, ρ is 1), the recommended
   * one without its L_inst: that term over the codes' signs passes a straight-through gradient, not its forward's
   * derivative, so it is checked on its own (the instance tests below) rather than in every other term's.
   */
  private static BiCmrConfig config(Variant variant) {
    BiCmrConfig config = BiCmrConfig.of(variant, 8);
    return config.objective().instances() == 0 ? config
        : withInstanceTerm(config, 0, config.objective().instanceTemperature(), false);
  }

  /** {@code config} with L_inst at {@code weight} and temperature {@code tau}, over the signs or the tanh outputs. */
  private static BiCmrConfig withInstanceTerm(BiCmrConfig config, double weight, double tau, boolean signs) {
    BiCmrConfig.Objective o = config.objective();
    return config.with(new BiCmrConfig.Objective(o.reduction(), o.reconstruction(), o.correlation(), o.classifier(),
        o.similarity(), o.inclusive(), o.labelCodeSigns(), o.alpha(), o.beta(), o.gamma(), o.delta(), o.lambda(),
        o.eta(), o.labelPass(), o.pairs(), o.quantisation(), o.balance(), o.neighbours(), weight, tau, signs,
        o.omegaScale(), o.correlationWeight(), o.classificationWeight(), o.useSsr(), o.useM2l(), o.useL2m(),
        o.useCor(), o.useClassification()));
  }

  /** The batch's outputs with the given SSR targets/outputs and classifier logits. */
  private static BiCmrLoss.Outputs outputs(NDManager m, double[][] ssrTarget, double[][] ssrOutput, double[][] zI,
      double[][] zT) {
    return new BiCmrLoss.Outputs(m.create(H_I), m.create(H_T), m.create(H_I), m.create(ssrTarget),
        m.create(ssrOutput), m.create(ssrTarget), m.create(ssrOutput), m.create(zI), m.create(zT));
  }

  private static BiCmrLoss.Inputs inputs(NDManager m) {
    return new BiCmrLoss.Inputs(m.create(new double[3][2]), m.create(new double[3][2]), m.create(Y));
  }

  /** The batch as its own training set: buffers equal to its outputs, nothing outside it. */
  private static BiCmrLoss.TrainingSet itself(NDManager m) {
    return new BiCmrLoss.TrainingSet(m.create(H_I), m.create(H_T), m.create(H_I), m.create(Y),
        m.create(new double[][] {{0, 0}}), m.create(new double[][] {{0, 0}}));
  }

  private static final double[][] ZEROS = {{0, 0}, {0, 0}, {0, 0}};
  private static final double[][] LN3 = {{Math.log(3), Math.log(3)}, {Math.log(3), Math.log(3)},
      {Math.log(3), Math.log(3)}};

  @Test
  void paperTermsByHand() {
    try (NDManager m = NDManager.newBaseManager()) {
      // reconstruction errors: image and text each (1,0)→(0,0), (0,0)→(0,0), (2,2)→(2,1): 1 + 0 + 1 = 2
      double[][] target = {{1, 0}, {0, 0}, {2, 2}};
      double[][] output = {{0, 0}, {0, 0}, {2, 1}};
      double[] v = new BiCmrLoss(config(Variant.PAPER)).compute(outputs(m, target, output, ZEROS, LN3), inputs(m))
          .values();
      assertEquals(2 + 2, v[0], TOL, "L_ssr: Σ‖f − f'‖² over both modalities");
      // Σ 0.9 e^{cI}/e^{cL} + 0.1 e^{cT}/e^{cL}: cL = cI, so 0.9 · 9 + 0.1 Σ e^{cT − cI} (= 5 + 2e + 2/e)
      assertEquals(8.1 + 0.1 * (5 + 2 * E + 2 / E), v[1], TOL, "L_m2l");
      // Σ e^{cL−cI} + e^{cL−cT} + e^{cL−cIT} = 9 + (5 + 2e + 2/e) + (6 + 2e + 1/e)
      assertEquals(20 + 4 * E + 3 / E, v[2], TOL, "L_l2m");
      // L–L and L–I: five pairs at Ω = ½; L–T (cos(h^L_i, h^T_j) = cos(h^I, h^T)): four
      assertEquals(2 * likelihood(5) + likelihood(4), v[3], TOL, "L_cor");
      // positive labels only: four of them, each −log σ(0) − log σ(ln 3) = ln 2 + ln 4/3
      assertEquals(4 * (LN2 + Math.log(4.0 / 3)), v[4], TOL, "L_c");
      assertEquals(0, v[5], 0, "no pair term");
      assertEquals(0.01 * (v[0] + v[1] + v[2]) + v[3] + v[4], v[10], TOL, "total");
    }
  }

  @Test
  void releasedTermsByHand() {
    try (NDManager m = NDManager.newBaseManager()) {
      // KL(softmax(f) ‖ softmax(f')) with f = (0,0), f' = (0, ln 3): p = (½,½), q = (¼,¾), so per row
      // ½ ln 2 + ½ ln ⅔; the mean over 3 × 2 elements is ln(4/3)/4, once per modality
      double[][] target = ZEROS;
      double[][] output = {{0, Math.log(3)}, {0, Math.log(3)}, {0, Math.log(3)}};
      double[][] zT = output;
      double[] v = new BiCmrLoss(config(Variant.RELEASED)).compute(outputs(m, target, output, ZEROS, zT), inputs(m))
          .values();
      assertEquals(2 * Math.log(4.0 / 3) / 4, v[0], TOL, "L_ssr: KL, mean over every element");
      assertEquals((8.1 + 0.1 * (5 + 2 * E + 2 / E)) / 3, v[1], TOL, "L_m2l: .sum(1).mean()");
      assertEquals((20 + 4 * E + 3 / E) / 3, v[2], TOL, "L_l2m: .sum(1).mean()");
      // image→label and label→image: five pairs at Ω = ½ each; text→label (cos(h^T_i, h^L_j)): four;
      // label→text: four; label→label: five; each a mean over the nine pairs
      assertEquals((3 * likelihood(5) + 2 * likelihood(4)) / 9, v[3], TOL, "L_cor: five means");
      // softmax: log softmax(0,0) = (−ln 2, −ln 2), log softmax(0, ln 3) = (ln ¼, ln ¾);
      // rows y = (1,0), (1,1), (0,1): (ln 2 + ln 4) + (ln 2 + ln 4 + ln 2 + ln 4/3) + (ln 2 + ln 4/3), over 3 rows
      assertEquals((2 * Math.log(8) + 2 * Math.log(8.0 / 3)) / 3, v[4], TOL, "L_c: softmax, .sum(1).mean()");
      assertEquals(0.01 * (v[0] + v[1] + v[2]) + v[3] + v[4], v[10], TOL, "total");

      // the label-net pass: S = cos(y) ≥ 0.4 (the same S), ℓ over h^L h^Lᵀ (five pairs at ½) / 9, plus half the
      // softmax loss of logits (0,0): row sums of y times ln 2 (1 + 2 + 1), over 3 rows
      double pass = new BiCmrLoss(config(Variant.RELEASED)).labelPass(m.create(H_I), m.create(ZEROS), m.create(Y))
          .toType(DataType.FLOAT64, false).getDouble();
      assertEquals(likelihood(5) / 9 + 0.5 * 4 * LN2 / 3, pass, TOL, "label-net pass");
    }
  }

  @Test
  void labelPassGradientMatchesFiniteDifferences() {
    long seed = Long.getLong("bicmr.test.seed", new Random().nextLong());
    System.out.println("BiCmrLossTest label-pass gradient seed: " + seed);
    Random random = new Random(seed);
    int b = 4;
    double[][] codes = rand(random, b, 3, true);
    double[][] logits = rand(random, b, 5, false);
    double[][] labels = new double[b][5];
    for (int i = 0; i < b; i++) {
      labels[i][random.nextInt(5)] = 1;
      labels[i][random.nextInt(5)] = 1;
    }
    BiCmrLoss loss = new BiCmrLoss(config(Variant.RELEASED));
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray h = m.create(codes);
      NDArray z = m.create(logits);
      h.setRequiresGradient(true);
      z.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(loss.labelPass(h, z, m.create(labels)));
      }
      DoubleSupplier oracle = () -> labelPassOracle(codes, logits, labels, 0.4);
      assertCentralDifferences(h.getGradient().toDoubleArray(), codes, oracle, "h^L", seed);
      assertCentralDifferences(z.getGradient().toDoubleArray(), logits, oracle, "logits", seed);
      assertEquals(labelPassOracle(codes, logits, labels, 0.4),
          loss.labelPass(m.create(codes), m.create(logits), m.create(labels)).toType(DataType.FLOAT64, false)
              .getDouble(), 1e-5, "seed " + seed + ", the value");
    }
  }

  /**
   * The released label-net pass in double precision: the mean over b² pairs of log(1 + e^Ω) − S Ω, Ω = ½ h_i·h_j,
   * S = cos(y_i, y_j) ≥ λ, plus half the mean over rows of −Σ y ⊙ log softmax(logits).
   */
  private static double labelPassOracle(double[][] h, double[][] logits, double[][] y, double lambda) {
    int b = h.length;
    double pairs = 0;
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < b; j++) {
        double omega = 0.5 * dot(h[i], h[j]);
        pairs += Math.log1p(Math.exp(omega)) - (cos(y[i], y[j]) >= lambda ? 1 : 0) * omega;
      }
    }
    double classes = 0;
    for (int i = 0; i < b; i++) {
      double max = Arrays.stream(logits[i]).max().orElseThrow();
      double sum = 0;
      for (double v : logits[i]) {
        sum += Math.exp(v - max);
      }
      for (int k = 0; k < logits[i].length; k++) {
        classes -= y[i][k] * (logits[i][k] - max - Math.log(sum));
      }
    }
    return pairs / (b * b) + 0.5 * classes / b;
  }

  @Test
  void recommendedTermsByHand() {
    try (NDManager m = NDManager.newBaseManager()) {
      double[][] target = {{1, 0}, {0, 0}, {2, 2}};
      double[][] output = {{0, 0}, {0, 0}, {2, 1}};
      double[] v = new BiCmrLoss(config(Variant.RECOMMENDED)).compute(outputs(m, target, output, ZEROS, LN3),
          inputs(m), itself(m)).values();
      assertEquals((2 + 2) / 3.0, v[0], TOL, "L_ssr: Euclidean, mean over items");
      // against the training set's label codes (= h^L = h^I): image five pairs at ½, text (cos(h^T, h^L)) four,
      // label five; a mean over b·n = 9 pairs each
      assertEquals((2 * likelihood(5) + likelihood(4)) / 9, v[3], TOL, "L_cor over the training set");
      // full binary cross-entropy: z = 0 costs ln 2 for all six entries; z = ln 3 costs −ln ¾ for the four positive
      // and −ln ¼ for the two negative labels; a mean over 3 items
      assertEquals((6 * LN2 + 4 * Math.log(4.0 / 3) + 2 * Math.log(4)) / 3, v[4], TOL, "L_c: BCE");
      // I–T buffer (cos(h^I, h^T)): four pairs at ½; T–I (its transpose): four; I–I: five; T–T: five; / 9
      assertEquals((2 * likelihood(4) + 2 * likelihood(5)) / 9, v[5], TOL, "L_pair");
      // quantisation: the codes are exactly signs, so 0
      assertEquals(0, v[6], TOL, "L_q of exact signs");
      // balance: mean image code (⅔, ⅓), mean text code (⅓, ⅔): 5/9 each
      assertEquals(10.0 / 9, v[7], TOL, "L_b");
      BiCmrConfig.Objective o = config(Variant.RECOMMENDED).objective();
      assertEquals(true, o.useClassification(), "the recommended variant has L_c (BCE)");
      assertEquals(o.alpha() * v[0] + o.beta() * v[1] + o.gamma() * v[2] + v[3] + v[4] + o.pairs() * v[5]
          + o.quantisation() * v[6] + o.balance() * v[7], v[10], TOL, "total");
    }
  }

  @Test
  void weightsOfLCorAndLcScaleOnlyTheirTermsInTheTotal() {
    try (NDManager m = NDManager.newBaseManager()) {
      double[][] target = {{1, 0}, {0, 0}, {2, 2}};
      double[][] output = {{0, 0}, {0, 0}, {2, 1}};
      BiCmrConfig recommended = config(Variant.RECOMMENDED);
      BiCmrConfig.Objective o = recommended.objective();
      BiCmrConfig weighted = recommended.with(new BiCmrConfig.Objective(o.reduction(), o.reconstruction(),
          o.correlation(), o.classifier(), o.similarity(), o.inclusive(), o.labelCodeSigns(), o.alpha(), o.beta(),
          o.gamma(), o.delta(), o.lambda(), o.eta(), o.labelPass(), o.pairs(), o.quantisation(), o.balance(),
          o.neighbours(), 0, o.instanceTemperature(), false, o.omegaScale(), 0.5, 3, true, true, true, true, true));
      double[] asPrinted = new BiCmrLoss(recommended).compute(outputs(m, target, output, ZEROS, LN3), inputs(m),
          itself(m)).values();
      double[] v = new BiCmrLoss(weighted).compute(outputs(m, target, output, ZEROS, LN3), inputs(m), itself(m))
          .values();
      // the terms themselves are those of recommendedTermsByHand
      double cor = (2 * likelihood(5) + likelihood(4)) / 9;
      double bce = (6 * LN2 + 4 * Math.log(4.0 / 3) + 2 * Math.log(4)) / 3;
      assertEquals(cor, v[3], TOL, "L_cor");
      assertEquals(bce, v[4], TOL, "L_c");
      assertEquals(asPrinted[10] + (0.5 - 1) * cor + (3 - 1) * bce, v[10], TOL, "total: 0.5 L_cor + 3 L_c + the rest");
      String refused = assertThrows(IllegalArgumentException.class, () -> new BiCmrConfig.Objective(o.reduction(),
          o.reconstruction(), o.correlation(), o.classifier(), o.similarity(), o.inclusive(), o.labelCodeSigns(),
          o.alpha(), o.beta(), o.gamma(), o.delta(), o.lambda(), o.eta(), o.labelPass(), o.pairs(), o.quantisation(),
          o.balance(), o.neighbours(), 0, o.instanceTemperature(), false, o.omegaScale(), Double.NaN, 1, true, true,
          true, true, true)).getMessage();
      assertTrue(refused.contains("correlationWeight") && refused.contains("NaN"), refused);
    }
  }

  @Test
  void quantisationAndBalanceByHand() {
    try (NDManager m = NDManager.newBaseManager()) {
      // h^I = (0.5, −0.5) on every row: (1 − 0.5)² + (−1 + 0.5)² = 0.5 a row; h^T = (0.8, 0.2): 0.04 + 0.64 = 0.68
      double[][] hI = {{0.5, -0.5}, {0.5, -0.5}, {0.5, -0.5}};
      double[][] hT = {{0.8, 0.2}, {0.8, 0.2}, {0.8, 0.2}};
      BiCmrLoss.Outputs out = new BiCmrLoss.Outputs(m.create(hI), m.create(hT), m.create(H_I), m.create(ZEROS),
          m.create(ZEROS), m.create(ZEROS), m.create(ZEROS), m.create(ZEROS), m.create(ZEROS));
      // a training set of 5: the batch's 3 rows and two more whose image sums are (1, 1) and text sums (−2, 0)
      BiCmrLoss.TrainingSet all = new BiCmrLoss.TrainingSet(m.create(new double[5][2]), m.create(new double[5][2]),
          m.create(new double[5][2]), m.create(new double[][] {{1, 0}, {1, 1}, {0, 1}, {1, 0}, {0, 1}}),
          m.create(new double[][] {{1, 1}}), m.create(new double[][] {{-2, 0}}));
      double[] v = new BiCmrLoss(config(Variant.RECOMMENDED)).compute(out, inputs(m), all).values();
      assertEquals((3 * 0.5 + 3 * 0.68) / 3, v[6], TOL, "L_q, mean over items");
      // image mean: ((1.5, −1.5) + (1, 1)) / 5 = (0.5, −0.1); text: ((2.4, 0.6) + (−2, 0)) / 5 = (0.08, 0.12)
      assertEquals(0.25 + 0.01 + 0.0064 + 0.0144, v[7], TOL, "L_b with the rows outside the batch");
    }
  }

  @Test
  void omegaScaleByHand() {
    try (NDManager m = NDManager.newBaseManager()) {
      // a = (1,1), (1,−1); b = (1,1): inner products 2 and 0; at ρ = 0.25 Ω = 0.25 and 0; S = 1, 0
      double[][] a = {{1, 1}, {1, -1}};
      double[][] b = {{1, 1}};
      double[][] s = {{1}, {0}};
      double expected = Math.log(1 + Math.exp(0.25)) - 0.25 + LN2;
      assertEquals(expected, BiCmrLoss.likelihood(m.create(a), m.create(b), m.create(s), 0.25)
          .toType(DataType.FLOAT64, false).getDouble(), TOL);
      assertThrows(IllegalArgumentException.class, () -> {
        BiCmrConfig.Objective o = config(Variant.RECOMMENDED).objective();
        new BiCmrConfig.Objective(o.reduction(), o.reconstruction(), o.correlation(), o.classifier(), o.similarity(),
            o.inclusive(), o.labelCodeSigns(), o.alpha(), o.beta(), o.gamma(), o.delta(), o.lambda(), o.eta(),
            o.labelPass(), o.pairs(), o.quantisation(), o.balance(), 0, 0, 0.1, false, 0, 1, 1, true, true, true, true, true);
      });
    }
  }

  /** The recommended objective with L_inst at weight 1 and temperature τ = 1. */
  private static BiCmrConfig withInstances() {
    return withInstances(false);
  }

  /** The same, L_inst over the tanh outputs or over the codes' signs. */
  private static BiCmrConfig withInstances(boolean signs) {
    return withInstanceTerm(config(Variant.RECOMMENDED), 1, 1, signs);
  }

  @Test
  void instanceTermOnSignsByHand() {
    try (NDManager m = NDManager.newBaseManager()) {
      // signs (1,1), (1,−1), (−1,−1) against (1,1), (1,−1), (−1,1): cosines dot / 2 = [[1,0,0],[0,1,−1],[−1,0,0]]
      double[][] hI = {{0.9, 0.1}, {0.2, -0.7}, {-0.4, -0.05}};
      double[][] hT = {{0.3, 0.6}, {0.8, -0.1}, {-0.2, 0.5}};
      BiCmrLoss.Outputs out = new BiCmrLoss.Outputs(m.create(hI), m.create(hT), m.create(H_I), m.create(ZEROS),
          m.create(ZEROS), m.create(ZEROS), m.create(ZEROS), m.create(ZEROS), m.create(ZEROS));
      BiCmrLoss.Affinities own = new BiCmrLoss.Affinities(null, null,
          m.create(new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}));
      double[] v = new BiCmrLoss(withInstances(true)).compute(out, inputs(m), itself(m), own).values();
      double rows = (1 - Math.log(E + 2)) + (1 - Math.log(1 + E + 1 / E)) + (-Math.log(1 / E + 2));
      double columns = (1 - Math.log(E + 1 + 1 / E)) + (1 - Math.log(E + 2)) + (-Math.log(2 + 1 / E));
      assertEquals(-(rows + columns) / 3, v[9], TOL, "L_inst over the signs");
      double[] tanh = new BiCmrLoss(withInstances(false)).compute(out, inputs(m), itself(m), own).values();
      assertTrue(Math.abs(tanh[9] - v[9]) > 0.05, "over the tanh outputs L_inst differs: " + tanh[9] + ", " + v[9]);
      BiCmrConfig.Objective o = withInstances(true).objective();
      IllegalArgumentException off = assertThrows(IllegalArgumentException.class, () -> new BiCmrConfig.Objective(
          o.reduction(), o.reconstruction(), o.correlation(), o.classifier(), o.similarity(), o.inclusive(),
          o.labelCodeSigns(), o.alpha(), o.beta(), o.gamma(), o.delta(), o.lambda(), o.eta(), o.labelPass(), o.pairs(),
          o.quantisation(), o.balance(), 0, 0, 1, true, 1, 1, 1, true, true, true, true, true));
      assertTrue(off.getMessage().contains("instances 0"), off.getMessage());
    }
  }

  @Test
  void instanceTermOnSignsPassesTheSignsGradientStraightThrough() {
    long seed = Long.getLong("bicmr.test.seed", new Random().nextLong());
    System.out.println("BiCmrLossTest straight-through seed: " + seed);
    Random random = new Random(seed);
    int b = 4;
    int l = 3;
    double[][] hI = new double[b][l];
    double[][] signsI = new double[b][l];
    double[][] signsT = new double[b][l];
    for (int i = 0; i < b; i++) {
      for (int k = 0; k < l; k++) {
        hI[i][k] = (random.nextBoolean() ? 1 : -1) * (0.05 + 0.9 * random.nextDouble());
        signsI[i][k] = Math.signum(hI[i][k]);
        signsT[i][k] = random.nextBoolean() ? 1 : -1;
      }
    }
    double[][] same = {{1, 1, 0, 0}, {1, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray h = m.create(hI);
      h.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray c = BiCmrLoss.cosine(BiCmrLoss.straightThroughSigns(h), m.create(signsT));
        gc.backward(BiCmrLoss.instanceLoss(c, m.create(same), 1).add(BiCmrLoss.instanceLoss(c, m.create(same), 0)));
      }
      // the oracle: L_inst as a function of the image codes, differentiated at the signs by finite differences
      assertCentralDifferences(h.getGradient().toDoubleArray(), signsI, () -> instanceLossOf(m, signsI, signsT, same),
          "h^I", seed);
    }
  }

  @Test
  void instanceTermByHand() {
    try (NDManager m = NDManager.newBaseManager()) {
      // z = cos(h^I, h^T) / 1 = [[1,0,0],[1,0,0],[0,1,1]] (the class comment)
      BiCmrLoss.Outputs out = outputs(m, ZEROS, ZEROS, ZEROS, ZEROS);
      double[][] own = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
      double[] v = new BiCmrLoss(withInstances()).compute(out, inputs(m), itself(m),
          new BiCmrLoss.Affinities(null, null, m.create(own))).values();
      // each item its own thing: rows (image → texts) log e^{z_ii} / Σ_j e^{z_ij}: 1 − log(e + 2), −log(e + 2),
      // 1 − log(1 + 2e); columns (text → images): 1 − log(2e + 1), −log(2 + e), 1 − log(2 + e)
      double rows = (1 - Math.log(E + 2)) + (-Math.log(E + 2)) + (1 - Math.log(1 + 2 * E));
      double columns = (1 - Math.log(2 * E + 1)) + (-Math.log(2 + E)) + (1 - Math.log(2 + E));
      assertEquals(-(rows + columns) / 3, v[9], TOL, "L_inst, one thing per item");
      // items 0 and 1 one thing (two styles of one emoji): the positives of rows and columns 0 and 1 are both
      double[][] pairs = {{1, 1, 0}, {1, 1, 0}, {0, 0, 1}};
      double[] w = new BiCmrLoss(withInstances()).compute(out, inputs(m), itself(m),
          new BiCmrLoss.Affinities(null, null, m.create(pairs))).values();
      rows = 2 * (Math.log(E + 1) - Math.log(E + 2)) + (1 - Math.log(1 + 2 * E));
      columns = (Math.log(2 * E) - Math.log(2 * E + 1)) + (Math.log(2) - Math.log(2 + E)) + (1 - Math.log(2 + E));
      assertEquals(-(rows + columns) / 3, w[9], TOL, "L_inst, items 0 and 1 one thing");
      assertThrows(IllegalArgumentException.class,
          () -> new BiCmrLoss(withInstances()).compute(out, inputs(m), itself(m)));
    }
  }

  @Test
  void instanceTermGradientMatchesFiniteDifferences() {
    long seed = Long.getLong("bicmr.test.seed", new Random().nextLong());
    System.out.println("BiCmrLossTest instance gradient seed: " + seed);
    Random random = new Random(seed);
    int b = 4;
    int l = 3;
    double[][] hI = new double[b][l];
    double[][] hT = new double[b][l];
    for (int i = 0; i < b; i++) {
      for (int k = 0; k < l; k++) {
        hI[i][k] = random.nextDouble() * 2 - 1;
        hT[i][k] = random.nextDouble() * 2 - 1;
      }
    }
    double[][] same = {{1, 1, 0, 0}, {1, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray z = m.create(hI);
      z.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray c = BiCmrLoss.cosine(z, m.create(hT));
        gc.backward(BiCmrLoss.instanceLoss(c, m.create(same), 1).add(BiCmrLoss.instanceLoss(c, m.create(same), 0)));
      }
      assertCentralDifferences(z.getGradient().toDoubleArray(), hI, () -> instanceLossOf(m, hI, hT, same), "h^I",
          seed);
    }
  }

  /**
   * {@code grad} (row-major over {@code x}) against central differences of {@code f}, which reads {@code x}, in each
   * entry of {@code x} (restored after each).
   */
  private static void assertCentralDifferences(double[] grad, double[][] x, DoubleSupplier f, String what, long seed) {
    double eps = 1e-6;
    for (int i = 0; i < x.length; i++) {
      for (int k = 0; k < x[i].length; k++) {
        double keep = x[i][k];
        x[i][k] = keep + eps;
        double up = f.getAsDouble();
        x[i][k] = keep - eps;
        double down = f.getAsDouble();
        x[i][k] = keep;
        assertEquals((up - down) / (2 * eps), grad[i * x[i].length + k], 1e-5,
            "seed " + seed + ", " + what + "[" + i + "][" + k + "]");
      }
    }
  }

  private static double instanceLossOf(NDManager m, double[][] hI, double[][] hT, double[][] same) {
    NDArray c = BiCmrLoss.cosine(m.create(hI), m.create(hT));
    return BiCmrLoss.instanceLoss(c, m.create(same), 1).add(BiCmrLoss.instanceLoss(c, m.create(same), 0))
        .toType(DataType.FLOAT64, false).getDouble();
  }

  @Test
  void neighbourTermByHand() {
    try (NDManager m = NDManager.newBaseManager()) {
      // cos(h^I, h^I) = [[1,1,0],[1,1,0],[0,0,1]] and cos(h^T, h^T) = [[1,0,0],[0,1,1],[0,1,1]] (the class comment);
      // affinities: identity for the images, all 0.5 for the texts
      double[][] image = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
      double[][] text = {{0.5, 0.5, 0.5}, {0.5, 0.5, 0.5}, {0.5, 0.5, 0.5}};
      BiCmrLoss.Affinities a = new BiCmrLoss.Affinities(m.create(image), m.create(text), null);
      BiCmrConfig recommended = config(Variant.RECOMMENDED);
      BiCmrConfig.Objective o = recommended.objective();
      BiCmrConfig c = recommended.with(new BiCmrConfig.Objective(o.reduction(), o.reconstruction(), o.correlation(),
          o.classifier(), o.similarity(), o.inclusive(), o.labelCodeSigns(), o.alpha(), o.beta(), o.gamma(),
          o.delta(), o.lambda(), o.eta(), o.labelPass(), o.pairs(), o.quantisation(), o.balance(), 2, 0, 0.1, false, 1,
          1, 1, true, true, true, true, true));
      BiCmrLoss.Outputs out = outputs(m, ZEROS, ZEROS, ZEROS, ZEROS);
      double[] v = new BiCmrLoss(c).compute(out, inputs(m), itself(m), a).values();
      // images: the two off-diagonal ones (0,1), (1,0) differ by 1 → 2; texts: every cosine is 0 or 1, each off by 0.5
      // → 9 × 0.25; mean over the 9 pairs
      assertEquals((2 + 9 * 0.25) / 9, v[8], TOL, "L_nbr");
      assertEquals(0, v[9], TOL, "L_inst off");
      double withoutNeighbours = new BiCmrLoss(recommended).compute(out, inputs(m), itself(m)).values()[10];
      assertEquals(withoutNeighbours + 2 * v[8], v[10], TOL, "total = the rest + w_nbr L_nbr");
      assertThrows(IllegalArgumentException.class, () -> new BiCmrLoss(c).compute(out, inputs(m), itself(m)));
    }
  }

  @Test
  void releasedCorrelationDetachesTheLabelCodes() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray hL = m.create(H_I);
      hL.setRequiresGradient(true);
      BiCmrConfig released = config(Variant.RELEASED);
      BiCmrConfig.Objective o = released.objective();
      // L_cor alone: every other term switched off
      BiCmrConfig corOnly = released.with(new BiCmrConfig.Objective(o.reduction(), o.reconstruction(),
          o.correlation(), o.classifier(), o.similarity(), o.inclusive(), o.labelCodeSigns(), 0, 0, 0, o.delta(),
          o.lambda(), o.eta(), o.labelPass(), 0, 0, 0, 0, 0, 0.1, false, 1, 1, 1, false, false, false, true, false));
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        BiCmrLoss.Outputs out = new BiCmrLoss.Outputs(m.create(H_I), m.create(H_T), hL, m.create(ZEROS),
            m.create(ZEROS), m.create(ZEROS), m.create(ZEROS), m.create(ZEROS), m.create(ZEROS));
        gc.backward(new BiCmrLoss(corOnly).compute(out, inputs(m)).total());
      }
      // only label→label's right side reaches h^L: ∂/∂h^L_j = Σ_i (σ(Ω_ij) − S_ij) ½ h^L_i / 9. For j = 2:
      // i = 0 (Ω 0, S 0): ¼ (1,0); i = 1 (Ω 0, S 1): −¼ (1,0); i = 2 (Ω ½, S 1): (σ(½) − 1) ½ (0,1)
      double sigmoid = 1 / (1 + Math.exp(-0.5));
      double[] grad = hL.getGradient().toDoubleArray();
      assertArrayEquals(new double[] {0, (sigmoid - 1) / 2 / 9}, new double[] {grad[4], grad[5]}, TOL);
      // j = 0: i = 0 (½, 1): (σ(½) − 1) ½ (1,0); i = 1 (½, 1): the same; i = 2 (0, S 0): ¼ (0,1)
      assertArrayEquals(new double[] {(sigmoid - 1) / 9, 0.25 / 9}, new double[] {grad[0], grad[1]}, TOL);
    }
  }

  @Test
  void similarityForms() {
    try (NDManager m = NDManager.newBaseManager()) {
      // y0 = (1,0,0), y1 = (1,1,1): cos = 1/√3 ≈ 0.577; y2 = (0,1,0): cos(y0,y2) = 0, cos(y1,y2) = 0.577
      double[][] y = {{1, 0, 0}, {1, 1, 1}, {0, 1, 0}};
      // label codes: rows 0 and 2 agree in both bits, row 1 differs
      double[][] codes = {{0.9, 0.9}, {-0.9, -0.9}, {0.9, 0.9}};
      BiCmrConfig.Objective o = config(Variant.PAPER).objective();
      double[][] overlap = {{1, 1, 0}, {1, 1, 1}, {0, 1, 1}};
      double[][] cosineAt06 = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}; // 0.577 < 0.6
      assertEquals2(overlap, similarity(m, o, BiCmrConfig.Similarity.OVERLAP, 0.6, 0.01, y, codes));
      assertEquals2(cosineAt06, similarity(m, o, BiCmrConfig.Similarity.COSINE, 0.6, 0.01, y, codes));
      // adjusted with δ = 1 (paper: tanh outputs): L'0 = (1,0,0,.9,.9), L'2 = (0,1,0,.9,.9): cos = 1.62/2.62 ≈ 0.618
      // > 0.6, so 0 and 2 become similar though they share no label; L'0·L'1 = 1 − 1.62 < 0
      double[][] adjusted = {{1, 0, 1}, {0, 1, 0}, {1, 0, 1}};
      assertEquals2(adjusted, similarity(m, o, BiCmrConfig.Similarity.ADJUSTED, 0.6, 1, y, codes));
    }
  }

  private static double[][] similarity(NDManager m, BiCmrConfig.Objective o, BiCmrConfig.Similarity s, double lambda,
      double delta, double[][] y, double[][] codes) {
    BiCmrConfig c = config(Variant.PAPER).with(new BiCmrConfig.Objective(o.reduction(), o.reconstruction(),
        o.correlation(), o.classifier(), s, o.inclusive(), o.labelCodeSigns(), o.alpha(), o.beta(), o.gamma(), delta,
        lambda, o.eta(), o.labelPass(), o.pairs(), o.quantisation(), o.balance(), 0, 0, 0.1, false, 1, 1, 1, true, true,
        true, true, true));
    NDArray sim = new BiCmrLoss(c).similarity(m.create(y), m.create(codes));
    double[] flat = sim.toType(DataType.FLOAT64, false).toDoubleArray();
    double[][] out = new double[3][3];
    for (int i = 0; i < 9; i++) {
      out[i / 3][i % 3] = flat[i];
    }
    return out;
  }

  private static void assertEquals2(double[][] expected, double[][] actual) {
    for (int i = 0; i < expected.length; i++) {
      assertArrayEquals(expected[i], actual[i], 0, "row " + i);
    }
  }

  @Test
  void trainingSetTermsNeedTheBuffers() {
    try (NDManager m = NDManager.newBaseManager()) {
      BiCmrLoss loss = new BiCmrLoss(config(Variant.RECOMMENDED));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> loss.compute(outputs(m, ZEROS, ZEROS, ZEROS, ZEROS), inputs(m)));
      assertTrue(e.getMessage().contains("training set"), e.getMessage());
    }
  }

  @Test
  void randomPaperBatchAgainstPlainJava() {
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
    BiCmrConfig config = config(Variant.PAPER);
    double eta = config.objective().eta();
    try (NDManager m = NDManager.newBaseManager()) {
      BiCmrLoss.Outputs out = new BiCmrLoss.Outputs(m.create(hI), m.create(hT), m.create(hL), m.create(fI),
          m.create(fIr), m.create(fT), m.create(fTr), m.create(zI), m.create(zT));
      BiCmrLoss.Inputs in = new BiCmrLoss.Inputs(m.create(fI), m.create(fT), m.create(y));
      double[] v = new BiCmrLoss(config).compute(out, in).values();

      double ssr = 0, m2l = 0, l2m = 0, cor = 0, cls = 0;
      for (int i = 0; i < b; i++) {
        ssr += sqDist(fI[i], fIr[i]) + sqDist(fT[i], fTr[i]);
        for (int j = 0; j < c; j++) {
          cls -= y[i][j] * (Math.log(sigmoid(zI[i][j])) + Math.log(sigmoid(zT[i][j])));
        }
        for (int j = 0; j < b; j++) {
          double aI = Math.exp(cos(hI[i], hI[j])), aT = Math.exp(cos(hT[i], hT[j])), aL = Math.exp(cos(hL[i], hL[j]));
          double aIT = Math.exp(cos(hI[i], hT[j]));
          m2l += eta * aI / aL + (1 - eta) * aT / aL;
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
      assertEquals(0.01 * (ssr + m2l + l2m) + cor + cls, v[10], 1e-9, "total, seed " + seed);

      // ablations drop exactly their term; Bi-CMR4 compares the labels alone (cos(y) > λ)
      double[] noCor = new BiCmrLoss(config.withAblation(3)).compute(out, in).values();
      assertEquals(0.01 * (ssr + m2l + l2m) + cls, noCor[10], 1e-9);
      NDArray plain = new BiCmrLoss(config.withAblation(4)).similarity(m.create(y), m.create(hL));
      for (int i = 0; i < b; i++) {
        for (int j = 0; j < b; j++) {
          double expected = cos(y[i], y[j]) > 0.4 ? 1.0 : 0.0;
          assertEquals(Double.isNaN(cos(y[i], y[j])) ? 0.0 : expected, plain.getDouble(i, j), 0.0);
        }
      }
    }
  }

  /** The released variant's gradient is not the loss's (detached label codes), so it is not compared here. */
  @ParameterizedTest
  @EnumSource(value = Variant.class, names = {"PAPER", "RECOMMENDED"})
  void gradientOfTheTotalMatchesFiniteDifferences(Variant variant) {
    long seed = Long.getLong("bicmr.test.seed", new Random().nextLong());
    System.out.println("BiCmrLossTest gradient seed: " + seed + " (" + variant + ")");
    Random r = new Random(seed);
    BiCmrConfig config = config(variant).with(config(variant).widths().all(6));
    int b = 4, di = 4, dt = 5, c = 3, n = 7;
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
      double[][] allLabels = {{1, 0, 0}, {1, 0, 0}, {0, 1, 1}, {0, 1, 1}, {1, 0, 0}, {0, 1, 1}, {0, 0, 1}};
      BiCmrLoss.TrainingSet all = config.objective().usesBuffers()
          ? new BiCmrLoss.TrainingSet(m.create(rand(r, n, 8, true)), m.create(rand(r, n, 8, true)),
              m.create(rand(r, n, 8, true)), m.create(allLabels), m.create(rand(r, 1, 8, false)),
              m.create(rand(r, 1, 8, false)))
          : null;
      BiCmrLoss loss = new BiCmrLoss(config);
      Engine.getInstance().setRandomSeed(1);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(loss.compute(net.forward(in, true), in, all).total());
      }
      int checked = 0;
      for (var named : net.namedParameters()) {
        if (named.getKey().startsWith("labelClassifier")
            || (named.getKey().contains("Classifier") && config.objective().useClassification() == false)) {
          continue; // trained by the label-net pass only, or by an L_c this objective does not have
        }
        Parameter p = named.getValue();
        NDArray w = p.getArray();
        double[] grad = w.getGradient().toDoubleArray();
        for (int probe = 0; probe < 3; probe++) {
          int index = r.nextInt((int) w.size());
          double analytic = grad[index];
          double eps = 1e-6;
          double plus = lossWith(net, loss, in, all, w, index, eps);
          double minus = lossWith(net, loss, in, all, w, index, -eps);
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

  private static double lossWith(BiCmrNetwork net, BiCmrLoss loss, BiCmrLoss.Inputs in, BiCmrLoss.TrainingSet all,
      NDArray w, int index, double delta) {
    Shape shape = w.getShape();
    double[] values = w.toDoubleArray();
    double original = values[index];
    values[index] = original + delta;
    w.set(java.nio.ByteBuffer.wrap(toBytes(values)).order(java.nio.ByteOrder.nativeOrder()));
    double value = loss.compute(net.forward(in, false), in, all).values()[10];
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
