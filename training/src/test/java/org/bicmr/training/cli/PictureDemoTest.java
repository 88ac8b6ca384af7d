package org.bicmr.training.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bicmr.training.eval.Direction;
import org.bicmr.training.eval.EvaluationRun;
import org.bicmr.training.eval.JsonReport;
import org.bicmr.training.eval.Relevance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bicmr demo} on real pictures (the emoji sets and the image model as {@code bin/fetch-emoji} and {@code
 * bin/fetch-human} cache them; skipped, saying so, when they are not there), on a sample of the emoji: the whole
 * pipeline runs, its bytes path agrees with its features, its codes rank the held-out emoji's pictures above random
 * codes, and the page shows every sentence's pictures, which headless Chromium decodes.
 */
class PictureDemoTest {
  @Test
  void typedSentencesGetPicturesOnAPageChromiumRenders(@TempDir Path tmp) throws Exception {
    Path cache = Path.of(System.getProperty("user.home"), ".cache", "bicmr");
    Path emoji = cache.resolve("emoji");
    Path human = cache.resolve("human-3.3.6/package");
    assumeTrue(Files.isRegularFile(emoji.resolve("emojibase-data/package/en/data.json"))
        && Files.isRegularFile(human.resolve("models/centernet.bin")), "the emoji sets or the image model are not in "
        + cache + ": run bin/fetch-emoji and bin/fetch-human");
    Path out = tmp.resolve("demo");
    int code = Bicmr.commandLine().execute("demo", "--out", out.toString(), "--emoji", emoji.toString(), "--human",
        human.toString(), "--emoji-limit", "300", "--bits", "32", "--epochs", "20", "--text", "a green tree",
        "--top", "4", "--quiet");
    assertEquals(0, code);
    String html = Files.readString(out.resolve("pictures.html"));
    for (String sentence : List.of("a red apple on a table", "a sleeping cat", "a green tree")) {
      assertTrue(html.contains("text → image: \"" + sentence + "\"") || html.contains("text → image: &quot;"
          + sentence + "&quot;"), sentence + " is on the page");
    }
    assertEquals((PictureDemo.SENTENCES.size() + 1) * 4, html.split("<img src=\"thumbs/", -1).length - 1,
        "four pictures for every sentence");

    List<EvaluationRun> runs = JsonReport.read(out.resolve("report/report.json"));
    for (Relevance relevance : List.of(Relevance.S, Relevance.G)) {
      double bicmr = map(runs, "Bi-CMR", relevance);
      double random = map(runs, "random codes", relevance);
      assertTrue(bicmr > random + 0.05, "text → image under " + relevance + ": Bi-CMR " + bicmr + ", random codes "
          + random);
    }
    ChromiumPage.Rendered dom = ChromiumPage.render(out.resolve("pictures.html"));
    assumeTrue(dom != null, "headless Chromium is not installed: the page's pictures are not checked in a browser");
    assertTrue(dom.html().contains("data-images=\"loaded\""), "every picture decoded in Chromium: " + dom.body());
  }

  private static double map(List<EvaluationRun> runs, String method, Relevance relevance) {
    return runs.stream().filter(r -> r.method().equals(method) && r.direction() == Direction.TQI
        && r.relevance() == relevance).findFirst().orElseThrow().metrics().map();
  }
}
