package org.bicmr.training.eval;

/**
 * The exact expected average precision of a uniformly random ranking of n database items of which R are relevant:
 * E[AP] = (H_n + (R − 1)(n − H_n)/(n − 1)) / n, with H_n the n-th harmonic number. It follows from
 * AP = (1/R) Σ_i rel_i · hits_i / i and E[rel_i · hits_i] = (R/n)(1 + (i − 1)(R − 1)/(n − 1)); it tends to R/n, the
 * base rate, as n grows.
 */
final class RandomRanking {
  private final int n;
  private final double harmonic;

  RandomRanking(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("a ranking needs at least 1 item, got " + n);
    }
    this.n = n;
    double h = 0;
    for (int i = n; i >= 1; i--) { // smallest terms first
      h += 1.0 / i;
    }
    this.harmonic = h;
  }

  /** E[AP] for {@code relevant} relevant items, 1 ≤ relevant ≤ n. */
  double expectedAveragePrecision(int relevant) {
    if (relevant < 1 || relevant > n) {
      throw new IllegalArgumentException("relevant items must be between 1 and " + n + ", got " + relevant);
    }
    if (n == 1) {
      return 1.0;
    }
    return (harmonic + (relevant - 1) * (n - harmonic) / (n - 1)) / n;
  }
}
