package org.bicmr.training.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.bicmr.training.demo.ThumbnailPage;
import org.bicmr.training.export.TinyBundleFixture;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bicmr demo --openclipart}: a folder of drawings (PNG and JPEG, one not an image, one with a text file beside
 * it) indexed through a tiny bundle with an image feature extractor; the text queries' page is rendered in headless
 * Chromium, whose DOM must report every thumbnail decoded — and, with a thumbnail deleted, report it broken.
 */
class ClipartDemoTest {
  private static final List<String> DRAWINGS = List.of("animals/dog_01.png", "animals/cat.png", "nature/blue_sky.png",
      "nature/sunset_beach.jpg", "nature/night_tree.png", "misc/x.png");

  private static void drawing(Path file, long seed) throws IOException {
    Random random = new Random(seed);
    BufferedImage im = new BufferedImage(60 + random.nextInt(200), 60 + random.nextInt(200),
        BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < im.getHeight(); y++) {
      for (int x = 0; x < im.getWidth(); x++) {
        boolean inside = Math.hypot(x - im.getWidth() / 2.0, y - im.getHeight() / 2.0) < im.getWidth() / 3.0;
        im.setRGB(x, y, inside ? 0xff000000 | (int) (seed * 0x2f3d4b) : 0); // a disc on transparency
      }
    }
    String format = file.toString().endsWith(".jpg") ? "jpeg" : "png";
    if (format.equals("jpeg")) {
      BufferedImage rgb = new BufferedImage(im.getWidth(), im.getHeight(), BufferedImage.TYPE_INT_RGB);
      rgb.getGraphics().drawImage(im, 0, 0, null);
      im = rgb;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(im, format, out));
    Files.createDirectories(file.getParent());
    Files.write(file, out.toByteArray());
  }

  @Test
  void drawingsAreIndexedByTheirBytesAndThePageShowsTheirThumbnailsInChromium(@TempDir Path tmp) throws Exception {
    Path bundle = TinyBundleFixture.imageBundle(tmp.resolve("work"));
    Path images = tmp.resolve("images");
    for (int i = 0; i < DRAWINGS.size(); i++) {
      drawing(images.resolve(DRAWINGS.get(i)), i + 1);
    }
    Files.writeString(images.resolve("misc/x.txt"), "sea beach\n");
    Files.createDirectories(images.resolve("broken"));
    Files.writeString(images.resolve("broken/not_an_image.png"), "not an image");
    Files.writeString(images.resolve("notes.txt"), "not a drawing");
    Path out = tmp.resolve("demo");

    int code = Bicmr.commandLine().execute("demo", "--openclipart", images.toString(), "--bundle",
        bundle.toString(), "--out", out.toString(), "--text", "dog", "--text", "blue sky", "--text", "qwerty",
        "--top", "3", "--quiet");
    assertEquals(0, code);
    Path page = out.resolve("clipart.html");
    String html = Files.readString(page);
    assertTrue(html.contains("text → image: &quot;dog&quot;") || html.contains("text → image: \"dog\""), html);
    assertTrue(html.contains("none of its words is in the model&#39;s vocabulary"), "qwerty has no hits: " + html);
    assertTrue(html.contains("6 images from") && html.contains("1 skipped"), "the broken file is skipped: " + html);
    List<String> sources = new ArrayList<>();
    Matcher m = Pattern.compile("<img src=\"thumbs/([0-9]+\\.png)\"").matcher(html);
    while (m.find()) {
      sources.add(m.group(1));
    }
    assertEquals(6, sources.size(), "two queries × top 3: " + sources);
    for (String s : sources) {
      BufferedImage thumb = ImageIO.read(out.resolve("thumbs").resolve(s).toFile());
      assertTrue(Math.max(thumb.getWidth(), thumb.getHeight()) <= ThumbnailPage.THUMBNAIL, s);
    }

    String dom = render(page);
    assertTrue(dom.contains("data-images=\"loaded\""), "every thumbnail decoded in Chromium:\n" + body(dom));
    assertTrue(dom.contains("data-image-count=\"6\""), body(dom));

    Files.delete(out.resolve("thumbs").resolve(sources.get(0)));
    String broken = render(page);
    assertTrue(broken.contains("data-images=\"broken\"") && broken.contains("data-broken-image=\"thumbs/"
        + sources.get(0) + "\""), "a missing thumbnail is reported:\n" + body(broken));
  }

  /** The DOM of {@code page} in headless Chromium; the test is skipped, saying so, without Chromium. */
  private static String render(Path page) throws Exception {
    ChromiumPage.Rendered r = ChromiumPage.render(page);
    Assumptions.assumeTrue(r != null, "headless Chromium is not installed (Debian: apt-get install -y "
        + "chromium): the page's images are not checked in a browser");
    return r.html();
  }

  private static String body(String dom) {
    return new ChromiumPage.Rendered(dom).body();
  }
}
