package org.bicmr.training.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo page escapes what it shows and links the plots relative to itself. */
class HtmlReportTest {

  @Test
  void escapesTextAndLinksPlotsRelatively(@TempDir Path tmp) throws Exception {
    assertEquals("a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#39;", HtmlReport.escape("a <b> & \"c\" 'd'"));
    Path plot = tmp.resolve("report/plots/pr.png");
    Files.createDirectories(plot.getParent());
    Files.write(plot, new byte[] {1});
    ExampleQuery q = new ExampleQuery("text → image", "\"<script>\"", null, List.of(
        new ExampleQuery.Hit(7, 3, "image of item 7", "sunset", List.of("sea", "sunset"), null, null),
        new ExampleQuery.Hit(9, 4, "image of item 9", "dog", List.of("dog"), true, false)));
    Path page = tmp.resolve("report.html");
    HtmlReport.write(page, "T & T", List.of("fact <1>"), List.of(), List.of(q), List.of(plot));
    String html = Files.readString(page);
    assertTrue(html.contains("<title>T &amp; T</title>"));
    assertTrue(html.contains("<li>fact &lt;1&gt;</li>"));
    assertTrue(html.contains("&quot;&lt;script&gt;&quot;"));
    assertTrue(!html.contains("<script>"));
    assertTrue(html.contains("<img src=\"report/plots/pr.png\""));
    assertTrue(html.contains("<td class=yes>yes</td><td class=no>no</td>"));
    assertTrue(html.contains("<td>–</td><td>–</td>"), "typed queries have no judgement");
  }
}
