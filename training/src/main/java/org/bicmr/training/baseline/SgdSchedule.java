package org.bicmr.training.baseline;

/**
 * How DCMH's released code (jiangqy/DCMH-CVPR2017, MATLAB) trains its nets, shared by the baselines trained like it:
 * plain SGD on the batch loss divided by (batch size × n), weight decay added to the gradient, a learning rate falling
 * geometrically from {@code learningRate} in the first epoch to {@code finalLearningRate} in the last (MATLAB's
 * {@code logspace(-1.5, -3, maxIter)}), and every epoch ⌈n / batch⌉ steps per net, each on a fresh random sample of
 * {@code batchSize} items.
 *
 * @param batchSize items per step (128)
 * @param epochs outer iterations; each trains the image net, then the text net, then updates B (500)
 * @param learningRate learning rate of the first epoch (10^−1.5)
 * @param finalLearningRate learning rate of the last epoch (10^−3)
 * @param weightDecay added to the gradient times the weight (5·10^−4)
 * @param seed seeds initialisation, the initial F and G and the batches
 */
public record SgdSchedule(int batchSize, int epochs, double learningRate, double finalLearningRate,
    double weightDecay, long seed) {

  public SgdSchedule {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
    }
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
    }
    if (!(learningRate > 0) || !(finalLearningRate > 0)) {
      throw new IllegalArgumentException("learning rates must be positive, got " + learningRate + " and "
          + finalLearningRate);
    }
    if (!(weightDecay >= 0)) {
      throw new IllegalArgumentException("weightDecay must be at least 0, got " + weightDecay);
    }
  }

  /** DCMH's released settings: batch 128, 500 epochs, learning rate 10^−1.5 down to 10^−3, weight decay 5·10^−4. */
  public static SgdSchedule dcmh() {
    return new SgdSchedule(128, 500, Math.pow(10, -1.5), 1e-3, 5e-4, 42L);
  }

  /** The learning rate of epoch {@code epoch} (0-based). */
  public double rate(int epoch) {
    if (epochs == 1) {
      return learningRate;
    }
    return learningRate * Math.pow(finalLearningRate / learningRate, (double) epoch / (epochs - 1));
  }
}
