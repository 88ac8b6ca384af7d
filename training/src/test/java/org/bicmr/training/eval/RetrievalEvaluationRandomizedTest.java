package org.bicmr.training.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.bicmr.codes.HashCode;
import org.bicmr.training.data.DatasetSplit;
import org.bicmr.training.data.PairedDataset;
import org.junit.jupiter.api.Test;

/**
 * Compares the evaluation with a slow, straightforward reference on random data: boxed items sorted by a comparator on
 * (distance, index), distances from {@link HashCode}, relevance from {@link PairedDataset#shareLabel} or the groups.
 * Rerun a failure with {@code -Dbicmr.test.seed=<the printed seed>}.
 */
class RetrievalEvaluationRandomizedTest {
  private static final double EPS = 1e-9;

  @Test
  void matchesTheReferenceOnRandomData() {
    long seed = Long.getLong("bicmr.test.seed", new Random().nextLong());
    System.out.println("RetrievalEvaluationRandomizedTest seed: " + seed + " (rerun with -Dbicmr.test.seed=" + seed + ")");
    Random random = new Random(seed);
    for (int iter = 0; iter < 25; iter++) {
      int n = 20 + random.nextInt(200);
      int bits = new int[] {8, 16, 24, 72, 128}[random.nextInt(5)];
      int labels = new int[] {1, 3, 8, 70}[random.nextInt(4)];
      PairedDataset data = randomData(random, n, labels);
      float[] imageOut = randomOutputs(random, n, bits);
      float[] textOut = randomOutputs(random, n, bits);
      DatasetSplit split = DatasetSplit.random(n, 1 + random.nextInt(n / 3), 1, random.nextLong());
      int[] topK = random.ints(1 + random.nextInt(5), 1, n + 20).toArray();
      for (Direction direction : Direction.values()) {
        float[] qOut = direction == Direction.IQT ? imageOut : textOut;
        float[] dbOut = direction == Direction.IQT ? textOut : imageOut;
        for (Relevance relevance : Relevance.values()) {
          String where = "seed " + seed + ", iteration " + iter + ", " + direction + ", " + relevance + ", n " + n
              + ", bits " + bits + ", labels " + labels;
          RetrievalMetrics actual = RetrievalEvaluation.evaluate(data, relevance, PackedCodes.fromOutputs(qOut, bits),
              split.query(), PackedCodes.fromOutputs(dbOut, bits), split.database(), topK);
          Reference expected = new Reference(data, relevance, codes(qOut, bits), split.query(), codes(dbOut, bits),
              split.database(), topK);
          assertEquals(expected.skipped, actual.skippedQueries(), where);
          assertArrayEquals(expected.ap, actual.averagePrecision(), EPS, where);
          assertEquals(expected.map, actual.map(), EPS, where);
          assertEquals(expected.baseRate, actual.baseRate(), EPS, where);
          assertArrayEquals(expected.topK, actual.topK(), where);
          assertArrayEquals(expected.precisionAtK, actual.precisionAtK(), EPS, where);
          assertArrayEquals(expected.tiesAveraged, actual.precisionAtKTiesAveraged(), EPS, where);
          assertArrayEquals(expected.precision, actual.precisionAtRadius(), EPS, where);
          assertArrayEquals(expected.recall, actual.recallAtRadius(), EPS, where);
          assertArrayEquals(expected.retrieving, actual.queriesRetrievingAtRadius(), where);
        }
      }
    }
  }

  private static PairedDataset randomData(Random random, int n, int labels) {
    float[] rows = new float[n * labels];
    double p = Math.min(0.6, 1.5 / labels);
    for (int i = 0; i < rows.length; i++) {
      rows[i] = random.nextDouble() < p ? 1f : 0f;
    }
    int groups = 1 + random.nextInt(6);
    return PairedDataset.builder("random", n)
        .image(1, new float[n])
        .text(1, new float[n])
        .labels(labels, rows)
        .relevanceGroups(random.ints(n, 0, groups).toArray())
        .build();
  }

  /** Few distinct codes when bits are few, so that ties are common. */
  private static float[] randomOutputs(Random random, int n, int bits) {
    float[] out = new float[n * bits];
    for (int i = 0; i < out.length; i++) {
      out[i] = random.nextInt(7) == 0 ? 0f : (float) random.nextGaussian();
    }
    return out;
  }

