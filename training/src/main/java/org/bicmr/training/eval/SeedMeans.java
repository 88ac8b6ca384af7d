package org.bicmr.training.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The runs of one setting repeated with several training seeds, summarised: for each dataset, method, code length,
 * direction and relevance, the MAP's mean and sample standard deviation over the seeds, and one run whose curves are
 * the seeds' means (for plots). Runs of one setting must share their split (the same queries and database), as an
 * experiment's cells do: only the training seed differs.
 */
public final class SeedMeans {
  private SeedMeans() {}

  /** The setting a run belongs to, without its seed. */
  public record Setting(String dataset, String method, int bits, Direction direction, Relevance relevance) {
    static Setting of(EvaluationRun run) {
      return new Setting(run.dataset(), run.method(), run.bits(), run.direction(), run.relevance());
    }
  }

  /**
   * One setting over its seeds.
   *
   * @param setting what was run
   * @param seeds how many runs (seeds) it has
   * @param meanMap the mean of their MAPs
   * @param sdMap the sample standard deviation of their MAPs (NaN for a single seed)
   * @param mean a run with the seeds' mean numbers and curves
   */
  public record Mean(Setting setting, int seeds, double meanMap, double sdMap, EvaluationRun mean) {}

  /**
   * The means of {@code runs}, in the order the runs first name each setting.
   *
   * @throws IllegalArgumentException if the runs of one setting have different splits (queries or database size)
   */
  public static List<Mean> of(List<EvaluationRun> runs) {
    Objects.requireNonNull(runs, "runs");
    Map<Setting, List<EvaluationRun>> bySetting = new LinkedHashMap<>();
    for (EvaluationRun run : runs) {
      bySetting.computeIfAbsent(Setting.of(run), s -> new ArrayList<>()).add(run);
    }
    List<Mean> means = new ArrayList<>();
    bySetting.forEach((setting, group) -> means.add(mean(setting, group)));
    return means;
  }

  private static Mean mean(Setting setting, List<EvaluationRun> group) {
    EvaluationRun first = group.get(0);
    for (EvaluationRun run : group) {
      RetrievalMetrics m = run.metrics();
      if (run.splitSeed() != first.splitSeed() || m.databaseSize() != first.metrics().databaseSize()
          || Arrays.equals(m.queryItems(), first.metrics().queryItems()) == false
          || Arrays.equals(m.topK(), first.metrics().topK()) == false) {
        throw new IllegalArgumentException(setting + ": runs with different splits (split seeds " + first.splitSeed()
            + " and " + run.splitSeed() + "); expected the seeds of one setting to share the queries and database");
      }
    }
    double[] maps = group.stream().mapToDouble(r -> r.metrics().map()).toArray();
    double meanMap = mean(maps);
    double sd = Double.NaN;
    if (maps.length > 1) {
      double squares = 0;
      for (double v : maps) {
        squares += (v - meanMap) * (v - meanMap);
      }
      sd = Math.sqrt(squares / (maps.length - 1));
    }
    return new Mean(setting, group.size(), meanMap, sd, meanRun(group));
  }

  private static EvaluationRun meanRun(List<EvaluationRun> group) {
    EvaluationRun first = group.get(0);
    RetrievalMetrics f = first.metrics();
    int radii = f.bits() + 1;
    double[] precisionAtRadius = new double[radii];
    double[] recallAtRadius = new double[radii];
    int[] retrieving = new int[radii];
    double[] meanRetrieved = new double[radii];
    for (int r = 0; r < radii; r++) {
      final int radius = r;
      precisionAtRadius[r] = nanMean(group.stream().mapToDouble(g -> g.metrics().precisionAtRadius()[radius])
          .toArray());
      recallAtRadius[r] = mean(group.stream().mapToDouble(g -> g.metrics().recallAtRadius()[radius]).toArray());
      retrieving[r] = (int) Math.round(mean(group.stream()
          .mapToDouble(g -> g.metrics().queriesRetrievingAtRadius()[radius]).toArray()));
      meanRetrieved[r] = mean(group.stream().mapToDouble(g -> g.metrics().meanRetrievedAtRadius()[radius])
          .toArray());
    }
    double[] precisionAtK = nanMeanPerK(group, RetrievalMetrics::precisionAtK);
    double[] tiesAveraged = group.stream().allMatch(g -> g.metrics().precisionAtKTiesAveraged() != null)
        ? nanMeanPerK(group, RetrievalMetrics::precisionAtKTiesAveraged) : null;
    double[] ap = new double[f.queries()];
    for (int q = 0; q < ap.length; q++) {
      final int query = q;
      ap[q] = mean(group.stream().mapToDouble(g -> g.metrics().averagePrecision()[query]).toArray());
    }
    RetrievalMetrics m = new RetrievalMetrics(f.bits(), f.databaseSize(), f.queries(), f.evaluatedQueries(),
        f.skippedQueries(), mean(group.stream().mapToDouble(g -> g.metrics().map()).toArray()),
        mean(group.stream().mapToDouble(g -> g.metrics().baseRate()).toArray()),
        mean(group.stream().mapToDouble(g -> g.metrics().randomRankingMap()).toArray()), precisionAtRadius,
        recallAtRadius, retrieving, meanRetrieved, f.requestedTopK(), f.topK(), precisionAtK, f.queryItems(), ap,
        tiesAveraged);
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("seeds", Integer.toString(group.size()));
    settings.put("summary", "mean over the seeds");
    return new EvaluationRun(first.dataset(), first.method(), first.bits(), first.direction(), first.relevance(),
        first.splitSeed(), settings, m);
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  /** Entry by entry, the mean over the group's runs of one per-K array of their metrics, NaNs left out. */
  private static double[] nanMeanPerK(List<EvaluationRun> group, Function<RetrievalMetrics, double[]> perK) {
    double[] means = new double[group.get(0).metrics().topK().length];
    for (int i = 0; i < means.length; i++) {
      final int k = i;
      means[i] = nanMean(group.stream().mapToDouble(g -> perK.apply(g.metrics())[k]).toArray());
    }
    return means;
  }

  /** The mean of the defined values; NaN when none is. */
  private static double nanMean(double[] values) {
    double sum = 0;
    int n = 0;
    for (double v : values) {
      if (Double.isNaN(v) == false) {
        sum += v;
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }
}
