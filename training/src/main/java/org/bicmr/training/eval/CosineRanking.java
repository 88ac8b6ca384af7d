package org.bicmr.training.eval;

import java.util.Arrays;
import java.util.Objects;
import org.bicmr.training.data.PairedDataset;

/**
 * MAP of a real-valued ranking: the database by descending cosine similarity of the hash nets' outputs before the
 * sign (ties by ascending item index), each query's average precision as {@link RetrievalEvaluation} defines it. The
 * ceiling of what the codes could keep of the nets' ranking: the Hamming ranking of their signs is compared with it.
 */
public final class CosineRanking {
  /** The key of an evaluation run's settings that holds this ranking's MAP beside the Hamming ranking's. */
  public static final String SETTING = "real_valued_map";

  private CosineRanking() {}

  /**
   * The MAP of ranking {@code database} for each of {@code queries} by cosine similarity.
   *
   * @param queryOutputs one row per dataset item, {@code dim} wide, in the query modality
   * @param databaseOutputs one row per dataset item in the database modality
   */
  public static double map(PairedDataset data, Relevance relevance, float[] queryOutputs, float[] databaseOutputs,
      int dim, int[] queries, int[] database) {
    Objects.requireNonNull(data, "data");
    if (queryOutputs.length != data.size() * dim || databaseOutputs.length != data.size() * dim) {
      throw new IllegalArgumentException("outputs: expected " + data.size() + " rows of " + dim + " values");
    }
    int[] items = database.clone();
    Arrays.sort(items);
    float[] db = new float[items.length * dim];
    for (int j = 0; j < items.length; j++) {
      System.arraycopy(databaseOutputs, items[j] * dim, db, j * dim, dim);
      normalize(db, j * dim, dim);
    }
    RelevanceJudge judge = relevance.judge(data);
    boolean[] relevant = new boolean[items.length];
    double[] score = new double[items.length];
    Integer[] order = new Integer[items.length];
    float[] q = new float[dim];
    double sum = 0;
    int evaluated = 0;
    for (int query : queries) {
      int r = judge.judge(query, items, relevant);
      if (r == 0) {
        continue;
      }
      System.arraycopy(queryOutputs, query * dim, q, 0, dim);
      normalize(q, 0, dim);
      for (int j = 0; j < items.length; j++) {
        double dot = 0;
        for (int d = 0; d < dim; d++) {
          dot += q[d] * db[j * dim + d];
        }
        score[j] = dot;
        order[j] = j;
      }
      Arrays.sort(order, (a, b) -> score[a] != score[b] ? Double.compare(score[b], score[a]) : Integer.compare(a, b));
      int hits = 0;
      double ap = 0;
      for (int rank = 0; rank < items.length && hits < r; rank++) {
        if (relevant[order[rank]]) {
          hits++;
          ap += (double) hits / (rank + 1);
        }
      }
      sum += ap / r;
      evaluated++;
    }
    return sum / evaluated;
  }

  private static void normalize(float[] v, int from, int dim) {
    double norm = 0;
    for (int d = from; d < from + dim; d++) {
      norm += (double) v[d] * v[d];
    }
    float inv = (float) (1 / Math.sqrt(Math.max(norm, 1e-24)));
    for (int d = from; d < from + dim; d++) {
      v[d] *= inv;
    }
  }
}
