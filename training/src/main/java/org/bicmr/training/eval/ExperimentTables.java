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
 *   <li>Table 4: per dataset, the ablations (Bi-CMR1–5 of a variant, and named variations such as "Bi-CMR [−pairs]")
 *       beside the full models at their code length, a column per relevance and direction;
 *   <li>selected against last epoch: at the longest code, each method's MAP with the epoch model selection chose
 *       (on a validation split of the training items) beside its last epoch's;
 *   <li>code health: per method and code length, the mean number of near-constant bits of the image and text codes
 *       and of distinct codes ({@link CodeHealth}).
 * </ul>
 * A method named "Bi-CMR" followed by a digit, or by a name in brackets, is an ablation: it appears in Table 4 only;
 * a method ending in {@link #LAST_EPOCH} is a last epoch and appears in the selected-against-last table only. The best
 * mean of a column is bold only when it is above the column's base rate. A cell without runs is "-".
 */
public final class ExperimentTables {
  /** What a method's name gains for the runs of its last epoch, where model selection kept another. */
  public static final String LAST_EPOCH = ", last epoch";
  private static final Pattern ABLATION = Pattern.compile("Bi-CMR(\\d+.*| \\[.*\\].*)");

  private ExperimentTables() {}

  /** Whether {@code method} names one of Bi-CMR's ablations (Bi-CMR1, Bi-CMR2 (paper), Bi-CMR [−pairs], ...). */
  public static boolean isAblation(String method) {
    return ABLATION.matcher(method).matches() && isLastEpoch(method) == false;
  }

  /** Whether {@code method} names the last epoch of a method whose selected epoch was another. */
  public static boolean isLastEpoch(String method) {
    return method.endsWith(LAST_EPOCH);
  }

  /** The tables of {@code means} (without the code-health table). */
  public static String markdown(List<SeedMeans.Mean> means) {
    return markdown(means, List.of());
  }

  /** The tables of {@code means}, and the code health of {@code runs} (their settings' {@link CodeHealth} keys). */
  public static String markdown(List<SeedMeans.Mean> means, List<EvaluationRun> runs) {
    Objects.requireNonNull(means, "means");
    StringBuilder out = new StringBuilder();
    for (String dataset : means.stream().map(m -> m.setting().dataset()).distinct().toList()) {
      List<SeedMeans.Mean> ofDataset = means.stream().filter(m -> m.setting().dataset().equals(dataset)).toList();
      List<SeedMeans.Mean> main = ofDataset.stream().filter(m -> isAblation(m.setting().method()) == false
          && isLastEpoch(m.setting().method()) == false).toList();
      for (Relevance relevance : List.of(Relevance.G, Relevance.S)) {
        List<SeedMeans.Mean> table = main.stream().filter(m -> m.setting().relevance() == relevance).toList();
        if (table.isEmpty() == false) {
          tableTwo(out, dataset, relevance, table);
        }
      }
      tableThree(out, dataset, main);
      tableFour(out, dataset, ofDataset.stream().filter(m -> isLastEpoch(m.setting().method()) == false).toList());
      lastEpochs(out, dataset, ofDataset);
      realValued(out, dataset, runs.stream().filter(r -> r.dataset().equals(dataset)
          && r.settings().containsKey(CosineRanking.SETTING)).toList());
      codeHealth(out, dataset, runs.stream().filter(r -> r.dataset().equals(dataset)
          && isLastEpoch(r.method()) == false).toList());
    }
    return out.toString();
  }

  private static void lastEpochs(StringBuilder out, String dataset, List<SeedMeans.Mean> means) {
    List<SeedMeans.Mean> last = means.stream().filter(m -> isLastEpoch(m.setting().method())).toList();
    if (last.isEmpty()) {
      return;
    }
    int bits = last.stream().mapToInt(m -> m.setting().bits()).max().getAsInt();
    List<SeedMeans.Mean> table = means.stream().filter(m -> m.setting().bits() == bits).toList();
    List<String> methods = new ArrayList<>();
    for (String lastName : methods(last.stream().filter(m -> m.setting().bits() == bits).toList())) {
      methods.add(lastName.substring(0, lastName.length() - LAST_EPOCH.length()));
      methods.add(lastName);
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
    heading(out, "Selected against last epoch on " + dataset + " (" + bits + " bits; the epoch chosen on a "
        + "validation split of the training items, and the last)", table);
    table(out, methods, columns, table, false);
  }

  /** Hamming MAP beside the real-valued ranking's (the cosine of the outputs before the sign), means over seeds. */
  private static void realValued(StringBuilder out, String dataset, List<EvaluationRun> runs) {
    if (runs.isEmpty()) {
      return;
    }
    record Key(String method, int bits, Direction direction, Relevance relevance) {}
    java.util.Map<Key, double[]> sums = new java.util.LinkedHashMap<>(); // hamming, real, count
    for (EvaluationRun r : runs) {
      double[] s = sums.computeIfAbsent(new Key(r.method(), r.bits(), r.direction(), r.relevance()),
          k -> new double[3]);
      s[0] += r.metrics().map();
      s[1] += Double.parseDouble(r.settings().get(CosineRanking.SETTING));
      s[2]++;
    }
    out.append("### Codes against the real-valued ranking on ").append(dataset).append("\n\nMAP of the Hamming "
        + "ranking of the codes, of the cosine ranking of the nets' outputs before the sign, and their ratio (means "
        + "over the seeds).\n\n| Methods | bits | direction | relevance | Hamming | real-valued | ratio |\n"
        + "| --- | ---: | --- | --- | ---: | ---: | ---: |\n");
    sums.forEach((k, s) -> out.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %.4f | %.4f | %.1f%% |%n",
        escape(k.method()), k.bits(), k.direction(), k.relevance(), s[0] / s[2], s[1] / s[2], 100 * s[0] / s[1])));
    out.append('\n');
  }

  private static void codeHealth(StringBuilder out, String dataset, List<EvaluationRun> runs) {
    record Key(String method, int bits) {}
    java.util.Map<Key, List<EvaluationRun>> byModel = new java.util.LinkedHashMap<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (EvaluationRun r : runs) {
      if (r.settings().containsKey(CodeHealth.IMAGE_KEY) == false) {
        continue;
      }
      // one entry per trained model (its runs in every direction and relevance share the codes)
      if (seen.add(r.method() + '\u0000' + r.bits() + '\u0000' + r.settings().getOrDefault("model", "")
          + '\u0000' + r.settings().getOrDefault("seed", ""))) {
        byModel.computeIfAbsent(new Key(r.method(), r.bits()), k -> new ArrayList<>()).add(r);
      }
    }
    if (byModel.isEmpty()) {
      return;
    }
    out.append("### Code health on ").append(dataset).append("\n\nNear-constant bits (fewer than ")
        .append(Math.round(CodeHealth.NEAR_CONSTANT * 100)).append("% of all items differ from the bit's majority) "
            + "and distinct codes over every item, the mean over the trained models (seeds).\n\n")
        .append("| Methods | bits | models | near-constant image bits | near-constant text bits | distinct image codes "
            + "| distinct text codes |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    byModel.forEach((key, models) -> out.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %s | %s | %s |%n",
        escape(key.method()), key.bits(), models.size(), average(models, CodeHealth.IMAGE_KEY),
        average(models, CodeHealth.TEXT_KEY), average(models, "distinct_codes_image"),
        average(models, "distinct_codes_text"))));
    out.append('\n');
  }

  private static String average(List<EvaluationRun> runs, String key) {
    double mean = runs.stream().mapToDouble(r -> Double.parseDouble(r.settings().getOrDefault(key, "NaN")))
        .average().orElse(Double.NaN);
    return Double.isNaN(mean) ? "-" : mean == Math.rint(mean) ? String.format(Locale.ROOT, "%,d", (long) mean)
        : String.format(Locale.ROOT, "%,.1f", mean);
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
          && m.setting().method().startsWith("Bi-CMR")).toList();
      List<String> methods = new ArrayList<>(methods(table).stream().filter(ExperimentTables::isAblation)
          .sorted().toList());
      methods.addAll(methods(table).stream().filter(m -> isAblation(m) == false).toList());
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
        boolean strong = bold && m != null && m.meanMap() == best && m.meanMap() > m.mean().metrics().randomRankingMap()
            && m.meanMap() > m.mean().metrics().baseRate();
        out.append(' ').append(strong ? "**" + text + "**" : text).append(" |");
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
