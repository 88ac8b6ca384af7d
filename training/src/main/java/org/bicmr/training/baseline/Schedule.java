package org.bicmr.training.baseline;

/**
 * How a baseline trained like DCMH updates its nets. The defaults are DCMH's released code (jiangqy/DCMH-CVPR2017,
 * MATLAB): plain SGD on the batch loss divided by (batch size × n), weight decay added to the gradient, a learning rate
 * falling geometrically from {@code learningRate} in the first epoch to {@code finalLearningRate} in the last (MATLAB's
 * {@code logspace(-1.5, -3, maxIter)}), and every epoch ⌈n / batch⌉ steps per net, each on a fresh random sample of
 * {@code batchSize} items. Adam (β = 0.9, 0.999, PyTorch's defaults, weight decay as an L2 gradient term) is an
 * option of this harness, not of the paper.
 *
 * @param batchSize items per step (128)
 * @param epochs outer iterations; each trains the image net, then the text net, then updates B (500)
 * @param optimizer SGD (the paper's) or Adam
 * @param learningRate learning rate of the first epoch (10^−1.5)
 * @param finalLearningRate learning rate of the last epoch (10^−3)
 * @param weightDecay added to the gradient times the weight (5·10^−4)
 * @param seed seeds initialisation, the initial F and G and the batches
 */
public record Schedule(int batchSize, int epochs, Optimizer optimizer, double learningRate, double finalLearningRate,
    double weightDecay, long seed) {

  /** The update rule. */
  public enum Optimizer {
    /** w −= lr · (∇w + decay · w): DCMH's released code. */
    SGD,
    /** Adam with β1 = 0.9, β2 = 0.999, ε = 1e-8 on ∇w + decay · w. */
    ADAM
  }

  public Schedule {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
    }
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
    }
    if (optimizer == null) {
      throw new IllegalArgumentException("optimizer must be SGD or ADAM, got null");
    }
    if (!(learningRate > 0) || !(finalLearningRate > 0)) {
      throw new IllegalArgumentException("learning rates must be positive, got " + learningRate + " and "
          + finalLearningRate);
    }
    if (!(weightDecay >= 0)) {
      throw new IllegalArgumentException("weightDecay must be at least 0, got " + weightDecay);
    }
  }

  /** DCMH's released settings: batch 128, 500 epochs, SGD from 10^−1.5 down to 10^−3, weight decay 5·10^−4. */
  public static Schedule dcmh() {
    return new Schedule(128, 500, Optimizer.SGD, Math.pow(10, -1.5), 1e-3, 5e-4, 42L);
  }

  /** The learning rate of epoch {@code epoch} (0-based). */
  public double rate(int epoch) {
    if (epochs == 1) {
      return learningRate;
    }
    return learningRate * Math.pow(finalLearningRate / learningRate, (double) epoch / (epochs - 1));
  }
}
