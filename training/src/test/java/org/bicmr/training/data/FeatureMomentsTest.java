package org.bicmr.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Means and population deviations worked out by hand; what counts as a bag of words. */
class FeatureMomentsTest {

  @Test
  void meansAndPopulationDeviationsByHand() {
    // three items, two features: (1, 5), (2, 5), (6, 5) → means 3 and 5; deviations sqrt(14/3) and 0
    FeatureMoments m = FeatureMoments.of(new float[] {1, 5, 2, 5, 6, 5}, 2);
    assertArrayEquals(new double[] {3, 5}, m.mean(), 1e-12);
    assertArrayEquals(new double[] {Math.sqrt(14.0 / 3), 0}, m.deviation(), 1e-12);
  }

  @Test
  void onlyZerosAndOnesAreABagOfWords() {
    assertTrue(FeatureMoments.isBagOfWords(new float[] {0, 1, 1, 0}));
    assertFalse(FeatureMoments.isBagOfWords(new float[] {0, 1, 0.5f}));
    assertFalse(FeatureMoments.isBagOfWords(new float[] {2, 0}));
  }
}
