package org.bicmr.training.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.bicmr.training.eval.Direction;
import org.bicmr.training.eval.EvaluationRun;
import org.bicmr.training.eval.Relevance;

/**
 * The demo's HTML page: the MAP of every method beside the base rate, the example queries with their hits marked
 * relevant or not, and the precision–recall and precision@K plots (linked PNG files written by the evaluation).
 */
public final class HtmlReport {
  private HtmlReport() {}

  /**
   * Writes {@code file}.
   *
   * @param title page title
   * @param facts lines describing the run (data, model, timings)
   * @param runs every evaluation run (one method per name)
   * @param examples the example queries
   * @param plots plot files, linked relative to {@code file}'s directory
   */
  public static void write(Path file, String title, List<String> facts, List<EvaluationRun> runs,
      List<ExampleQuery> examples, List<Path> plots) throws IOException {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(escape(title))
        .append("</title>\n<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}"
            + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px}"
            + "td.num{text-align:right}.yes{color:#080}.no{color:#b00}img{max-width:48%;margin:1%}"
            + "code{background:#f4f4f4}</style></head><body>\n");
    h.append("<h1>").append(escape(title)).append("</h1>\n<ul>");
    for (String fact : facts) {
      h.append("<li>").append(escape(fact)).append("</li>");
    }
    h.append("</ul>\n");
    for (Relevance relevance : Relevance.values()) {
      List<EvaluationRun> rs = runs.stream().filter(r -> r.relevance() == relevance).toList();
      if (rs.isEmpty()) {
        continue;
      }
      h.append("<h2>MAP, relevance ").append(relevance).append(": ").append(escape(relevance.description()))
          .append("</h2>\n<table><tr><th>method</th><th>bits</th><th>IQT (image → text)</th>"
              + "<th>TQI (text → image)</th></tr>\n");
      for (String method : rs.stream().map(EvaluationRun::method).distinct().toList()) {
        h.append("<tr><td>").append(escape(method)).append("</td><td class=num>").append(rs.get(0).bits())
            .append("</td>");
        for (Direction d : Direction.CROSS_MODAL) {
          h.append("<td class=num>").append(rs.stream().filter(r -> r.method().equals(method) && r.direction() == d)
              .map(r -> fmt(r.metrics().map())).findFirst().orElse("–")).append("</td>");
        }
        h.append("</tr>\n");
      }
      h.append("<tr><td>base rate (random ranking)</td><td></td>");
      for (Direction d : Direction.CROSS_MODAL) {
        h.append("<td class=num>").append(rs.stream().filter(r -> r.direction() == d)
            .map(r -> fmt(r.metrics().baseRate())).findFirst().orElse("–")).append("</td>");
      }
      h.append("</tr></table>\n");
    }
    h.append("<h2>Example queries (exported ONNX models + Lucene <code>HammingDistanceQuery</code>)</h2>\n");
    for (ExampleQuery q : examples) {
      h.append("<h3>").append(escape(q.kind())).append(": ").append(escape(q.query()));
      if (q.queryTopic() != null) {
        h.append(" <small>(main topic: ").append(escape(q.queryTopic())).append(")</small>");
      }
      h.append("</h3>\n<table><tr><th>#</th><th>item</th><th>distance</th><th>content</th><th>main topic</th>"
          + "<th>labels</th><th>same main topic (G)</th><th>shares a label (S)</th></tr>\n");
      int rank = 1;
      for (ExampleQuery.Hit hit : q.hits()) {
        h.append("<tr><td class=num>").append(rank++).append("</td><td class=num>").append(hit.item())
            .append("</td><td class=num>").append(hit.distance()).append("</td><td>").append(escape(hit.content()))
            .append("</td><td>").append(escape(hit.mainTopic())).append("</td><td>")
            .append(escape(String.join(", ", hit.labels()))).append("</td>").append(mark(hit.relevantG()))
            .append(mark(hit.relevantS())).append("</tr>\n");
      }
      h.append("</table>\n");
    }
    if (!plots.isEmpty()) {
      h.append("<h2>Precision–recall by Hamming radius, precision@K</h2>\n<p>");
      Path base = file.toAbsolutePath().getParent();
      for (Path plot : plots) {
        String href = base.relativize(plot.toAbsolutePath()).toString().replace('\\', '/');
        h.append("<img src=\"").append(escape(href)).append("\" alt=\"").append(escape(plot.getFileName().toString()))
            .append("\">");
      }
      h.append("</p>\n");
    }
    h.append("</body></html>\n");
    Files.writeString(file, h);
  }

  private static String mark(Boolean relevant) {
    if (relevant == null) {
      return "<td>–</td>";
    }
    return relevant ? "<td class=yes>yes</td>" : "<td class=no>no</td>";
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
