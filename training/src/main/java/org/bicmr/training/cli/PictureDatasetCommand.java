package org.bicmr.training.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.bicmr.training.images.pictures.EmojiImporter;
import org.bicmr.training.images.pictures.PictureCatalog;
import org.bicmr.training.images.pictures.PictureItem;
import org.bicmr.training.images.pictures.TuxPaintImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bicmr picture-dataset}: a picture catalog of the redistributable emoji sets ({@code bin/fetch-emoji}), every
 * emoji in every style with its name and keywords as text and its group and subgroup as labels, and optionally Tux
 * Paint's stamps ({@code bin/fetch-tuxpaint}) with their descriptions, under the same coarse labels.
 */
@Command(name = "picture-dataset", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Makes a picture catalog: the emoji image sets on npm (Noto, Twemoji, OpenMoji, Fluent UI) with "
        + "names and keywords, and Tux Paint's stamps with their descriptions.")
final class PictureDatasetCommand implements Callable<Integer> {
  @Option(names = "--emoji", required = true, description = "the folder bin/fetch-emoji prints")
  Path emoji;

  @Option(names = "--tuxpaint", description = "Tux Paint's stamps directory (bin/fetch-tuxpaint prints it)")
  Path tuxpaint;

  @Option(names = "--out", required = true, description = "catalog directory to write (pictures, items.jsonl, "
      + "catalog.json, LICENSES.md); pictures already there are reused")
  Path out;

  @Option(names = "--name", description = "the catalog's name (default: emoji, or emoji+tuxpaint)")
  String name;

  @Override
  public Integer call() throws Exception {
    long start = System.nanoTime();
    EmojiImporter.Result e = EmojiImporter.items(emoji, out);
    List<PictureItem> items = new ArrayList<>(e.items());
    Map<String, Integer> skipped = new TreeMap<>(e.skipped());
    List<PictureCatalog.Licence> licences = new ArrayList<>(EmojiImporter.LICENCES);
    if (tuxpaint != null) {
      items.addAll(TuxPaintImporter.importTo(tuxpaint, out, skipped));
      licences.add(TuxPaintImporter.LICENCE);
    }
    String catalogName = name != null ? name : tuxpaint == null ? "emoji" : "emoji+tuxpaint";
    PictureCatalog.write(out, catalogName, items, skipped, licences);
    System.out.printf(Locale.ROOT, "%s: %,d pictures (%,d split groups) in %.0f s%n", out, items.size(),
        items.stream().map(PictureItem::split).distinct().count(), (System.nanoTime() - start) / 1e9);
    for (Map.Entry<String, Integer> s : skipped.entrySet()) {
      System.out.printf(Locale.ROOT, "  left out: %,d × %s%n", s.getValue(), s.getKey());
    }
    return 0;
  }
}
