package org.bicmr.training.eval;

import java.util.Arrays;
import java.util.Objects;
import org.bicmr.training.data.PairedDataset;

/**
 * Exact Hamming-ranking evaluation of query codes against database codes (DESIGN §6, the paper's MAP,
 * precision–recall and top-K precision).
 *
 * <p>Codes are indexed by dataset item: row {@code i} of the query codes is item {@code i}'s code in the query modality
 * (e.g. its image code for IQT), row {@code i} of the database codes its code in the other modality, so both hold
 * {@code data.size()} codes; {@code queries} and {@code database} are item indices, e.g. {@code split.query()} and
 * {@code split.database()}.
 *
 * <p>Definitions, for a query with R relevant items among the n database items:
 * <ul>
 *   <li><b>Ranking</b>: the whole database by ascending Hamming distance, ties by ascending item index (a counting
 *       sort over distances 0..l).
 *   <li><b>AP</b> = (1/R) Σ precision@i over the ranks i of the relevant items. A query with R = 0 is skipped: it is
 *       counted, and left out of every mean below. <b>MAP</b> = the mean AP of the other ("evaluated") queries.
 *   <li><b>Base rate</b> = mean of R/n; and the exact expected MAP of a uniformly random ranking (see
 *       {@link RandomRanking}), which tends to the base rate as n grows.
 *   <li><b>Precision–recall at radius r</b> (r = 0..l), on the set of items within distance ≤ r of the query:
 *       recall = (relevant items in it) / R, averaged over all evaluated queries, so a query that retrieves nothing
 *       counts with recall 0; precision = (relevant items in it) / (its size), averaged over the evaluated queries whose
 *       set is non-empty — a query that retrieves nothing has no precision and is left out of that mean (the count of
 *       queries that retrieve something is reported per radius). When no query retrieves anything at r the precision
 *       is NaN. At r = l every item is retrieved: precision is the base rate and recall is 1.
 *   <li><b>Precision@K</b> = (relevant items among the first K of the ranking, ties broken as above) / K, averaged over
 *       the evaluated queries; K values above n are capped at n, and repeats removed. Beside it the same precision
 *       expected over every order of tied items: with c items closer than the distance d at which the K-th item
 *       lies, h of them relevant, and m items at d of which ρ relevant, (h + (K − c) ρ / m) / K.
 * </ul>
 *
 * <p>The cost is O(queries × n × ⌈l/64⌉) with a few passes over preallocated arrays per query; nothing is allocated per
 * query or per database item.
 */
public final class RetrievalEvaluation {
  private static final int[] DEFAULT_TOP_K = {1, 5, 10, 20, 50, 100, 200, 500, 1000};

  private RetrievalEvaluation() {}

  /** The default K list of precision@K: 1, 5, 10, 20, 50, 100, 200, 500, 1000. */
  public static int[] defaultTopK() {
    return DEFAULT_TOP_K.clone();
  }

  /** {@link #evaluate(PairedDataset, Relevance, PackedCodes, int[], PackedCodes, int[], int[])} with the default K list. */
  public static RetrievalMetrics evaluate(PairedDataset data, Relevance relevance, PackedCodes queryCodes, int[] queries,
      PackedCodes databaseCodes, int[] database) {
    return evaluate(data, relevance, queryCodes, queries, databaseCodes, database, DEFAULT_TOP_K);
  }

