package org.bicmr.training.images.clipart;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A tiny Open Clip Art tree for tests, in the layout of Debian's packages: {@code png/<category>/.../<name>.png} with
 * {@code svg/<same path>.svg} beside it; PNGs drawn here (a coloured square on transparency), SVGs written here.
 */
public final class ClipartTree {
  private final Path png;
  private final Path svg;

  public ClipartTree(Path root) {
    this.png = root.resolve("png");
    this.svg = root.resolve("svg");
  }

  public Path png() {
    return png;
  }

  public Path svg() {
    return svg;
  }

  /** A {@code size × size} PNG at {@code path} (below {@code png/}) and, when {@code title} is not null, its SVG. */
  public ClipartTree drawing(String path, int size, Color colour, String title, List<String> keywords)
      throws IOException {
    Path file = png.resolve(path);
    Files.createDirectories(file.getParent());
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = image.createGraphics();
    g.setColor(colour);
    g.fillRect(size / 4, size / 4, Math.max(1, size / 2), Math.max(1, size / 2));
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
    if (title != null) {
      svg(path, title, keywords);
    }
    return this;
  }

  /** The SVG of PNG path {@code path}, with a title and a keyword bag. */
  public ClipartTree svg(String path, String title, List<String> keywords) throws IOException {
    StringBuilder bag = new StringBuilder();
    for (String k : keywords) {
      bag.append("<rdf:li>").append(k).append("</rdf:li>");
    }
    return rawSvg(path, SvgMetadataTest.svg("<dc:title>" + title + "</dc:title><dc:subject><rdf:Bag>" + bag
        + "</rdf:Bag></dc:subject><dc:creator><cc:Agent><dc:title>Someone</dc:title></cc:Agent></dc:creator>"));
  }

  /** Any text as the SVG of PNG path {@code path}. */
  public ClipartTree rawSvg(String path, String content) throws IOException {
    Path file = svg.resolve(path.substring(0, path.length() - 4) + ".svg");
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return this;
  }

  /** A symbolic link at PNG path {@code link} to PNG path {@code target} (relative, as Debian's are). */
  public ClipartTree link(String link, String target) throws IOException {
    Path at = png.resolve(link);
    Files.createDirectories(at.getParent());
    Files.createSymbolicLink(at, at.getParent().relativize(png.resolve(target)));
    return this;
  }
}
