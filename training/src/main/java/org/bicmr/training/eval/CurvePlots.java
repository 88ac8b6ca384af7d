package org.bicmr.training.eval;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * PNG plots of the paper's Figures 3 and 4 with XChart: for each dataset, relevance, direction and code length, a
 * precision–recall curve over the Hamming radii 0..l (radii where no query retrieves anything have no precision and no
 * point) and a precision@K curve (K on a log axis), one curve per method. Files are named
 * {@code pr-<dataset>-<relevance>-<direction>-<bits>bit.png} and {@code topk-...png}, the dataset name reduced to
 * {@code [A-Za-z0-9._-]}. A plot in which no run has a defined point (no evaluated query) is not written. Runs headless: sets {@code java.awt.headless=true} unless the property is already set.
 */
public final class CurvePlots {
  /** Width of every plot, in pixels. */
  public static final int WIDTH = 800;
  /** Height of every plot, in pixels. */
  public static final int HEIGHT = 600;

  private CurvePlots() {}

  private record Group(String dataset, Relevance relevance, Direction direction, int bits) {
    String title(String what) {
      return String.format(Locale.ROOT, "%s: %s, %s (%s to %s), %d bits, relevance %s", what, dataset, direction,
          direction.queryModality(), direction.databaseModality(), bits, relevance);
    }

    String fileName(String prefix) {
      return String.format(Locale.ROOT, "%s-%s-%s-%s-%dbit.png", prefix, dataset.replaceAll("[^A-Za-z0-9._-]", "_"),
          relevance, direction, bits);
    }
  }

  /**
   * Writes the plots of {@code runs} into {@code directory} (created if missing), replacing files of the same name.
   *
   * @return the files written: two per group of runs, less any plot without a single defined point
   * @throws IllegalArgumentException if a method appears twice in one group
   */
  public static List<Path> write(Path directory, List<EvaluationRun> runs) throws IOException {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(runs, "runs");
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    Files.createDirectories(directory);
    Map<Group, List<EvaluationRun>> groups = runs.stream().collect(Collectors.groupingBy(
        r -> new Group(r.dataset(), r.relevance(), r.direction(), r.bits()), LinkedHashMap::new, Collectors.toList()));
    List<Path> written = new ArrayList<>();
    for (Map.Entry<Group, List<EvaluationRun>> e : groups.entrySet()) {
      Group group = e.getKey();
      checkDistinctMethods(group, e.getValue());
      save(precisionRecall(group, e.getValue()), directory.resolve(group.fileName("pr")), written);
      save(precisionAtK(group, e.getValue()), directory.resolve(group.fileName("topk")), written);
    }
    return written;
  }

  private static void checkDistinctMethods(Group group, List<EvaluationRun> runs) {
    Set<String> seen = new HashSet<>();
    for (EvaluationRun run : runs) {
      if (seen.add(run.method()) == false) {
        throw new IllegalArgumentException("two runs of method " + run.method() + " in the plot of " + group
            + "; expected one curve per method");
      }
    }
  }

  private static XYChart precisionRecall(Group group, List<EvaluationRun> runs) {
    XYChart chart = chart(group.title("Precision-recall (radius 0.." + group.bits() + ")"), "Recall", "Precision");
    chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0);
    for (EvaluationRun run : runs) {
      RetrievalMetrics m = run.metrics();
      List<Double> recall = new ArrayList<>();
      List<Double> precision = new ArrayList<>();
      for (int r = 0; r <= m.bits(); r++) {
        if (Double.isNaN(m.precisionAtRadius()[r]) == false && Double.isNaN(m.recallAtRadius()[r]) == false) {
          recall.add(m.recallAtRadius()[r]);
          precision.add(m.precisionAtRadius()[r]);
        }
      }
      if (recall.isEmpty() == false) {
        chart.addSeries(run.method(), recall, precision);
      }
    }
    return chart;
  }

  private static XYChart precisionAtK(Group group, List<EvaluationRun> runs) {
    XYChart chart = chart(group.title("Precision@K"), "K (items retrieved, log scale)", "Precision@K");
    chart.getStyler().setXAxisLogarithmic(true);
    for (EvaluationRun run : runs) {
      RetrievalMetrics m = run.metrics();
      List<Double> k = new ArrayList<>();
      List<Double> precision = new ArrayList<>();
      for (int i = 0; i < m.topK().length; i++) {
        if (Double.isNaN(m.precisionAtK()[i]) == false) {
          k.add((double) m.topK()[i]);
          precision.add(m.precisionAtK()[i]);
        }
      }
      if (k.isEmpty() == false) {
        chart.addSeries(run.method(), k, precision);
      }
    }
    return chart;
  }

  private static XYChart chart(String title, String xTitle, String yTitle) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
        .yAxisTitle(yTitle).build();
    chart.getStyler()
        .setYAxisMin(0.0)
        .setYAxisMax(1.0)
        .setLegendPosition(Styler.LegendPosition.OutsideE)
        .setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(13f));
    return chart;
  }

  private static void save(XYChart chart, Path file, List<Path> written) throws IOException {
    if (chart.getSeriesMap().isEmpty()) {
      return; // no run has a defined point (no evaluated query): nothing to draw
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
    }
    written.add(file);
  }
}
