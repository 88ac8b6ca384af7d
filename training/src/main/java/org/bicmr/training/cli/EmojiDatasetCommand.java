package org.bicmr.training.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bicmr.training.pictures.EmojiImporter;
import org.bicmr.training.pictures.PictureItem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bicmr emoji-dataset}: a picture catalog of the redistributable emoji sets ({@code bin/fetch-emoji}), every
 * emoji in every style, with its name and keywords as text and its group and subgroup as labels.
 */
@Command(name = "emoji-dataset", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Makes a picture catalog of the emoji image sets on npm (Noto, Twemoji, OpenMoji, Fluent UI): "
        + "pictures, texts (name and keywords), labels (group, subgroup).")
final class EmojiDatasetCommand implements Callable<Integer> {
  @Option(names = "--packages", required = true, description = "the folder bin/fetch-emoji prints")
  Path packages;

  @Option(names = "--out", required = true, description = "catalog directory to write (pictures, items.jsonl, "
      + "catalog.json, LICENSES.md); pictures already there are reused")
  Path out;

  @Override
  public Integer call() throws Exception {
    long start = System.nanoTime();
    EmojiImporter.Result r = EmojiImporter.importTo(packages, out);
    System.out.printf(java.util.Locale.ROOT, "%s: %,d pictures of %,d emoji in %.0f s%n", out, r.items().size(),
        r.items().stream().map(PictureItem::split).distinct().count(), (System.nanoTime() - start) / 1e9);
    for (Map.Entry<String, Integer> e : r.skipped().entrySet()) {
      System.out.printf(java.util.Locale.ROOT, "  left out: %,d × %s%n", e.getValue(), e.getKey());
    }
    return 0;
  }
}
