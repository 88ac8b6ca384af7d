package org.bicmr.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Splits by split group: no group is cut, sizes are whole groups, the validation carve too; seeded. */
class DatasetSplitTest {
  private static int[] groups(long seed, int n) {
    Random r = new Random(seed);
    int[] g = new int[n];
    int group = 0;
    for (int i = 0; i < n; ) {
      int size = 1 + r.nextInt(6); // an emoji in one to six styles
      for (int k = 0; k < size && i < n; k++) {
        g[i++] = group;
      }
      group++;
    }
    return g;
  }

  @Test
  void everyGroupFallsOnOneSide() {
    long seed = Long.getLong("bicmr.test.seed", new Random().nextLong());
    System.out.println("DatasetSplitTest seed: " + seed);
    int[] g = groups(seed, 2000);
    DatasetSplit split = DatasetSplit.grouped(g, 200, 900, 7L).withValidation(90, g);
    Set<Integer> queryGroups = new HashSet<>();
    Arrays.stream(split.query()).forEach(i -> queryGroups.add(g[i]));
    for (int i : split.database()) {
      assertTrue(!queryGroups.contains(g[i]), "item " + i + "'s group is on both sides, seed " + seed);
    }
    assertEquals(2000, split.query().length + split.database().length);
    assertTrue(split.query().length >= 200 && split.query().length < 206, "whole groups: " + split.query().length);
    assertTrue(split.train().length >= 900 && split.train().length < 906);
    Set<Integer> validationGroups = new HashSet<>();
    Arrays.stream(split.validation()).forEach(i -> validationGroups.add(g[i]));
    for (int i : split.fit()) {
      assertTrue(!validationGroups.contains(g[i]), "item " + i + "'s group is trained on and validates, seed " + seed);
    }
    assertEquals(split.train().length, split.fit().length + split.validation().length);
    DatasetSplit again = DatasetSplit.grouped(g, 200, 900, 7L).withValidation(90, g);
    assertArrayEquals(split.query(), again.query());
    assertArrayEquals(split.validation(), again.validation());
  }
}
