package org.bicmr.training.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.bicmr.onnx.ImagePreprocessor;
import org.bicmr.training.images.clipart.ClipartCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bicmr clipart-dataset}: the catalog of a paired image–text dataset from Debian's Open Clip Art packages
 * (PNG, SVG metadata's title and keywords, category folders), ready for {@code bicmr extract-features}.
 */
@Command(name = "clipart-dataset", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Builds a paired image-text dataset from Debian openclipart-png and openclipart-svg: image = the "
        + "PNG, text = the SVG's title and keywords, labels = top-level category folders (several when a drawing is "
        + "filed under several), relevance groups = leaf folders.",
        "Writes catalog.json and items.jsonl; 'bicmr extract-features' then adds the image features."})
final class ClipartDatasetCommand implements Callable<Integer> {
  @Option(names = "--png", description = "the PNG tree (default: ${DEFAULT-VALUE})")
  Path png = Path.of("/usr/share/openclipart/png");

  @Option(names = "--svg", description = "the SVG tree, same relative paths (default: ${DEFAULT-VALUE})")
  Path svg = Path.of("/usr/share/openclipart/svg");

  @Option(names = "--out", required = true, description = "dataset directory to write")
  Path out;

  @Option(names = "--min-leaf-size", description = "drawings a leaf folder needs to be kept (default: "
      + "${DEFAULT-VALUE})")
  int minLeafSize = 5;

  @Option(names = "--vocabulary-min-count", description = "drawings a token must occur in to be a word of the "
      + "vocabulary (default: ${DEFAULT-VALUE})")
  int vocabularyMinCount = 5;

  @Option(names = "--drop", split = ",", description = "top-level folders to leave out (default: ${DEFAULT-VALUE})")
  List<String> drop = ClipartCatalog.DROPPED_FOLDERS;

  @Option(names = "--max-pixels", description = "the most pixels a PNG may have, from its header (default: "
      + "${DEFAULT-VALUE}, the image preprocessing's limit)")
  long maxPixels = ImagePreprocessor.MAX_PIXELS;

  @Override
  public Integer call() throws Exception {
    long start = System.nanoTime();
    ClipartCatalog catalog = ClipartCatalog.scan(png, svg,
        new ClipartCatalog.Options(minLeafSize, vocabularyMinCount, drop, maxPixels));
    catalog.write(out);
    System.out.println(catalog.summary());
    System.out.printf(java.util.Locale.ROOT, "%s: catalog.json, items.jsonl (%.1f s); next: bicmr extract-features "
        + "--dataset %s --extractor <image-features.onnx>%n", out, (System.nanoTime() - start) / 1e9, out);
    return 0;
  }
}
