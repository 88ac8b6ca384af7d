package org.bicmr.training.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bicmr.training.data.DatasetSplit;
import org.bicmr.training.data.PairedDataset;

/**
 * Evaluation runs on a small random dataset for the report tests: two "methods" whose codes are noisy projections of
 * the items' labels (one less noisy than the other), 16 and 32 bits, both directions, relevance S and G.
 */
final class SampleRuns {
  private SampleRuns() {}

  static List<EvaluationRun> evaluate(long seed) {
    Random random = new Random(seed);
    int n = 400;
    int labels = 6;
    float[] labelRows = new float[n * labels];
    int[] groups = new int[n];
    for (int i = 0; i < n; i++) {
      groups[i] = random.nextInt(labels);
      labelRows[i * labels + groups[i]] = 1f;
      for (int c = 0; c < labels; c++) {
        if (random.nextInt(8) == 0) {
          labelRows[i * labels + c] = 1f;
        }
      }
    }
    PairedDataset data = PairedDataset.builder("sample", n)
        .image(1, new float[n])
        .text(1, new float[n])
        .labels(labels, labelRows)
        .relevanceGroups(groups)
        .build();
    DatasetSplit split = DatasetSplit.random(n, 60, 100, seed);
    List<EvaluationRun> runs = new ArrayList<>();
    String[] methods = {"Bi-CMR", "DCMH"};
    double[] noise = {0.6, 1.5};
    for (int m = 0; m < methods.length; m++) {
      for (int bits : new int[] {16, 32}) {
        float[][] projection = new float[labels][bits];
        for (float[] row : projection) {
          for (int b = 0; b < bits; b++) {
            row[b] = (float) random.nextGaussian();
          }
        }
        PackedCodes image = codes(random, labelRows, labels, projection, noise[m]);
        PackedCodes text = codes(random, labelRows, labels, projection, noise[m]);
        for (Direction direction : Direction.CROSS_MODAL) {
          for (Relevance relevance : Relevance.available(data)) {
            RetrievalMetrics metrics = RetrievalEvaluation.evaluate(data, relevance, direction.queryCodes(image, text),
                split.query(), direction.databaseCodes(image, text), split.database(), new int[] {1, 5, 10, 50, 500});
            runs.add(new EvaluationRun(data.name(), methods[m], bits, direction, relevance, split.seed(),
                Map.of("noise", Double.toString(noise[m]), "epochs", "0"), metrics));
          }
        }
      }
    }
    return runs;
  }

  private static PackedCodes codes(Random random, float[] labelRows, int labels, float[][] projection, double noise) {
    int n = labelRows.length / labels;
    int bits = projection[0].length;
    float[] out = new float[n * bits];
    for (int i = 0; i < n; i++) {
      for (int b = 0; b < bits; b++) {
        double v = noise * random.nextGaussian();
        for (int c = 0; c < labels; c++) {
          v += labelRows[i * labels + c] * projection[c][b];
        }
        out[i * bits + b] = (float) v;
      }
    }
    return PackedCodes.fromOutputs(out, bits);
  }

  /** Metrics with the given MAP and base rate and placeholder curves, for table tests. */
  static RetrievalMetrics metrics(int bits, double map, double baseRate) {
    double[] radius = new double[bits + 1];
    return new RetrievalMetrics(bits, 100, 10, 9, 1, map, baseRate, baseRate, radius, radius, new int[bits + 1],
        radius, new int[] {1}, new int[] {1}, new double[] {map}, new int[10], new double[10],
        new double[] {map});
  }
}
