package org.bicmr.training.demo;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The image demo's HTML page: for each text query, its top images as thumbnails with their texts and Hamming
 * distances. Thumbnails are PNG files in {@code thumbs/} beside the page (at most {@value #THUMBNAIL} pixels a side,
 * transparency on white). A script in the page sets {@code data-images} on {@code <body>} to {@code "loaded"} once
 * every {@code <img>} has decoded with a non-zero width, or to {@code "broken"} naming the first that did not, so a
 * headless browser can check the page as a reader would see it.
 */
public final class ThumbnailPage {
  /** The longest side of a thumbnail, in pixels. */
  public static final int THUMBNAIL = 128;

  /**
   * One hit.
   *
   * @param thumbnail file name of the thumbnail in {@code thumbs/}
   * @param text the drawing's text
   * @param source the original image, for the caption
   * @param distance Hamming distance to the query
   */
  public record Hit(String thumbnail, String text, String source, int distance) {}

  /**
   * One text query and its hits, best first.
   *
   * @param text what was typed
   * @param hits the top images; empty with {@code note} when the text could not be encoded
   * @param note why there are no hits, or null
   */
  public record Query(String text, List<Hit> hits, String note) {}

  private ThumbnailPage() {}

  /** Writes a thumbnail of the image {@code source} to {@code target} (PNG); false if the JDK cannot decode it. */
  public static boolean thumbnail(Path source, Path target) throws IOException {
    BufferedImage image = ImageIO.read(source.toFile());
    if (image == null || image.getWidth() < 1 || image.getHeight() < 1) {
      return false;
    }
    double scale = Math.min(1.0, THUMBNAIL / (double) Math.max(image.getWidth(), image.getHeight()));
    int w = Math.max(1, (int) Math.round(image.getWidth() * scale));
    int h = Math.max(1, (int) Math.round(image.getHeight() * scale));
    BufferedImage thumb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = thumb.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, w, h);
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(image, 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    Files.createDirectories(target.getParent());
    return ImageIO.write(thumb, "png", target.toFile());
  }

  /**
   * Writes {@code file}; thumbnails are linked as {@code thumbs/<name>} relative to it.
   *
   * @param facts lines describing the run (images, bundle, timings)
   */
  public static void write(Path file, String title, List<String> facts, List<Query> queries) throws IOException {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(escape(title))
        .append("</title>\n<style>body{font-family:sans-serif;max-width:1200px;margin:2em auto;color:#222}"
            + ".hits{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0;width:150px;text-align:center}"
            + "figure img{border:1px solid #ddd;background:#fff;max-width:140px;max-height:140px}"
            + "figcaption{font-size:12px;word-wrap:break-word}.note{color:#b00}</style></head><body>\n");
    h.append("<h1>").append(escape(title)).append("</h1>\n<ul>");
    for (String fact : facts) {
      h.append("<li>").append(escape(fact)).append("</li>");
    }
    h.append("</ul>\n");
    for (Query q : queries) {
      h.append("<h2>text → image: \"").append(escape(q.text())).append("\"</h2>\n");
      if (q.note() != null) {
        h.append("<p class=note>").append(escape(q.note())).append("</p>\n");
        continue;
      }
      h.append("<div class=hits>\n");
      int rank = 1;
      for (Hit hit : q.hits()) {
        h.append("<figure><img src=\"thumbs/").append(escape(hit.thumbnail())).append("\" alt=\"")
            .append(escape(hit.text())).append("\" title=\"").append(escape(hit.source())).append("\"><figcaption>")
            .append(rank++).append(". d=").append(hit.distance()).append("<br>").append(escape(hit.text()))
            .append("</figcaption></figure>\n");
      }
      h.append("</div>\n");
    }
    h.append("""
        <script>
        window.addEventListener('load', () => {
          const images = Array.from(document.images);
          const broken = images.find(i => !i.complete || i.naturalWidth === 0);
          document.body.dataset.images = broken ? 'broken' : 'loaded';
          document.body.dataset.imageCount = String(images.length);
          if (broken) document.body.dataset.brokenImage = broken.getAttribute('src');
        });
        </script>
        </body></html>
        """);
    Files.writeString(file, h);
  }

  static String escape(String s) {
    return HtmlReport.escape(s);
  }
}
