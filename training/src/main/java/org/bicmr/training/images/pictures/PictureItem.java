package org.bicmr.training.images.pictures;

import java.util.List;
import java.util.Objects;

/**
 * One picture of a {@link PictureCatalog} with its text and what it is about.
 *
 * @param image the PNG's path below the catalog directory
 * @param text what the picture shows, in words (its name and keywords, or its description)
 * @param labels its labels (e.g. an emoji's group and subgroup), sorted
 * @param group its relevance group (judgements "G"; e.g. the emoji's subgroup)
 * @param split its split group: pictures of one split group (every style of one emoji) stay on the same side of a
 *     split
 * @param source the collection and style it comes from, e.g. {@code emoji/openmoji}
 */
public record PictureItem(String image, String text, List<String> labels, String group, String split,
    String source) {
  public PictureItem {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(text, "text");
    labels = List.copyOf(labels);
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(split, "split");
    Objects.requireNonNull(source, "source");
  }
}
