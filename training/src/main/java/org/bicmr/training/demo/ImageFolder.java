package org.bicmr.training.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The drawings of a directory tree (e.g. Debian's {@code /usr/share/openclipart/png}) with a text for each: the
 * content of a {@code <name>.txt} beside the image if there is one, otherwise the words of the image's path below the
 * root — folders and file name, lower-cased, split on anything that is not a letter, words of one letter dropped
 * ({@code animals/birds/red_parrot_01.png} → "animals birds red parrot"). PNG and JPEG files, sorted by path; a file
 * reached through several links is taken once.
 */
public final class ImageFolder {
  /**
   * One drawing.
   *
   * @param file the image file
   * @param text what it shows, in words
   */
  public record Drawing(Path file, String text) {}

  private ImageFolder() {}

  /**
   * The drawings under {@code root}; when there are more than {@code limit}, every n-th in path order, so that all
   * folders are represented.
   */
  public static List<Drawing> scan(Path root, int limit) throws IOException {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    if (!Files.isDirectory(root)) {
      throw new NoSuchFileException(root.toString(), null, "not a directory of images");
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(Files::isRegularFile).filter(ImageFolder::isImage).sorted().toList();
    }
    Set<Path> seen = new HashSet<>();
    List<Path> unique = new ArrayList<>();
    for (Path f : files) {
      if (seen.add(f.toRealPath())) {
        unique.add(f);
      }
    }
    List<Drawing> drawings = new ArrayList<>();
    double step = Math.max(1.0, unique.size() / (double) limit);
    for (double i = 0; i < unique.size() && drawings.size() < limit; i += step) {
      Path f = unique.get((int) i);
      drawings.add(new Drawing(f, text(root, f)));
    }
    return drawings;
  }

  private static boolean isImage(Path f) {
    String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg");
  }

  /** The sidecar text, or the words of the path below {@code root}. */
  static String text(Path root, Path file) throws IOException {
    String name = file.getFileName().toString();
    String stem = name.substring(0, name.lastIndexOf('.'));
    Path sidecar = file.resolveSibling(stem + ".txt");
    if (Files.isRegularFile(sidecar)) {
      return Files.readString(sidecar, StandardCharsets.UTF_8).strip();
    }
    String path = root.relativize(file.resolveSibling(stem)).toString();
    Set<String> words = new LinkedHashSet<>();
    for (String w : path.toLowerCase(Locale.ROOT).split("[^\\p{L}]+")) {
      if (w.length() > 1) {
        words.add(w);
      }
    }
    return String.join(" ", words);
  }
}