  /**
   * Ranks the database for every query and measures it.
   *
   * @param data the items, whose labels (S) or relevance groups (G) decide relevance
   * @param queryCodes one code per dataset item, in the query modality
   * @param queries the query items (dataset indices)
   * @param databaseCodes one code per dataset item, in the database modality
   * @param database the database items (dataset indices, no repeats)
   * @param topK the K values of precision@K, each ≥ 1
   * @throws IllegalArgumentException if the code lengths differ, the query or database set is empty, the codes do not
   *     cover the dataset, an index is out of range, a database item repeats, a K is below 1, or relevance is G on a
   *     dataset without judgements
   */
  public static RetrievalMetrics evaluate(PairedDataset data, Relevance relevance, PackedCodes queryCodes, int[] queries,
      PackedCodes databaseCodes, int[] database, int[] topK) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(relevance, "relevance");
    Objects.requireNonNull(queryCodes, "queryCodes");
    Objects.requireNonNull(queries, "queries");
    Objects.requireNonNull(databaseCodes, "databaseCodes");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(topK, "topK");
    queryCodes.checkSameBits(databaseCodes);
    checkCovers("query", queryCodes, data);
    checkCovers("database", databaseCodes, data);
    if (queries.length == 0) {
      throw new IllegalArgumentException("queries: expected at least one query item, got none");
    }
    if (database.length == 0) {
      throw new IllegalArgumentException("database: expected at least one database item, got none");
    }
    checkItems("queries", queries, data.size());
    int[] items = database.clone();
    Arrays.sort(items); // position order = item order, so the counting sort breaks ties by item index
    checkItems("database", items, data.size());
    for (int j = 1; j < items.length; j++) {
      if (items[j] == items[j - 1]) {
        throw new IllegalArgumentException("database: item " + items[j] + " appears more than once; expected distinct items");
      }
    }
    int[] ks = effectiveTopK(topK, items.length);
    RelevanceJudge judge = relevance.judge(data);
    return new Run(judge, queryCodes, databaseCodes.gather(items), items, ks).evaluate(queries, topK.clone());
  }

  private static void checkCovers(String side, PackedCodes codes, PairedDataset data) {
    if (codes.size() != data.size()) {
      throw new IllegalArgumentException(side + " codes: expected one code per item of dataset \"" + data.name() + "\" ("
          + data.size() + "), got " + codes.size());
    }
  }

  private static void checkItems(String what, int[] items, int size) {
    for (int i = 0; i < items.length; i++) {
      if (items[i] < 0 || items[i] >= size) {
        throw new IllegalArgumentException(what + "[" + i + "] is " + items[i] + ", expected an item index between 0 and "
            + (size - 1));
      }
    }
  }

  /** The K values capped at {@code n}, ascending, distinct. */
  static int[] effectiveTopK(int[] topK, int n) {
    for (int k : topK) {
      if (k < 1) {
        throw new IllegalArgumentException("top-K: K must be at least 1, got " + k);
      }
    }
    return Arrays.stream(topK).map(k -> Math.min(k, n)).sorted().distinct().toArray();
  }

  /** One evaluation: the database gathered in item order and the per-query buffers, reused for every query. */
  private static final class Run {
    private final RelevanceJudge judge;
    private final PackedCodes queryCodes;
    private final long[] databaseWords;
    private final int[] items;
    private final int[] ks;
    private final int bits;
    private final int w;
    private final int n;
    private final RandomRanking random;

    private final boolean[] relevant;
    private final int[] distance;
    private final boolean[] rankedRelevant;
    private final int[] count;
    private final int[] relevantCount;
    private final int[] next;
    private final long[] query;

    private final double[] precisionSum;
    private final double[] recallSum;
    private final double[] retrievedSum;
    private final int[] retrieving;
    private final double[] precisionAtKSum;
    private final double[] tiesAveragedSum;

    Run(RelevanceJudge judge, PackedCodes queryCodes, long[] databaseWords, int[] items, int[] ks) {
      this.judge = judge;
      this.queryCodes = queryCodes;
      this.databaseWords = databaseWords;
      this.items = items;
      this.ks = ks;
      this.bits = queryCodes.bits();
      this.w = queryCodes.wordsPerCode();
      this.n = items.length;
      this.random = new RandomRanking(n);
      this.relevant = new boolean[n];
      this.distance = new int[n];
      this.rankedRelevant = new boolean[n];
      this.count = new int[bits + 1];
      this.relevantCount = new int[bits + 1];
      this.next = new int[bits + 1];
      this.query = new long[w];
      this.precisionSum = new double[bits + 1];
      this.recallSum = new double[bits + 1];
      this.retrievedSum = new double[bits + 1];
      this.retrieving = new int[bits + 1];
      this.precisionAtKSum = new double[ks.length];
      this.tiesAveragedSum = new double[ks.length];
    }

    RetrievalMetrics evaluate(int[] queries, int[] requestedTopK) {
      double[] averagePrecision = new double[queries.length];
      double apSum = 0;
      double baseRateSum = 0;
      double randomSum = 0;
      int evaluated = 0;
      for (int q = 0; q < queries.length; q++) {
        int r = judge.judge(queries[q], items, relevant);
        if (r == 0) {
          averagePrecision[q] = Double.NaN;
          continue;
        }
        evaluated++;
        distances(queries[q]);
        tiesAveragedTopK();
        radiusCurves(r);
        rank();
        averagePrecision[q] = averagePrecisionAndTopK(r);
        apSum += averagePrecision[q];
        baseRateSum += (double) r / n;
        randomSum += random.expectedAveragePrecision(r);
      }
      double[] precision = new double[bits + 1];
      double[] recall = new double[bits + 1];
      double[] retrieved = new double[bits + 1];
      for (int d = 0; d <= bits; d++) {
        precision[d] = retrieving[d] == 0 ? Double.NaN : precisionSum[d] / retrieving[d];
        recall[d] = recallSum[d] / evaluated;
        retrieved[d] = retrievedSum[d] / evaluated;
      }
      double[] precisionAtK = new double[ks.length];
      double[] tiesAveraged = new double[ks.length];
      for (int k = 0; k < ks.length; k++) {
        precisionAtK[k] = precisionAtKSum[k] / evaluated;
        tiesAveraged[k] = tiesAveragedSum[k] / evaluated;
      }
      return new RetrievalMetrics(bits, n, queries.length, evaluated, queries.length - evaluated, apSum / evaluated,
          baseRateSum / evaluated, randomSum / evaluated, precision, recall, retrieving.clone(), retrieved,
          requestedTopK, ks.clone(), precisionAtK, queries.clone(), averagePrecision, tiesAveraged);
    }

    /** Adds this query's precision@K expected over every order of tied items, from the distance histograms. */
    private void tiesAveragedTopK() {
      int closer = 0;
      int hits = 0;
      int k = 0;
      for (int d = 0; d <= bits && k < ks.length; d++) {
        while (k < ks.length && closer + count[d] >= ks[k]) {
          tiesAveragedSum[k] += (hits + (double) (ks[k] - closer) * relevantCount[d] / count[d]) / ks[k];
          k++;
        }
        closer += count[d];
        hits += relevantCount[d];
      }
    }

    /** Fills {@code distance} and the per-distance histograms of all and of relevant items. */
    private void distances(int queryItem) {
      Arrays.fill(count, 0);
      Arrays.fill(relevantCount, 0);
      if (w == 1) {
        long q = queryCodes.word(queryItem, 0);
        for (int j = 0; j < n; j++) {
          int d = Long.bitCount(q ^ databaseWords[j]);
          distance[j] = d;
          count[d]++;
          relevantCount[d] += relevant[j] ? 1 : 0;
        }
        return;
      }
      for (int k = 0; k < w; k++) {
        query[k] = queryCodes.word(queryItem, k);
      }
      for (int j = 0, base = 0; j < n; j++, base += w) {
        int d = 0;
        for (int k = 0; k < w; k++) {
          d += Long.bitCount(query[k] ^ databaseWords[base + k]);
        }
        distance[j] = d;
        count[d]++;
        relevantCount[d] += relevant[j] ? 1 : 0;
      }
    }

    /** Adds this query to the radius sums and turns {@code next} into each distance's first rank. */
    private void radiusCurves(int relevantItems) {
      int retrieved = 0;
      int hits = 0;
      for (int d = 0; d <= bits; d++) {
        next[d] = retrieved;
        retrieved += count[d];
        hits += relevantCount[d];
        if (retrieved > 0) {
          precisionSum[d] += (double) hits / retrieved;
          retrieving[d]++;
        }
        recallSum[d] += (double) hits / relevantItems;
        retrievedSum[d] += retrieved;
      }
    }

    /** Counting sort: item order within a distance is database order, i.e. ascending item index. */
    private void rank() {
      for (int j = 0; j < n; j++) {
        rankedRelevant[next[distance[j]]++] = relevant[j];
      }
    }

    private double averagePrecisionAndTopK(int relevantItems) {
      double sum = 0;
      int hits = 0;
      int k = 0;
      for (int i = 0; i < n; i++) {
        if (rankedRelevant[i]) {
          hits++;
          sum += (double) hits / (i + 1);
        }
        if (k < ks.length && ks[k] == i + 1) {
          precisionAtKSum[k] += (double) hits / ks[k];
          k++;
        }
        if (hits == relevantItems && k == ks.length) {
          break;
        }
      }
      for (; k < ks.length; k++) { // every relevant item is ranked above the remaining Ks
        precisionAtKSum[k] += (double) hits / ks[k];
      }
      return sum / relevantItems;
    }
  }
}
