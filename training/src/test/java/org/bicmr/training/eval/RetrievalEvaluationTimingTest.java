package org.bicmr.training.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Random;
import org.bicmr.training.data.DatasetSplit;
import org.bicmr.training.data.PairedDataset;
import org.junit.jupiter.api.Test;

/** The paper's scale: 2,000 queries against 18,000 database items, 64 bits, 24 labels; prints the time taken. */
class RetrievalEvaluationTimingTest {

  @Test
  void paperScaleIsFast() {
    int n = 20_000;
    int bits = 64;
    int labels = 24;
    Random random = new Random(42);
    float[] labelRows = new float[n * labels];
    for (int i = 0; i < labelRows.length; i++) {
      labelRows[i] = random.nextDouble() < 0.12 ? 1f : 0f;
    }
    PairedDataset data = PairedDataset.builder("timing", n)
        .image(1, new float[n])
        .text(1, new float[n])
        .labels(labels, labelRows)
        .build();
    PackedCodes image = PackedCodes.fromOutputs(gaussian(random, n * bits), bits);
    PackedCodes text = PackedCodes.fromOutputs(gaussian(random, n * bits), bits);
    DatasetSplit split = DatasetSplit.random(n, 2_000, 10_000, 7);
    for (int round = 1; round <= 3; round++) {
      long start = System.nanoTime();
      RetrievalMetrics m = RetrievalEvaluation.evaluate(data, Relevance.S, image, split.query(), text, split.database());
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.println(String.format(Locale.ROOT,
          "evaluation of %d queries x %d database items x %d bits, round %d: %.3f s (MAP %.4f, base rate %.4f)",
          m.queries(), m.databaseSize(), bits, round, seconds, m.map(), m.baseRate()));
      assertEquals(18_000, m.databaseSize());
      assertTrue(seconds < 30, "far too slow: " + seconds + " s");
    }
  }

  private static float[] gaussian(Random random, int count) {
    float[] out = new float[count];
    for (int i = 0; i < count; i++) {
      out[i] = (float) random.nextGaussian();
    }
    return out;
  }
}
