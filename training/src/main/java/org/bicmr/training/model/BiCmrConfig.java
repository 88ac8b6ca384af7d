package org.bicmr.training.model;

/**
 * Every hyper-parameter of a Bi-CMR training run, with the paper's defaults (DESIGN §6), and the switches of the
 * ablations Bi-CMR1–5 (Table 4 of the paper).
 *
 * @param bits code length l (a multiple of 8)
 * @param imageHidden width of the image net's hidden layer (paper: 4,096)
 * @param textHidden1 width of the text net's first hidden layer (paper: 1,024)
 * @param textHidden2 width of the text net's second hidden layer (paper: 4,096)
 * @param labelHidden width of the multi-label net's hidden layer (paper: 4,096)
 * @param ssrHidden width of the SSR reconstruction heads' hidden layer (paper: 1,024)
 * @param alpha weight of L_ssr (0.01)
 * @param beta weight of L_m2l (0.01)
 * @param gamma weight of L_l2m (0.01)
 * @param delta weight of the label hash code in the label measure vector (0.01)
 * @param lambda relevance threshold of the adjusted similarity (0.4 MIRFlickr, 0.7 NUS-WIDE)
 * @param eta balance of image and text in L_m2l (0.5)
 * @param learningRate Adam learning rate of the image and text nets (1e-4)
 * @param labelLearningRate Adam learning rate of the multi-label net (1e-3)
 * @param batchSize mini-batch size (128)
 * @param epochs number of epochs (120)
 * @param halveEvery the learning rates halve every this many epochs (20)
 * @param seed seeds initialisation and batch order
 * @param useSsr include L_ssr (off in Bi-CMR1: no forward learning)
 * @param useM2l include L_m2l (off in Bi-CMR1)
 * @param useL2m include L_l2m (off in Bi-CMR2)
 * @param useCor include L_cor (off in Bi-CMR3)
 * @param adjustSimilarity use the adjusted similarity S; plain label overlap when off (Bi-CMR4)
 * @param useClassification include L_c (off in Bi-CMR5)
 */
public record BiCmrConfig(
    int bits,
    int imageHidden,
    int textHidden1,
    int textHidden2,
    int labelHidden,
    int ssrHidden,
    double alpha,
    double beta,
    double gamma,
    double delta,
    double lambda,
    double eta,
    double learningRate,
    double labelLearningRate,
    int batchSize,
    int epochs,
    int halveEvery,
    long seed,
    boolean useSsr,
    boolean useM2l,
    boolean useL2m,
    boolean useCor,
    boolean adjustSimilarity,
    boolean useClassification) {

  public BiCmrConfig {
    if (bits < 8 || bits % 8 != 0) {
      throw new IllegalArgumentException("bits must be a positive multiple of 8, got " + bits);
    }
    positive("imageHidden", imageHidden);
    positive("textHidden1", textHidden1);
    positive("textHidden2", textHidden2);
    positive("labelHidden", labelHidden);
    positive("ssrHidden", ssrHidden);
    positive("batchSize", batchSize);
    positive("epochs", epochs);
    positive("halveEvery", halveEvery);
    if (eta <= 0 || eta >= 1) {
      throw new IllegalArgumentException("eta must be strictly between 0 and 1, got " + eta);
    }
    if (lambda < -1 || lambda > 1) {
      throw new IllegalArgumentException("lambda is a cosine threshold and must be in [-1, 1], got " + lambda);
    }
    if (learningRate <= 0 || labelLearningRate <= 0) {
      throw new IllegalArgumentException(
          "learning rates must be positive, got " + learningRate + " and " + labelLearningRate);
    }
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + value);
    }
  }

  /** The paper's settings for MIRFlickr-25K at {@code bits} bits. */
  public static BiCmrConfig paper(int bits) {
    return new BiCmrConfig(bits, 4096, 1024, 4096, 4096, 1024, 0.01, 0.01, 0.01, 0.01, 0.4, 0.5, 1e-4, 1e-3, 128,
        120, 20, 42L, true, true, true, true, true, true);
  }

  /** This configuration with ablation Bi-CMR{@code n} (1–5) applied; 0 is the full model. */
  public BiCmrConfig withAblation(int n) {
    return switch (n) {
      case 0 -> this;
      case 1 -> withTerms(false, false, useL2m, useCor, adjustSimilarity, useClassification); // no forward learning
      case 2 -> withTerms(useSsr, useM2l, false, useCor, adjustSimilarity, useClassification);
      case 3 -> withTerms(useSsr, useM2l, useL2m, false, adjustSimilarity, useClassification);
      case 4 -> withTerms(useSsr, useM2l, useL2m, useCor, false, useClassification);
      case 5 -> withTerms(useSsr, useM2l, useL2m, useCor, adjustSimilarity, false);
      default -> throw new IllegalArgumentException("ablation must be 0 (full Bi-CMR) or 1 to 5 (Bi-CMR1–5), got " + n);
    };
  }

  /** This configuration with other loss switches. */
  public BiCmrConfig withTerms(boolean ssr, boolean m2l, boolean l2m, boolean cor, boolean adjust, boolean classification) {
    return new BiCmrConfig(bits, imageHidden, textHidden1, textHidden2, labelHidden, ssrHidden, alpha, beta, gamma,
        delta, lambda, eta, learningRate, labelLearningRate, batchSize, epochs, halveEvery, seed, ssr, m2l, l2m, cor,
        adjust, classification);
  }

  /** This configuration trained for {@code n} epochs. */
  public BiCmrConfig withEpochs(int n) {
    return new BiCmrConfig(bits, imageHidden, textHidden1, textHidden2, labelHidden, ssrHidden, alpha, beta, gamma,
        delta, lambda, eta, learningRate, labelLearningRate, batchSize, n, halveEvery, seed, useSsr, useM2l, useL2m,
        useCor, adjustSimilarity, useClassification);
  }
}
