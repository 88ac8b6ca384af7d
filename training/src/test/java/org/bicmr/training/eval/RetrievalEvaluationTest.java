package org.bicmr.training.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bicmr.training.data.PairedDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every expected number here is worked out by hand from the ranking written in the comments. */
class RetrievalEvaluationTest {
  private static final double EPS = 1e-12;

  /*
   * 9 items, labels A/B/C, 8-bit codes. Queries 0 (A, all-ones code), 1 (C, all-zeros code), 2 (no label: skipped).
   * Database 3..8; "off" = bits cleared from all-ones = distance to query 0; distance to query 1 = 8 - off.
   *   item  labels off  d(q1)
   *   3     A      2    6
   *   4     B      0    8
   *   5     B      2    6
   *   6     AB     1    7
   *   7     AC     2    6
   *   8     BC     8    0
   * Query 0 (relevant 3, 6, 7), ranking by (distance, item): 4(0) 6(1) 3(2) 5(2) 7(2) 8(8) -> relevance 0 1 1 0 1 0,
   *   AP = (1/2 + 2/3 + 3/5) / 3.  (Breaking the tie at distance 2 as 3, 7, 5 instead would give (1/2 + 2/3 + 3/4) / 3.)
   * Query 1 (relevant 7, 8), ranking: 8(0) 3(6) 5(6) 7(6) 6(7) 4(8) -> 1 0 0 1 0 0, AP = (1/1 + 2/4) / 2 = 3/4.
   */
  private static final PairedDataset DATA = TinyData.labelled("A", "C", "", "A", "B", "B", "AB", "AC", "BC");
  private static final PackedCodes IMAGE = TinyData.offBits(8, 0, 8, 0, 0, 0, 0, 0, 0, 0);
  private static final PackedCodes TEXT = TinyData.offBits(8, 0, 0, 0, 2, 0, 2, 1, 2, 8);
  private static final double AP0 = (1.0 / 2 + 2.0 / 3 + 3.0 / 5) / 3;
  private static final double AP1 = 3.0 / 4;

  @Test
  void handExampleMapSkippedQueriesAndBaseRate() {
    RetrievalMetrics m = RetrievalEvaluation.evaluate(DATA, Relevance.S, IMAGE, new int[] {0, 1, 2}, TEXT,
        new int[] {8, 5, 3, 7, 4, 6}, new int[] {1, 2, 5, 10});
    assertEquals(8, m.bits());
    assertEquals(6, m.databaseSize());
    assertEquals(3, m.queries());
    assertEquals(2, m.evaluatedQueries());
    assertEquals(1, m.skippedQueries());
    assertEquals(AP0, m.averagePrecision()[0], EPS);
    assertEquals(AP1, m.averagePrecision()[1], EPS);
    assertTrue(Double.isNaN(m.averagePrecision()[2]), "a skipped query has no AP");
    assertEquals((AP0 + AP1) / 2, m.map(), EPS);
    assertEquals((3.0 / 6 + 2.0 / 6) / 2, m.baseRate(), EPS);
    // E[AP] of a random ranking, n = 6, H_6 = 2.45: R = 3 -> (2.45 + 2 * 3.55 / 5) / 6, R = 2 -> (2.45 + 3.55 / 5) / 6
    assertEquals((3.87 / 6 + 3.16 / 6) / 2, m.randomRankingMap(), 1e-9);
    assertArrayEquals(new int[] {0, 1, 2}, m.queryItems());
  }

  @Test
  void handExampleTopKPrecision() {
    RetrievalMetrics m = RetrievalEvaluation.evaluate(DATA, Relevance.S, IMAGE, new int[] {0, 1, 2}, TEXT,
        new int[] {3, 4, 5, 6, 7, 8}, new int[] {10, 1, 5, 2, 6});
    // K = 10 is capped at the 6 database items and then equals K = 6
    assertArrayEquals(new int[] {10, 1, 5, 2, 6}, m.requestedTopK());
    assertArrayEquals(new int[] {1, 2, 5, 6}, m.topK());
    // query 0: 0 1 1 0 1 0 -> P@1 0, P@2 1/2, P@5 3/5, P@6 1/2; query 1: 1 0 0 1 0 0 -> 1, 1/2, 2/5, 1/3
    assertArrayEquals(new double[] {0.5, 0.5, 0.5, (0.5 + 1.0 / 3) / 2}, m.precisionAtK(), EPS);
  }

