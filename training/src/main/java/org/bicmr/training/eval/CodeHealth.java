package org.bicmr.training.eval;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * How much of its code length a set of codes uses (DESIGN §6, code health): the bits that are nearly constant — fewer
 * than {@link #NEAR_CONSTANT} of the items differ from the bit's majority value — and the number of distinct codes.
 * Collapsed codes (few distinct codes, many constant bits) rank by item order among their ties, whatever their MAP.
 *
 * @param items the number of codes measured
 * @param bits the code length
 * @param nearConstantBits bits where the minority value holds for fewer than 3% of the items
 * @param distinctCodes how many different codes there are
 */
public record CodeHealth(int items, int bits, int nearConstantBits, int distinctCodes) {
  /** The key of an evaluation run's settings that holds the near-constant bits of the image codes. */
  public static final String IMAGE_KEY = "near_constant_bits_image";
  /** The key of an evaluation run's settings that holds the near-constant bits of the text codes. */
  public static final String TEXT_KEY = "near_constant_bits_text";
  /** The share of items below which a bit counts as nearly constant. */
  public static final double NEAR_CONSTANT = 0.03;

  /** The health of {@code codes}. */
  public static CodeHealth of(PackedCodes codes) {
    int n = codes.size();
    int w = codes.wordsPerCode();
    int[] ones = new int[codes.bits()];
    Set<Key> distinct = new HashSet<>();
    for (int i = 0; i < n; i++) {
      long[] words = new long[w];
      for (int k = 0; k < w; k++) {
        words[k] = codes.word(i, k);
      }
      distinct.add(new Key(words));
      for (int b = 0; b < ones.length; b++) {
        if (codes.bit(i, b)) {
          ones[b]++;
        }
      }
    }
    int constant = 0;
    for (int count : ones) {
      if (Math.min(count, n - count) < NEAR_CONSTANT * n) {
        constant++;
      }
    }
    return new CodeHealth(n, codes.bits(), constant, distinct.size());
  }

  /** One line for reports, e.g. "0 of 64 bits near-constant, 15,210 distinct codes of 20,015". */
  public String describe() {
    return String.format(Locale.ROOT, "%d of %d bits near-constant, %,d distinct codes of %,d", nearConstantBits, bits,
        distinctCodes, items);
  }

  private record Key(long[] words) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && java.util.Arrays.equals(words, k.words);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(words);
    }
  }
}
