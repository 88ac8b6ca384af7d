package org.bicmr.training.eval;

import java.util.Objects;

/**
 * The numbers of one retrieval evaluation (see {@link RetrievalEvaluation} for the exact definitions). Every mean is
 * over the evaluated queries, those with at least one relevant database item; the others are counted in
 * {@code skippedQueries} and have a NaN average precision. Arrays are shared, do not modify them.
 *
 * @param bits the code length l
 * @param databaseSize the number of database items n
 * @param queries the number of queries
 * @param evaluatedQueries queries with at least one relevant database item
 * @param skippedQueries queries without a relevant database item
 * @param map mean average precision over the evaluated queries (NaN when there are none)
 * @param baseRate mean over the evaluated queries of (relevant database items) / n
 * @param randomRankingMap the exact expected MAP of a uniformly random ranking of the same queries
 * @param precisionAtRadius index r = 0..l: mean precision of the items within Hamming distance ≤ r, over the
 *     evaluated queries that retrieve at least one item at r (NaN when none does)
 * @param recallAtRadius index r = 0..l: mean recall of the items within distance ≤ r over all evaluated queries (a
 *     query that retrieves nothing has recall 0)
 * @param queriesRetrievingAtRadius index r = 0..l: evaluated queries with at least one item within distance ≤ r
 * @param meanRetrievedAtRadius index r = 0..l: mean number of items within distance ≤ r over the evaluated queries
 * @param requestedTopK the K values asked for
 * @param topK the K values evaluated: the requested ones capped at n, ascending, without repeats
 * @param precisionAtK for each of {@code topK}: mean over the evaluated queries of (relevant items among the first K
 *     of the ranking) / K
 * @param queryItems the dataset index of each query, in the order given
 * @param averagePrecision each query's average precision (NaN when it was skipped)
 * @param precisionAtKTiesAveraged for each of {@code topK}: the same precision expected over every order of the items
 *     tied at a Hamming distance (instead of item order), which no accident of item order can move; null in reports
 *     written before it existed
 */
public record RetrievalMetrics(
    int bits,
    int databaseSize,
    int queries,
    int evaluatedQueries,
    int skippedQueries,
    double map,
    double baseRate,
    double randomRankingMap,
    double[] precisionAtRadius,
    double[] recallAtRadius,
    int[] queriesRetrievingAtRadius,
    double[] meanRetrievedAtRadius,
    int[] requestedTopK,
    int[] topK,
    double[] precisionAtK,
    int[] queryItems,
    double[] averagePrecision,
    double[] precisionAtKTiesAveraged) {

  /** Checks that the arrays fit together (also when read back from JSON). */
  public RetrievalMetrics {
    Objects.requireNonNull(precisionAtRadius, "precisionAtRadius");
    Objects.requireNonNull(recallAtRadius, "recallAtRadius");
    Objects.requireNonNull(queriesRetrievingAtRadius, "queriesRetrievingAtRadius");
    Objects.requireNonNull(meanRetrievedAtRadius, "meanRetrievedAtRadius");
    Objects.requireNonNull(requestedTopK, "requestedTopK");
    Objects.requireNonNull(topK, "topK");
    Objects.requireNonNull(precisionAtK, "precisionAtK");
    Objects.requireNonNull(queryItems, "queryItems");
    Objects.requireNonNull(averagePrecision, "averagePrecision");
    if (evaluatedQueries + skippedQueries != queries) {
      throw new IllegalArgumentException("evaluated (" + evaluatedQueries + ") + skipped (" + skippedQueries
          + ") queries must equal the queries, " + queries);
    }
    checkLength("precisionAtRadius", precisionAtRadius.length, bits + 1);
    checkLength("recallAtRadius", recallAtRadius.length, bits + 1);
    checkLength("queriesRetrievingAtRadius", queriesRetrievingAtRadius.length, bits + 1);
    checkLength("meanRetrievedAtRadius", meanRetrievedAtRadius.length, bits + 1);
    checkLength("precisionAtK", precisionAtK.length, topK.length);
    checkLength("queryItems", queryItems.length, queries);
    checkLength("averagePrecision", averagePrecision.length, queries);
    if (precisionAtKTiesAveraged != null) {
      checkLength("precisionAtKTiesAveraged", precisionAtKTiesAveraged.length, topK.length);
    }
  }

  private static void checkLength(String what, int length, int expected) {
    if (length != expected) {
      throw new IllegalArgumentException(what + " has " + length + " values, expected " + expected);
    }
  }
}
