package org.bicmr.training.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.Random;
import org.bicmr.training.data.DatasetSplit;
import org.bicmr.training.data.PairedDataset;
import org.junit.jupiter.api.Test;

/** The paper's scale: 2,000 queries against 18,000 database items, 64 bits, 24 labels: random codes score the base rate. */
class RetrievalEvaluationScaleTest {

  @Test
  void randomCodesAtThePapersScaleScoreTheBaseRate() {
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
    // speed is measured by a benchmark, not here; this checks that a random ranking at full size scores its base rate
    RetrievalMetrics m = RetrievalEvaluation.evaluate(data, Relevance.S, image, split.query(), text, split.database());
    System.out.println(String.format(Locale.ROOT, "random codes, %d queries x %d database items x %d bits: MAP %.4f,"
        + " base rate %.4f", m.queries(), m.databaseSize(), bits, m.map(), m.baseRate()));
    assertEquals(18_000, m.databaseSize());
    assertEquals(m.baseRate(), m.map(), 0.01);
  }

  private static float[] gaussian(Random random, int count) {
    float[] out = new float[count];
    for (int i = 0; i < count; i++) {
      out[i] = (float) random.nextGaussian();
    }
    return out;
  }
}
