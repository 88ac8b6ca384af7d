package org.bicmr.training.eval;

import java.util.Locale;

/**
 * How far apart an item's own image and text codes are, beside any image and text code of two different items: the
 * mean Hamming distance over the n own pairs and over the n(n − 1) other pairs. A cross-modal model whose own pairs
 * sit nearly as far apart as any two items ranks a picture's own text by luck, whatever its MAP under coarse labels.
 * The second mean is exact, counted per bit (pairs that differ in bit b: ones_I (n − ones_T) + (n − ones_I) ones_T,
 * less the own pairs that differ there), so it costs O(n l), not O(n² l).
 *
 * @param items n, the items whose codes are measured (both code sets hold them in the same order)
 * @param ownPair the mean distance between item i's image code and item i's text code
 * @param otherPairs the mean distance between item i's image code and item j's text code, i ≠ j
 */
public record PairDistances(int items, double ownPair, double otherPairs) {
  /** The distances of {@code image} and {@code text}, row i of each the same item. */
  public static PairDistances of(PackedCodes image, PackedCodes text) {
    int n = image.size();
    if (text.size() != n || text.bits() != image.bits()) {
      throw new IllegalArgumentException("image and text codes must hold the same items at the same length, got "
          + n + " × " + image.bits() + " bits and " + text.size() + " × " + text.bits() + " bits");
    }
    if (n < 2) {
      throw new IllegalArgumentException("pair distances need at least 2 items, got " + n);
    }
    int bits = image.bits();
    long[] onesImage = new long[bits];
    long[] onesText = new long[bits];
    long own = 0;
    for (int i = 0; i < n; i++) {
      own += image.distance(i, text, i);
      for (int b = 0; b < bits; b++) {
        onesImage[b] += image.bit(i, b) ? 1 : 0;
        onesText[b] += text.bit(i, b) ? 1 : 0;
      }
    }
    long all = 0; // differing (i, j) over every ordered pair, own pairs included
    for (int b = 0; b < bits; b++) {
      all += onesImage[b] * (n - onesText[b]) + (n - onesImage[b]) * onesText[b];
    }
    return new PairDistances(n, (double) own / n, (double) (all - own) / ((double) n * (n - 1)));
  }

  /** One line for reports, e.g. "an item's own image and text codes 21.3 bits apart (two different items: 31.0)". */
  public String describe() {
    return String.format(Locale.ROOT, "an item's own image and text codes %.1f bits apart (two different items: %.1f)",
        ownPair, otherPairs);
  }
}