  private static List<HashCode> codes(float[] outputs, int bits) {
    List<HashCode> codes = new ArrayList<>();
    for (int i = 0; i < outputs.length / bits; i++) {
      float[] row = new float[bits];
      System.arraycopy(outputs, i * bits, row, 0, bits);
      codes.add(HashCode.fromSigns(row));
    }
    return codes;
  }

  /** The definitions of {@link RetrievalEvaluation}, computed the slow and obvious way. */
  private static final class Reference {
    int skipped;
    double[] ap;
    double map;
    double baseRate;
    int[] topK;
    double[] precisionAtK;
    double[] tiesAveraged;
    double[] precision;
    double[] recall;
    int[] retrieving;

    Reference(PairedDataset data, Relevance relevance, List<HashCode> queryCodes, int[] queries,
        List<HashCode> databaseCodes, int[] database, int[] requestedTopK) {
      int n = database.length;
      int bits = queryCodes.get(0).bits();
      topK = java.util.Arrays.stream(requestedTopK).map(k -> Math.min(k, n)).distinct().sorted().toArray();
      ap = new double[queries.length];
      precisionAtK = new double[topK.length];
      tiesAveraged = new double[topK.length];
      precision = new double[bits + 1];
      recall = new double[bits + 1];
      retrieving = new int[bits + 1];
      int evaluated = 0;
      for (int q = 0; q < queries.length; q++) {
        int query = queries[q];
        List<Integer> ranking = new ArrayList<>();
        for (int item : database) {
          ranking.add(item);
        }
        Comparator<Integer> byDistance = Comparator.comparingInt(i -> queryCodes.get(query).distance(databaseCodes.get(i)));
        ranking.sort(byDistance.thenComparingInt(i -> i));
        boolean[] rel = new boolean[n];
        int relevantCount = 0;
        for (int i = 0; i < n; i++) {
          int item = ranking.get(i);
          rel[i] = relevance == Relevance.S ? data.shareLabel(query, item)
              : data.relevanceGroups()[query] == data.relevanceGroups()[item];
          relevantCount += rel[i] ? 1 : 0;
        }
        if (relevantCount == 0) {
          skipped++;
          ap[q] = Double.NaN;
          continue;
        }
        evaluated++;
        double sum = 0;
        int hits = 0;
        for (int i = 0; i < n; i++) {
          if (rel[i]) {
            hits++;
            sum += hits / (double) (i + 1);
          }
        }
        ap[q] = sum / relevantCount;
        map += ap[q];
        baseRate += relevantCount / (double) n;
        for (int k = 0; k < topK.length; k++) {
          int inTop = 0;
          for (int i = 0; i < topK[k]; i++) {
            inTop += rel[i] ? 1 : 0;
          }
          precisionAtK[k] += inTop / (double) topK[k];
          // over every order of tied items, each item is among the first K with probability 1 when all its ties fit,
          // 0 when K items are closer, else (K − closer) / tied; the expected hits are the relevant items' sum
          double expected = 0;
          for (int i = 0; i < n; i++) {
            int d = queryCodes.get(query).distance(databaseCodes.get(ranking.get(i)));
            int closer = 0;
            int tied = 0;
            for (int j = 0; j < n; j++) {
              int e = queryCodes.get(query).distance(databaseCodes.get(ranking.get(j)));
              closer += e < d ? 1 : 0;
              tied += e == d ? 1 : 0;
            }
            double in = closer + tied <= topK[k] ? 1 : closer >= topK[k] ? 0 : (topK[k] - closer) / (double) tied;
            expected += rel[i] ? in : 0;
          }
          tiesAveraged[k] += expected / topK[k];
        }
        for (int r = 0; r <= bits; r++) {
          int retrieved = 0;
          int relevantRetrieved = 0;
          for (int i = 0; i < n; i++) {
            if (queryCodes.get(query).distance(databaseCodes.get(ranking.get(i))) <= r) {
              retrieved++;
              relevantRetrieved += rel[i] ? 1 : 0;
            }
          }
          if (retrieved > 0) {
            retrieving[r]++;
            precision[r] += relevantRetrieved / (double) retrieved;
          }
          recall[r] += relevantRetrieved / (double) relevantCount;
        }
      }
      map /= evaluated;
      baseRate /= evaluated;
      for (int k = 0; k < topK.length; k++) {
        precisionAtK[k] /= evaluated;
        tiesAveraged[k] /= evaluated;
      }
      for (int r = 0; r <= bits; r++) {
        precision[r] = retrieving[r] == 0 ? Double.NaN : precision[r] / retrieving[r];
        recall[r] /= evaluated;
      }
    }
  }
}
