package org.bicmr.training.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.bicmr.training.data.PairedDataset;
import org.junit.jupiter.api.Test;

/** L_nbr's affinities against cosines computed by hand. */
class InputAffinitiesTest {
  @Test
  void denseFeaturesAreStandardisedAndBagsOfWordsKept() {
    // image rows (1,2), (3,2), (2,5): means (2, 3), population deviations √(2/3) and √2, so the standardised rows are
    // (−√1.5, −√0.5), (√1.5, −√0.5), (0, √2), each of squared length 2, and every off-diagonal product is −1: cos −½.
    // text: a bag of words (1,0,1), (1,1,0), (0,0,0): kept as it is; cos(0, 1) = ½, the empty row 0 with everything.
    PairedDataset data = PairedDataset.builder("three", 3)
        .image(2, new float[] {1, 2, 3, 2, 2, 5})
        .text(3, new float[] {1, 0, 1, 1, 1, 0, 0, 0, 0})
        .labels(1, new float[] {1, 1, 1})
        .build();
    InputAffinities affinities = new InputAffinities(data, true, false);
    try (NDManager m = NDManager.newBaseManager()) {
      BiCmrLoss.Affinities a = affinities.of(m, new int[] {0, 1, 2});
      assertArrayEquals(new double[] {1, -0.5, -0.5, -0.5, 1, -0.5, -0.5, -0.5, 1},
          a.image().toType(DataType.FLOAT64, false).toDoubleArray(), 1e-6);
      assertArrayEquals(new double[] {1, 0.5, 0, 0.5, 1, 0, 0, 0, 0},
          a.text().toType(DataType.FLOAT64, false).toDoubleArray(), 1e-6);
      // a batch is its rows in the order given
      BiCmrLoss.Affinities b = affinities.of(m, new int[] {1, 0});
      assertArrayEquals(new double[] {1, 0.5, 0.5, 1}, b.text().toType(DataType.FLOAT64, false).toDoubleArray(), 1e-6);
    }
  }

  @Test
  void sameItemFromSplitGroupsOrEachItemAlone() {
    PairedDataset.Builder b = PairedDataset.builder("three", 3).image(1, new float[] {1, 2, 3})
        .text(1, new float[] {1, 0, 1}).labels(1, new float[] {1, 1, 1});
    try (NDManager m = NDManager.newBaseManager()) {
      BiCmrLoss.Affinities grouped = new InputAffinities(b.splitGroups(new int[] {5, 7, 5}).build(), false, true)
          .of(m, new int[] {2, 1, 0});
      // rows 2, 1, 0: groups 5, 7, 5
      assertArrayEquals(new double[] {1, 0, 1, 0, 1, 0, 1, 0, 1},
          grouped.sameItem().toType(DataType.FLOAT64, false).toDoubleArray());
      assertNull(grouped.image());
      PairedDataset alone = PairedDataset.builder("three", 3).image(1, new float[] {1, 2, 3})
          .text(1, new float[] {1, 0, 1}).labels(1, new float[] {1, 1, 1}).build();
      assertArrayEquals(new double[] {1, 0, 0, 1}, new InputAffinities(alone, false, true).of(m, new int[] {0, 2})
          .sameItem().toType(DataType.FLOAT64, false).toDoubleArray());
    }
  }
}