  @Test
  void handExamplePrecisionRecallByRadius() {
    RetrievalMetrics m = RetrievalEvaluation.evaluate(DATA, Relevance.S, IMAGE, new int[] {0, 1, 2}, TEXT,
        new int[] {3, 4, 5, 6, 7, 8});
    // query 0 within r: r0 {4}: p 0, rc 0 | r1 {4,6}: 1/2, 1/3 | r2..7 five items: 3/5, 1 | r8 all: 1/2, 1
    // query 1 within r: r0..5 {8}: 1, 1/2 | r6 {8,3,5,7}: 1/2, 1 | r7 five: 2/5, 1 | r8 all: 1/3, 1
    double[] precision = {0.5, 0.75, 0.8, 0.8, 0.8, 0.8, 0.55, 0.5, 5.0 / 12};
    double[] recall = {0.25, 5.0 / 12, 0.75, 0.75, 0.75, 0.75, 1, 1, 1};
    double[] retrieved = {1, 1.5, 3, 3, 3, 3, 4.5, 5, 6};
    assertArrayEquals(precision, m.precisionAtRadius(), EPS);
    assertArrayEquals(recall, m.recallAtRadius(), EPS);
    assertArrayEquals(retrieved, m.meanRetrievedAtRadius(), EPS);
    assertArrayEquals(new int[] {2, 2, 2, 2, 2, 2, 2, 2, 2}, m.queriesRetrievingAtRadius());
    assertEquals(m.baseRate(), m.precisionAtRadius()[8], EPS, "at r = l everything is retrieved");
  }

  @Test
  void handExampleTopKPrecisionOverEveryOrderOfTies() {
    // query 0: 4(0) 6(1), then 3 5 7 tied at 2 (two of them relevant): the first 3 hold 1 + 1 · 2/3 relevant items
    // expected, the first 4 hold 1 + 2 · 2/3; query 1: 8(0), then 3 5 7 tied at 6 (one relevant): 1 + 2 · 1/3 and
    // 1 + 3 · 1/3. By item order instead: 2/3 and 2/4 for query 0, 1/3 and 2/4 for query 1.
    RetrievalMetrics m = RetrievalEvaluation.evaluate(DATA, Relevance.S, IMAGE, new int[] {0, 1, 2}, TEXT,
        new int[] {3, 4, 5, 6, 7, 8}, new int[] {3, 4});
    assertArrayEquals(new double[] {(2.0 / 3 + 1.0 / 3) / 2, (2.0 / 4 + 2.0 / 4) / 2}, m.precisionAtK(), EPS);
    assertArrayEquals(new double[] {(5.0 / 9 + 5.0 / 9) / 2, (7.0 / 12 + 2.0 / 4) / 2}, m.precisionAtKTiesAveraged(),
        EPS);
  }

  @Test
  void tiesAreBrokenByItemIndexWhateverTheOrderOfTheDatabaseArray() {
    RetrievalMetrics sorted = RetrievalEvaluation.evaluate(DATA, Relevance.S, IMAGE, new int[] {0}, TEXT,
        new int[] {3, 4, 5, 6, 7, 8});
    RetrievalMetrics shuffled = RetrievalEvaluation.evaluate(DATA, Relevance.S, IMAGE, new int[] {0}, TEXT,
        new int[] {7, 8, 5, 4, 6, 3});
    assertEquals(AP0, sorted.map(), EPS);
    assertEquals(AP0, shuffled.map(), EPS);
  }

