package org.bicmr.training.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RandomRankingTest {

  /** Averages AP over every placement of R relevant items among n ranks: the exact expectation, by enumeration. */
  @Test
  void expectedApEqualsTheMeanOverAllPlacements() {
    for (int n = 1; n <= 10; n++) {
      RandomRanking random = new RandomRanking(n);
      for (int r = 1; r <= n; r++) {
        double sum = 0;
        int placements = 0;
        for (int mask = 0; mask < 1 << n; mask++) {
          if (Integer.bitCount(mask) != r) {
            continue;
          }
          double ap = 0;
          int hits = 0;
          for (int i = 0; i < n; i++) {
            if ((mask & 1 << i) != 0) {
              hits++;
              ap += hits / (double) (i + 1);
            }
          }
          sum += ap / r;
          placements++;
        }
        assertEquals(sum / placements, random.expectedAveragePrecision(r), 1e-12, "n " + n + ", R " + r);
      }
    }
  }

  @Test
  void tendsToTheBaseRate() {
    assertEquals(0.55, new RandomRanking(18_000).expectedAveragePrecision(9_900), 1e-3);
  }
}
