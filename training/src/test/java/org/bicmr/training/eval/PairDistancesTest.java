package org.bicmr.training.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Own-pair and other-pair distances by hand on three 4-bit items, then on random codes against a brute-force double
 * loop (seed printed; rerun with {@code -Dbicmr.test.seed=<seed>}).
 */
class PairDistancesTest {
  @Test
  void threeItemsByHand() {
    // signs → bits (codes are 8 bits at least; the last four are 0 everywhere): image 1100, 1010, 0000; text 1100,
    // 0101, 1111
    PackedCodes image = PackedCodes.fromOutputs(new float[] {1, 1, -1, -1, -1, -1, -1, -1, 1, -1, 1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1}, 8);
    PackedCodes text = PackedCodes.fromOutputs(new float[] {1, 1, -1, -1, -1, -1, -1, -1, -1, 1, -1, 1, -1, -1, -1,
        -1, 1, 1, 1, 1, -1, -1, -1, -1}, 8);
    PairDistances d = PairDistances.of(image, text);
    // own pairs: 0, 4, 4 → 8/3; other pairs: (0,1) 1100–0101 = 2, (0,2) 1100–1111 = 2, (1,0) 1010–1100 = 2,
    // (1,2) 1010–1111 = 2, (2,0) 0000–1100 = 2, (2,1) 0000–0101 = 2 → 2
    assertEquals(8.0 / 3, d.ownPair(), 1e-12);
    assertEquals(2.0, d.otherPairs(), 1e-12);
    assertThrows(IllegalArgumentException.class,
        () -> PairDistances.of(image, PackedCodes.fromOutputs(new float[] {1, 1, 1, 1, 1, 1, 1, 1}, 8)));
  }

  @Test
  void randomCodesAgainstEveryPair() {
    long seed = Long.getLong("bicmr.test.seed", new Random().nextLong());
    System.out.println("PairDistancesTest seed: " + seed + " (rerun with -Dbicmr.test.seed=" + seed + ")");
    Random random = new Random(seed);
    for (int iter = 0; iter < 20; iter++) {
      int n = 2 + random.nextInt(40);
      int bits = 8 * (1 + random.nextInt(20));
      float[] a = new float[n * bits];
      float[] b = new float[n * bits];
      double bias = random.nextDouble();
      for (int i = 0; i < a.length; i++) {
        a[i] = random.nextDouble() < bias ? 1 : -1;
        b[i] = random.nextDouble() < 0.5 ? 1 : -1;
      }
      PackedCodes image = PackedCodes.fromOutputs(a, bits);
      PackedCodes text = PackedCodes.fromOutputs(b, bits);
      long own = 0;
      long other = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          int d = 0;
          for (int k = 0; k < bits; k++) {
            d += (a[i * bits + k] != b[j * bits + k]) ? 1 : 0;
          }
          if (i == j) {
            own += d;
          } else {
            other += d;
          }
        }
      }
      PairDistances d = PairDistances.of(image, text);
      String where = "seed " + seed + ", iteration " + iter + ", n " + n + ", bits " + bits;
      assertEquals((double) own / n, d.ownPair(), 1e-9, where);
      assertEquals((double) other / (n * (n - 1.0)), d.otherPairs(), 1e-9, where);
    }
  }
}
