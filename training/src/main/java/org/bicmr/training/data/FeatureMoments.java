package org.bicmr.training.data;

/**
 * Each feature's mean and population standard deviation over row-major feature rows (the training items), what input
 * standardisation is fitted on; and whether the rows are a bag of words (every value 0 or 1), which is left as it is.
 *
 * @param mean each feature's mean
 * @param deviation each feature's population standard deviation (0 for a constant feature)
 */
public record FeatureMoments(double[] mean, double[] deviation) {

  /** The moments of {@code rows}, {@code dim} features each. */
  public static FeatureMoments of(float[] rows, int dim) {
    int n = rows.length / dim;
    double[] sum = new double[dim];
    double[] square = new double[dim];
    for (int i = 0; i < n; i++) {
      for (int d = 0; d < dim; d++) {
        double v = rows[i * dim + d];
        sum[d] += v;
        square[d] += v * v;
      }
    }
    double[] mean = new double[dim];
    double[] deviation = new double[dim];
    for (int d = 0; d < dim; d++) {
      mean[d] = sum[d] / n;
      deviation[d] = Math.sqrt(Math.max(square[d] / n - mean[d] * mean[d], 0));
    }
    return new FeatureMoments(mean, deviation);
  }

  /** Whether every value is 0 or 1: a binary bag of words. */
  public static boolean isBagOfWords(float[] rows) {
    for (float v : rows) {
      if (v != 0f && v != 1f) {
        return false;
      }
    }
    return true;
  }
}