  @Test
  void queryThatRetrievesNothingAtSmallRadiiHasNoPrecisionThereButRecallZero() {
    // queries 0 (all ones) and 1 (all zeros), both label A; database 2 (A, off 8), 3 (none, off 6), 4 (A, off 7)
    // query 0: distances 8, 6, 7 -> r0..5 nothing | r6 {3}: p 0, rc 0 | r7 {3,4}: 1/2, 1/2 | r8 all: 2/3, 1
    // query 1: distances 0, 2, 1 -> r0 {2}: 1, 1/2 | r1 {2,4}: 1, 1 | r2..8 all: 2/3, 1
    PairedDataset data = TinyData.labelled("A", "A", "A", "", "A");
    PackedCodes image = TinyData.offBits(8, 0, 8, 0, 0, 0);
    PackedCodes text = TinyData.offBits(8, 0, 0, 8, 6, 7);
    RetrievalMetrics both = RetrievalEvaluation.evaluate(data, Relevance.S, image, new int[] {0, 1}, text,
        new int[] {2, 3, 4});
    double t = 2.0 / 3;
    assertArrayEquals(new double[] {1, 1, t, t, t, t, t / 2, (0.5 + t) / 2, t}, both.precisionAtRadius(), EPS);
    assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 2, 2, 2}, both.queriesRetrievingAtRadius());
    assertArrayEquals(new double[] {0.25, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.75, 1}, both.recallAtRadius(), EPS);

    RetrievalMetrics alone = RetrievalEvaluation.evaluate(data, Relevance.S, image, new int[] {0}, text,
        new int[] {2, 3, 4});
    for (int r = 0; r <= 5; r++) {
      assertTrue(Double.isNaN(alone.precisionAtRadius()[r]), "no query retrieves anything at radius " + r);
      assertEquals(0, alone.queriesRetrievingAtRadius()[r]);
      assertEquals(0.0, alone.recallAtRadius()[r]);
    }
    assertArrayEquals(new double[] {0, 0.5, t}, new double[] {alone.precisionAtRadius()[6],
        alone.precisionAtRadius()[7], alone.precisionAtRadius()[8]}, EPS);
  }

  @Test
  void allRelevantGivesOne() {
    PairedDataset data = TinyData.labelled("A", "A", "AB", "A", "AC");
    PackedCodes image = TinyData.offBits(8, 3, 0, 0, 0, 0);
    PackedCodes text = TinyData.offBits(8, 0, 5, 0, 8, 3);
    RetrievalMetrics m = RetrievalEvaluation.evaluate(data, Relevance.S, image, new int[] {0}, text,
        new int[] {1, 2, 3, 4}, new int[] {1, 3});
    assertEquals(1.0, m.map(), EPS);
    assertEquals(1.0, m.baseRate(), EPS);
    assertEquals(1.0, m.randomRankingMap(), EPS);
    assertArrayEquals(new double[] {1, 1}, m.precisionAtK(), EPS);
    for (int r = 0; r <= 8; r++) {
      double p = m.precisionAtRadius()[r];
      assertTrue(Double.isNaN(p) || p == 1.0, "precision at radius " + r + " is " + p);
    }
  }

  @Test
  void singleRelevantItemRankedLastByTheTieOnItemIndex() {
    // every database item at distance 3; the relevant one, 5, has the largest index -> ranks 5th of 5
    PairedDataset data = TinyData.labelled("A", "B", "B", "B", "B", "A");
    PackedCodes image = TinyData.offBits(8, 0, 0, 0, 0, 0, 0);
    PackedCodes text = TinyData.offBits(8, 0, 3, 3, 3, 3, 3);
    RetrievalMetrics m = RetrievalEvaluation.evaluate(data, Relevance.S, image, new int[] {0}, text,
        new int[] {1, 2, 3, 4, 5}, new int[] {1, 4, 5});
    assertEquals(1.0 / 5, m.map(), EPS);
    assertArrayEquals(new double[] {0, 0, 1.0 / 5}, m.precisionAtK(), EPS);
    assertEquals(1.0 / 5, m.baseRate(), EPS);
  }

  @Test
  void singleRelevantItemRankedLastByDistance() {
    PairedDataset data = TinyData.labelled("A", "A", "B", "B", "B", "B");
    PackedCodes image = TinyData.offBits(8, 0, 0, 0, 0, 0, 0);
    PackedCodes text = TinyData.offBits(8, 0, 8, 0, 1, 0, 7);
    RetrievalMetrics m = RetrievalEvaluation.evaluate(data, Relevance.S, image, new int[] {0}, text,
        new int[] {1, 2, 3, 4, 5});
    assertEquals(1.0 / 5, m.map(), EPS);
  }

  @Test
  void noQueryWithARelevantItemIsReportedNotHidden() {
    PairedDataset data = TinyData.labelled("A", "B", "C", "");
    PackedCodes codes = TinyData.offBits(8, 0, 1, 2, 3);
    RetrievalMetrics m = RetrievalEvaluation.evaluate(data, Relevance.S, codes, new int[] {0, 3}, codes,
        new int[] {1, 2});
    assertEquals(0, m.evaluatedQueries());
    assertEquals(2, m.skippedQueries());
    assertTrue(Double.isNaN(m.map()));
    assertTrue(Double.isNaN(m.baseRate()));
  }

  @Test
  void relevanceGFollowsTheGroupsNotTheLabels() {
    // all items share label A (S: everything relevant); groups: query 0 in 7; database 1..4 in 7, 1, 7, 1
    // distances 3, 0, 1, 2 -> ranking 2(g1) 3(g7) 4(g1) 1(g7) -> 0 1 0 1, AP = (1/2 + 2/4) / 2 = 1/2
    PairedDataset data = TinyData.grouped(new int[] {7, 7, 1, 7, 1}, "A", "A", "A", "A", "A");
    PackedCodes image = TinyData.offBits(8, 0, 0, 0, 0, 0);
    PackedCodes text = TinyData.offBits(8, 0, 3, 0, 1, 2);
    int[] db = {1, 2, 3, 4};
    assertEquals(0.5, RetrievalEvaluation.evaluate(data, Relevance.G, image, new int[] {0}, text, db).map(), EPS);
    assertEquals(1.0, RetrievalEvaluation.evaluate(data, Relevance.S, image, new int[] {0}, text, db).map(), EPS);
    assertEquals(List.of(Relevance.S, Relevance.G), Relevance.available(data));
    assertEquals(List.of(Relevance.S), Relevance.available(DATA));
  }

  @Test
  void directionPicksTheModalities() {
    assertEquals(IMAGE, Direction.IQT.queryCodes(IMAGE, TEXT));
    assertEquals(TEXT, Direction.IQT.databaseCodes(IMAGE, TEXT));
    assertEquals(TEXT, Direction.TQI.queryCodes(IMAGE, TEXT));
    assertEquals(IMAGE, Direction.TQI.databaseCodes(IMAGE, TEXT));
  }

  @Test
  void badArgumentsNameTheValue() {
    int[] q = {0, 1};
    int[] db = {3, 4, 5};
    PackedCodes text16 = TinyData.offBits(16, 0, 0, 0, 2, 0, 2, 1, 2, 8);
    assertMessage("8-bit codes with 16-bit codes",
        () -> RetrievalEvaluation.evaluate(DATA, Relevance.S, IMAGE, q, text16, db));
    assertMessage("expected at least one query item, got none",
        () -> RetrievalEvaluation.evaluate(DATA, Relevance.S, IMAGE, new int[0], TEXT, db));
    assertMessage("expected at least one database item, got none",
        () -> RetrievalEvaluation.evaluate(DATA, Relevance.S, IMAGE, q, TEXT, new int[0]));
    assertMessage("K must be at least 1, got 0",
        () -> RetrievalEvaluation.evaluate(DATA, Relevance.S, IMAGE, q, TEXT, db, new int[] {1, 0}));
    assertMessage("K must be at least 1, got -3",
        () -> RetrievalEvaluation.evaluate(DATA, Relevance.S, IMAGE, q, TEXT, db, new int[] {-3}));
    assertMessage("expected one code per item of dataset \"tiny\" (9), got 3",
        () -> RetrievalEvaluation.evaluate(DATA, Relevance.S, IMAGE, q, TinyData.offBits(8, 0, 1, 2), db));
    assertMessage("queries[1] is 9, expected an item index between 0 and 8",
        () -> RetrievalEvaluation.evaluate(DATA, Relevance.S, IMAGE, new int[] {0, 9}, TEXT, db));
    assertMessage("item 4 appears more than once",
        () -> RetrievalEvaluation.evaluate(DATA, Relevance.S, IMAGE, q, TEXT, new int[] {4, 3, 4}));
    assertMessage("relevance G needs relevance judgements, but dataset \"tiny\" has none",
        () -> RetrievalEvaluation.evaluate(DATA, Relevance.G, IMAGE, q, TEXT, db));
  }

  private static void assertMessage(String expected, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(expected), "message \"" + e.getMessage() + "\" should contain \"" + expected + "\"");
  }
}
