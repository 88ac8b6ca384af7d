package org.bicmr.training.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Means and standard deviations over seeds against hand-computed values; curves averaged where defined. */
class SeedMeansTest {

  private static EvaluationRun run(String method, double map, long seed) {
    return new EvaluationRun("d", method, 8, Direction.IQT, Relevance.S, 42, Map.of("seed", Long.toString(seed)),
        SampleRuns.metrics(8, map, 0.25));
  }

  @Test
  void meanAndSampleStandardDeviationByHand() {
    List<SeedMeans.Mean> means = SeedMeans.of(List.of(run("A", 0.5, 1), run("B", 0.9, 1), run("A", 0.6, 2),
        run("A", 0.7, 3)));
    assertEquals(2, means.size());
    SeedMeans.Mean a = means.get(0);
    assertEquals("A", a.setting().method());
    assertEquals(3, a.seeds());
    assertEquals(0.6, a.meanMap(), 1e-12);
    // deviations -0.1, 0, 0.1: sum of squares 0.02, over n - 1 = 2 -> variance 0.01
    assertEquals(0.1, a.sdMap(), 1e-12);
    assertEquals(0.6, a.mean().metrics().map(), 1e-12);
    assertEquals(0.25, a.mean().metrics().baseRate(), 1e-12);
    SeedMeans.Mean b = means.get(1);
    assertEquals(1, b.seeds());
    assertTrue(Double.isNaN(b.sdMap()), "one seed has no standard deviation");
  }

  @Test
  void curvesAreAveragedOverTheSeedsThatDefineThem() {
    double nan = Double.NaN;
    RetrievalMetrics one = metrics(new double[] {nan, 0.4, 0.2}, new double[] {0.0, 0.5, 1.0}, new double[] {0.3, 0.1});
    RetrievalMetrics two = metrics(new double[] {nan, 0.6, 0.4}, new double[] {0.0, 0.7, 1.0}, new double[] {nan, 0.3});
    RetrievalMetrics three = metrics(new double[] {0.9, 0.8, 0.6}, new double[] {0.1, 0.9, 1.0},
        new double[] {0.6, 0.5});
    List<EvaluationRun> runs = List.of(run(one, 1), run(two, 2), run(three, 3));
    RetrievalMetrics mean = SeedMeans.of(runs).get(0).mean().metrics();
    assertArrayEquals(new double[] {0.9, 0.6, 0.4}, mean.precisionAtRadius(), 1e-12); // radius 0: seed 3 only
    assertArrayEquals(new double[] {0.1 / 3, 0.7, 1.0}, mean.recallAtRadius(), 1e-12);
    assertArrayEquals(new double[] {0.45, 0.3}, mean.precisionAtK(), 1e-12);
  }

  private static RetrievalMetrics metrics(double[] precision, double[] recall, double[] atK) {
    return new RetrievalMetrics(2, 10, 2, 2, 0, 0.5, 0.3, 0.3, precision, recall, new int[3], new double[3],
        new int[] {1, 5}, new int[] {1, 5}, atK, new int[] {4, 7}, new double[] {0.5, 0.5}, atK);
  }

  private static EvaluationRun run(RetrievalMetrics metrics, long seed) {
    return new EvaluationRun("d", "A", 2, Direction.TQI, Relevance.G, 42, Map.of("seed", Long.toString(seed)),
        metrics);
  }

  @Test
  void seedsOfOneSettingMustShareTheSplit() {
    EvaluationRun other = new EvaluationRun("d", "A", 8, Direction.IQT, Relevance.S, 7, Map.of(),
        SampleRuns.metrics(8, 0.5, 0.25));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SeedMeans.of(List.of(run("A", 0.5, 1), other)));
    assertTrue(e.getMessage().contains("split seeds 42 and 7"), e.getMessage());
  }
}
