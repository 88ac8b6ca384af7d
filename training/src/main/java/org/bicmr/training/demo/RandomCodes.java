package org.bicmr.training.demo;

import java.util.SplittableRandom;
import org.bicmr.training.eval.PackedCodes;

/**
 * Uniformly random codes, seeded: the reference a learned hash must beat on the same split. A random code ranks the
 * database in random order, up to the ties of Hamming distance.
 */
public final class RandomCodes {
  private RandomCodes() {}

  /** {@code count} random codes of {@code bits} bits. */
  public static PackedCodes of(int count, int bits, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] signs = new float[Math.multiplyExact(count, bits)];
    for (int i = 0; i < signs.length; i++) {
      signs[i] = random.nextBoolean() ? 1f : -1f;
    }
    return PackedCodes.fromOutputs(signs, bits);
  }
}
