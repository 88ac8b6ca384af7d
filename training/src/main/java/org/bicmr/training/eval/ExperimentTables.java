package org.bicmr.training.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * An experiment's MAP tables in Markdown, each number the mean ± sample standard deviation over the training seeds,
 * in the layouts of the paper's tables:
 * <ul>
 *   <li>Table 2: per dataset and relevance (G first, as the paper's), a row per method and a column per direction and
 *       code length, the best mean of a column in bold, the base rate in the last row;
 *   <li>Table 3: per dataset, at the longest code, a column pair (IQT, TQI) per method and a row per relevance (S, G);
 *   <li>Table 4: per dataset, the ablations Bi-CMR1–5 beside full Bi-CMR at their code length, a column per relevance
 *       and direction.
 * </ul>
 * A method named "Bi-CMR" followed by a digit is an ablation: it appears in Table 4 only. A cell without runs is "-".
 */
public final class ExperimentTables {
  private static final Pattern ABLATION = Pattern.compile("Bi-CMR\\d+");

  private ExperimentTables() {}

  /** Whether {@code method} names one of Bi-CMR's ablations (Bi-CMR1, Bi-CMR2, ...). */
  public static boolean isAblation(String method) {
    return ABLATION.matcher(method).matches();
  }

  /** The tables of {@code means}. */
  public static String markdown(List<SeedMeans.Mean> means) {
    Objects.requireNonNull(means, "means");
    StringBuilder out = new StringBuilder();
    for (String dataset : means.stream().map(m -> m.setting().dataset()).distinct().toList()) {
      List<SeedMeans.Mean> ofDataset = means.stream().filter(m -> m.setting().dataset().equals(dataset)).toList();
      List<SeedMeans.Mean> main = ofDataset.stream().filter(m -> isAblation(m.setting().method()) == false).toList();
      for (Relevance relevance : List.of(Relevance.G, Relevance.S)) {
        List<SeedMeans.Mean> table = main.stream().filter(m -> m.setting().relevance() == relevance).toList();
        if (table.isEmpty() == false) {
          tableTwo(out, dataset, relevance, table);
        }
      }
      tableThree(out, dataset, main);
      tableFour(out, dataset, ofDataset);
    }
    return out.toString();
  }

  private record Column(String header, Predicate<SeedMeans.Setting> matches) {}

  private static void tableTwo(StringBuilder out, String dataset, Relevance relevance, List<SeedMeans.Mean> means) {
    List<Column> columns = new ArrayList<>();
    TreeSet<Integer> bits = new TreeSet<>(means.stream().map(m -> m.setting().bits()).toList());
    for (Direction direction : Direction.values()) {
      if (means.stream().anyMatch(m -> m.setting().direction() == direction)) {
        for (int b : bits) {
          if (means.stream().anyMatch(m -> m.setting().direction() == direction && m.setting().bits() == b)) {
            columns.add(new Column(direction + " " + b + " bit",
                s -> s.direction() == direction && s.bits() == b));
          }
        }
      }
    }
    heading(out, "Table 2 layout: MAP on " + dataset + ", relevance " + relevance + " (" + relevance.description()
        + ")", means);
    table(out, methods(means), columns, means, true);
  }

  private static void tableThree(StringBuilder out, String dataset, List<SeedMeans.Mean> means) {
    if (means.isEmpty()) {
      return;
    }
    int bits = means.stream().mapToInt(m -> m.setting().bits()).max().getAsInt();
    List<SeedMeans.Mean> atBits = means.stream().filter(m -> m.setting().bits() == bits
        && Direction.CROSS_MODAL.contains(m.setting().direction())).toList();
    if (atBits.stream().map(m -> m.setting().relevance()).distinct().count() < 2) {
      return; // the table compares S with G
    }
    heading(out, "Table 3 layout: MAP on " + dataset + " under S and G (" + bits + " bits)", atBits);
    List<String> methods = methods(atBits);
    int most = atBits.stream().mapToInt(SeedMeans.Mean::seeds).max().orElse(0);
    out.append("| relevance |");
    for (String method : methods) {
      for (Direction d : Direction.CROSS_MODAL) {
        out.append(' ').append(escape(method)).append(' ').append(d).append(" |");
      }
    }
    out.append("\n| --- |").append(" ---: |".repeat(methods.size() * 2)).append('\n');
    for (Relevance relevance : List.of(Relevance.S, Relevance.G)) {
      out.append("| ").append(relevance).append(" |");
      for (String method : methods) {
        for (Direction d : Direction.CROSS_MODAL) {
          out.append(' ').append(cell(find(atBits, s -> s.method().equals(method) && s.direction() == d
              && s.relevance() == relevance), most)).append(" |");
        }
      }
      out.append('\n');
    }
    out.append('\n');
  }

  private static void tableFour(StringBuilder out, String dataset, List<SeedMeans.Mean> means) {
    List<SeedMeans.Mean> ablations = means.stream().filter(m -> isAblation(m.setting().method())).toList();
    if (ablations.isEmpty()) {
      return;
    }
    TreeSet<Integer> bits = new TreeSet<>(ablations.stream().map(m -> m.setting().bits()).toList());
    for (int b : bits) {
      List<SeedMeans.Mean> table = means.stream().filter(m -> m.setting().bits() == b
          && (isAblation(m.setting().method()) || m.setting().method().equals("Bi-CMR"))).toList();
      List<String> methods = new ArrayList<>(methods(table).stream().filter(ExperimentTables::isAblation)
          .sorted().toList());
      if (table.stream().anyMatch(m -> m.setting().method().equals("Bi-CMR"))) {
        methods.add("Bi-CMR");
      }
      List<Column> columns = new ArrayList<>();
      for (Relevance relevance : List.of(Relevance.G, Relevance.S)) {
        for (Direction direction : Direction.values()) {
          if (table.stream().anyMatch(m -> m.setting().relevance() == relevance
              && m.setting().direction() == direction)) {
            columns.add(new Column(direction + " " + relevance,
                s -> s.relevance() == relevance && s.direction() == direction));
          }
        }
      }
      heading(out, "Table 4 layout: ablations on " + dataset + " (" + b + " bits)", table);
      table(out, methods, columns, table, false);
    }
  }

  private static void heading(StringBuilder out, String title, List<SeedMeans.Mean> means) {
    TreeSet<Integer> seeds = new TreeSet<>(means.stream().map(SeedMeans.Mean::seeds).toList());
    out.append("### ").append(title).append("\n\nMean ± standard deviation over ")
        .append(seeds.size() == 1 ? seeds.first() + " seed" + (seeds.first() == 1 ? "" : "s")
            : seeds.first() + "–" + seeds.last() + " seeds (the count beside a cell with fewer)")
        .append(".\n\n");
  }

  private static void table(StringBuilder out, List<String> methods, List<Column> columns,
      List<SeedMeans.Mean> means, boolean bold) {
    int most = means.stream().mapToInt(SeedMeans.Mean::seeds).max().orElse(0);
    out.append("| Methods |");
    columns.forEach(c -> out.append(' ').append(c.header()).append(" |"));
    out.append("\n| --- |").append(" ---: |".repeat(columns.size())).append('\n');
    for (String method : methods) {
      out.append("| ").append(escape(method)).append(" |");
      for (Column column : columns) {
        SeedMeans.Mean m = find(means, s -> s.method().equals(method) && column.matches().test(s));
        double best = means.stream().filter(x -> column.matches().test(x.setting()))
            .mapToDouble(SeedMeans.Mean::meanMap).filter(v -> Double.isNaN(v) == false).max().orElse(Double.NaN);
        String text = cell(m, most);
        out.append(' ').append(bold && m != null && m.meanMap() == best ? "**" + text + "**" : text).append(" |");
      }
      out.append('\n');
    }
    out.append("| base rate (random ranking) |");
    for (Column column : columns) {
      double[] rates = means.stream().filter(x -> column.matches().test(x.setting()))
          .mapToDouble(x -> x.mean().metrics().baseRate()).filter(v -> Double.isNaN(v) == false).toArray();
      double low = java.util.Arrays.stream(rates).min().orElse(Double.NaN);
      double high = java.util.Arrays.stream(rates).max().orElse(Double.NaN);
      out.append(' ').append(number(low).equals(number(high)) ? number(low) : number(low) + "–" + number(high))
          .append(" |");
    }
    out.append("\n\n");
  }

  private static List<String> methods(List<SeedMeans.Mean> means) {
    return means.stream().map(m -> m.setting().method()).distinct().toList();
  }

  private static SeedMeans.Mean find(List<SeedMeans.Mean> means, Predicate<SeedMeans.Setting> matches) {
    SeedMeans.Mean found = null;
    for (SeedMeans.Mean m : means) {
      if (matches.test(m.setting())) {
        if (found != null) {
          throw new IllegalArgumentException("two summaries fill one table cell: " + found.setting() + " and "
              + m.setting());
        }
        found = m;
      }
    }
    return found;
  }

  /** "mean ± sd", with the number of seeds when it is fewer than {@code most}; "-" without runs. */
  private static String cell(SeedMeans.Mean m, int most) {
    if (m == null) {
      return "-";
    }
    String text = Double.isNaN(m.sdMap()) ? number(m.meanMap()) : number(m.meanMap()) + " ± " + number(m.sdMap());
    return m.seeds() < most ? text + " (" + m.seeds() + ")" : text;
  }

  private static String number(double value) {
    return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.4f", value);
  }

  private static String escape(String method) {
    return method.replace("|", "\\|");
  }
}
