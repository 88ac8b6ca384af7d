package org.bicmr.training.images.clipart;

import java.util.List;
import java.util.Objects;

/**
 * One drawing of a {@link ClipartCatalog}: a PNG file reached through one or more paths below the PNG root (a drawing
 * Debian files under several categories is one file with symbolic links to it), its text and its categories.
 *
 * @param png the path of the drawing's file below the PNG root (its real location when that is a kept path)
 * @param paths every kept path below the PNG root that leads to the file, in path order
 * @param title the SVG's title
 * @param keywords the keywords of every path's SVG, in order, repeats left out
 * @param description the SVG's description (not part of {@code text})
 * @param labels the top-level category folders of {@code paths}, sorted
 * @param leaf the folder of {@code png} below the root, e.g. {@code animals/birds}: the relevance group
 */
public record ClipartItem(String png, List<String> paths, String title, List<String> keywords, String description,
    List<String> labels, String leaf) {
  public ClipartItem {
    Objects.requireNonNull(png, "png");
    paths = List.copyOf(paths);
    keywords = List.copyOf(keywords);
    labels = List.copyOf(labels);
    Objects.requireNonNull(leaf, "leaf");
  }

  /** The item's text: the title and then the keywords, separated by spaces. */
  public String text() {
    StringBuilder s = new StringBuilder(title == null ? "" : title);
    for (String k : keywords) {
      s.append(s.isEmpty() ? "" : " ").append(k);
    }
    return s.toString();
  }
}
