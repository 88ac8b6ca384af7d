package org.bicmr.training.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CurvePlotsTest {
  @TempDir
  Path dir;

  @Test
  void writesDecodableNonBlankPngs() throws IOException {
    List<EvaluationRun> runs = SampleRuns.evaluate(5).stream()
        .filter(r -> r.bits() == 16 && r.relevance() == Relevance.S).toList();
    assertEquals(4, runs.size(), "two methods x two directions");
    List<Path> files = CurvePlots.write(dir.resolve("plots"), runs);
    assertEquals(List.of("pr-sample-S-IQT-16bit.png", "topk-sample-S-IQT-16bit.png", "pr-sample-S-TQI-16bit.png",
        "topk-sample-S-TQI-16bit.png"), files.stream().map(p -> p.getFileName().toString()).toList());
    for (Path file : files) {
      assertTrue(Files.size(file) > 5_000, file + " is only " + Files.size(file) + " bytes");
      BufferedImage image = ImageIO.read(file.toFile());
      assertNotNull(image, file + " is not a decodable image");
      assertEquals(CurvePlots.WIDTH, image.getWidth());
      assertEquals(CurvePlots.HEIGHT, image.getHeight());
      int background = image.getRGB(0, 0);
      int drawn = 0;
      Set<Integer> colours = new HashSet<>();
      for (int y = 0; y < image.getHeight(); y++) {
        for (int x = 0; x < image.getWidth(); x++) {
          int rgb = image.getRGB(x, y);
          drawn += rgb != background ? 1 : 0;
          colours.add(rgb);
        }
      }
      double share = drawn / (double) (image.getWidth() * image.getHeight());
      assertTrue(share > 0.02, file + ": only " + share + " of the pixels differ from the background");
      assertTrue(colours.size() > 10, file + ": only " + colours.size() + " colours");
    }
  }

  @Test
  void oneCurvePerMethod() {
    List<EvaluationRun> runs = SampleRuns.evaluate(5).stream()
        .filter(r -> r.bits() == 16 && r.relevance() == Relevance.S && r.direction() == Direction.IQT).toList();
    List<EvaluationRun> twice = List.of(runs.get(0), runs.get(0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CurvePlots.write(dir, twice));
    assertTrue(e.getMessage().contains("two runs of method Bi-CMR"), e.getMessage());
  }
}
