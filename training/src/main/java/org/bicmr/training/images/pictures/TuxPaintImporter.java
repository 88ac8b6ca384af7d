package org.bicmr.training.images.pictures;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.bicmr.training.data.AtomicFile;

/**
 * Picture items of Tux Paint's stamps (Debian {@code tuxpaint-stamps-default}, GPL-2; photo cut-outs and drawings,
 * each with a one-sentence description): a stamp is its PNG (or, without one, its SVG drawn at {@link
 * EmojiImporter#SVG_SIZE} pixels), its text the English line of its {@code .txt} ("A brown hen."), its labels the emoji
 * group its top-level folder corresponds to (so stamps and emoji share the coarse labels: animals are {@code
 * animals-nature}, vehicles {@code travel-places}, ...) and {@code tuxpaint/<folder>}, its relevance group its folder.
 * Read from the stamps directory as Debian installs it ({@code /usr/share/tuxpaint/stamps}) or as {@code
 * bin/fetch-tuxpaint} extracts it.
 */
public final class TuxPaintImporter {
  /** Each top-level stamp folder's emoji group. */
  static final Map<String, String> GROUPS = Map.ofEntries(
      Map.entry("animals", "animals-nature"), Map.entry("plants", "animals-nature"),
      Map.entry("food", "food-drink"), Map.entry("people", "people-body"),
      Map.entry("naturalforces", "travel-places"), Map.entry("space", "travel-places"),
      Map.entry("town", "travel-places"), Map.entry("vehicles", "travel-places"),
      Map.entry("hobbies", "activities"), Map.entry("sports", "activities"), Map.entry("seasonal", "activities"),
      Map.entry("clothes", "objects"), Map.entry("household", "objects"), Map.entry("medical", "objects"),
      Map.entry("military", "objects"), Map.entry("symbols", "symbols"));

  /** The source name of the stamps' items. */
  static final String SOURCE = "tuxpaint";

  public static final PictureCatalog.Licence LICENCE = new PictureCatalog.Licence(SOURCE,
      "Debian tuxpaint-stamps-default 2022.06.04 (/usr/share/tuxpaint/stamps)",
      "GPL-2 or later (Bill Kendrick and the Tux Paint contributors)");

  private TuxPaintImporter() {}

  /** The stamps of {@code stamps} as items, their pictures written under {@code out}; skipped counts into {@code skipped}. */
  public static List<PictureItem> importTo(Path stamps, Path out, Map<String, Integer> skipped) throws IOException {
    if (!Files.isDirectory(stamps)) {
      throw new java.nio.file.NoSuchFileException(stamps.toString(), null, "not a Tux Paint stamps directory; fetch "
          + "it with bin/fetch-tuxpaint (or apt-get install tuxpaint-stamps-default)");
    }
    List<Path> descriptions;
    try (Stream<Path> walk = Files.walk(stamps)) {
      descriptions = walk.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
    }
    List<PictureItem> items = new ArrayList<>();
    for (Path txt : descriptions) {
      String rel = stamps.relativize(txt).toString().replace('\\', '/');
      String base = rel.substring(0, rel.length() - 4);
      int slash = base.indexOf('/');
      String top = slash < 0 ? "" : base.substring(0, slash);
      String group = GROUPS.get(top);
      if (group == null) {
        skipped.merge("tuxpaint: stamp outside the known folders", 1, Integer::sum);
        continue;
      }
      String folder = base.substring(0, base.lastIndexOf('/'));
      String text = description(txt);
      if (text == null) {
        skipped.merge("tuxpaint: no English description", 1, Integer::sum);
        continue;
      }
      Path png = stamps.resolve(base + ".png");
      Path svg = stamps.resolve(base + ".svg");
      byte[] picture;
      try {
        picture = Files.isRegularFile(png) ? Files.readAllBytes(png)
            : Files.isRegularFile(svg) ? SvgRaster.png(base + ".svg", Files.readAllBytes(svg), EmojiImporter.SVG_SIZE)
            : null;
      } catch (IllegalArgumentException e) {
        skipped.merge("tuxpaint: SVG Batik cannot draw", 1, Integer::sum);
        continue;
      }
      if (picture == null) {
        skipped.merge("tuxpaint: description without a PNG or SVG", 1, Integer::sum);
        continue;
      }
      String image = "images/tuxpaint/" + base + ".png";
      Path target = out.resolve(image);
      if (!Files.isRegularFile(target)) {
        Files.createDirectories(target.getParent());
        AtomicFile.write(target, picture);
      }
      items.add(new PictureItem(image, text, List.of(group, "tuxpaint/" + folder), "tuxpaint/" + folder,
          "tuxpaint:" + base, SOURCE));
    }
    return items;
  }

  /** The English description: the file's first line, as Tux Paint writes it; null when blank. */
  static String description(Path txt) throws IOException {
    for (String line : Files.readAllLines(txt, StandardCharsets.UTF_8)) {
      String s = line.strip();
      if (s.isEmpty()) {
        continue;
      }
      if (s.contains("=") && s.toLowerCase(Locale.ROOT).matches("^[a-z_@.]+\\.utf-?8=.*")) {
        return null; // the first non-blank line is already a translation
      }
      return s;
    }
    return null;
  }
}
