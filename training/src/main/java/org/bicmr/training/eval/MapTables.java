package org.bicmr.training.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * MAP tables in Markdown, shaped like the paper's Tables 2–3: one table per dataset and relevance; a row per method (in
 * the order the runs first name them); a column per direction (IQT, then TQI) and code length (ascending), e.g.
 * "IQT 16 bit"; MAP to four decimals, the best of each column in bold when it is above the column's base rate, "-"
 * where a method has no run. A last row gives
 * each column's base rate (the MAP of a random ranking, as a range when the runs of a column disagree), and a line
 * under the table the queries, skipped queries, database size and split seeds the numbers come from.
 */
public final class MapTables {
  private MapTables() {}

  /** Writes {@link #markdown} of {@code runs} to {@code file} (UTF-8), replacing it. */
  public static void write(Path file, List<EvaluationRun> runs) throws IOException {
    Objects.requireNonNull(file, "file");
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, markdown(runs), StandardCharsets.UTF_8);
  }

  /**
   * The tables of {@code runs}.
   *
   * @throws IllegalArgumentException if two runs fill the same cell (same dataset, relevance, method, direction and
   *     code length)
   */
  public static String markdown(List<EvaluationRun> runs) {
    Objects.requireNonNull(runs, "runs");
    StringBuilder out = new StringBuilder();
    Map<String, List<EvaluationRun>> byTable = runs.stream().collect(Collectors.groupingBy(
        r -> r.dataset() + '\u0000' + r.relevance(), LinkedHashMap::new, Collectors.toList()));
    for (String dataset : runs.stream().map(EvaluationRun::dataset).distinct().toList()) {
      for (Relevance relevance : Relevance.values()) {
        List<EvaluationRun> table = byTable.get(dataset + '\u0000' + relevance);
        if (table != null) {
          if (out.length() > 0) {
            out.append('\n');
          }
          table(out, dataset, relevance, table);
        }
      }
    }
    return out.toString();
  }

  private record Column(Direction direction, int bits) {
    String header() {
      return direction + " " + bits + " bit";
    }
  }

  private record Cell(String method, Column column) {}

  private static void table(StringBuilder out, String dataset, Relevance relevance, List<EvaluationRun> runs) {
    List<String> methods = runs.stream().map(EvaluationRun::method).distinct().toList();
    TreeSet<Integer> bits = runs.stream().map(EvaluationRun::bits).collect(Collectors.toCollection(TreeSet::new));
    List<Column> columns = new ArrayList<>();
    for (Direction direction : Direction.values()) {
      if (runs.stream().anyMatch(r -> r.direction() == direction)) {
        bits.forEach(b -> columns.add(new Column(direction, b)));
      }
    }
    Map<Cell, EvaluationRun> cells = new LinkedHashMap<>();
    for (EvaluationRun run : runs) {
      EvaluationRun previous = cells.put(new Cell(run.method(), new Column(run.direction(), run.bits())), run);
      if (previous != null) {
        throw new IllegalArgumentException("two runs of " + run.method() + ", " + run.direction() + ", " + run.bits()
            + " bits under relevance " + relevance + " on dataset \"" + dataset + "\" (split seeds " + previous.splitSeed()
            + " and " + run.splitSeed() + "); expected one run per table cell");
      }
    }

    out.append("### MAP on ").append(dataset).append(", relevance ").append(relevance).append(" (")
        .append(relevance.description()).append(")\n\n");
    out.append("| Methods |");
    columns.forEach(c -> out.append(' ').append(c.header()).append(" |"));
    out.append("\n| --- |");
    columns.forEach(c -> out.append(" ---: |"));
    out.append('\n');
    for (String method : methods) {
      out.append("| ").append(method.replace("|", "\\|")).append(" |");
      for (Column column : columns) {
        EvaluationRun run = cells.get(new Cell(method, column));
        double best = runs.stream().filter(r -> column.equals(new Column(r.direction(), r.bits())))
            .mapToDouble(r -> r.metrics().map()).filter(v -> Double.isNaN(v) == false).max().orElse(Double.NaN);
        if (run == null) {
          out.append(" - |");
        } else if (run.metrics().map() == best && run.metrics().map() > run.metrics().baseRate()
            && run.metrics().map() > run.metrics().randomRankingMap()) {
          out.append(" **").append(number(run.metrics().map())).append("** |");
        } else {
          out.append(' ').append(number(run.metrics().map())).append(" |");
        }
      }
      out.append('\n');
    }
    out.append("| base rate (random ranking) |");
    for (Column column : columns) {
      double[] rates = runs.stream().filter(r -> column.equals(new Column(r.direction(), r.bits())))
          .mapToDouble(r -> r.metrics().baseRate()).filter(v -> Double.isNaN(v) == false).toArray();
      double low = Arrays.stream(rates).min().orElse(Double.NaN);
      double high = Arrays.stream(rates).max().orElse(Double.NaN);
      out.append(' ').append(number(low).equals(number(high)) ? number(low) : number(low) + "–" + number(high))
          .append(" |");
    }
    out.append("\n\n");
    out.append("MAP over the queries with at least one relevant database item; queries: ")
        .append(distinct(runs, r -> r.metrics().queries()))
        .append(", skipped (no relevant item): ").append(distinct(runs, r -> r.metrics().skippedQueries()))
        .append("; database: ").append(distinct(runs, r -> r.metrics().databaseSize()))
        .append(" items; split seed: ").append(distinct(runs, EvaluationRun::splitSeed)).append(".\n");
  }

  private static String distinct(List<EvaluationRun> runs, Function<EvaluationRun, Object> value) {
    return runs.stream().map(value).map(String::valueOf).distinct().collect(Collectors.joining(", "));
  }

  private static String number(double value) {
    return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.4f", value);
  }
}
