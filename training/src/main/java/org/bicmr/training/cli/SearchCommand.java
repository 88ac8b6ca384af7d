package org.bicmr.training.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bicmr.codes.HashCode;
import org.bicmr.onnx.ModelBundle;
import org.bicmr.training.app.Indexing;
import org.bicmr.training.data.DatasetDirectory;
import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.demo.ItemIndex;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bicmr search}: one query against an index written by {@code bicmr index} — a text (finds images), a
 * dataset item's image features (finds texts) or a code — encoded with the bundle, ranked by exact Hamming distance.
 */
@Command(name = "search", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Searches an index of item codes with a text, an item's image, or a code.")
final class SearchCommand implements Callable<Integer> {
  @Option(names = "--bundle", required = true, description = "model bundle the index was built with")
  Path bundle;

  @Option(names = "--index", required = true, description = "index directory (from 'bicmr index')")
  Path index;

  @Option(names = "--data", required = true, description = "the dataset the index holds (to show the hits)")
  Path data;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Input input;

  static final class Input {
    @Option(names = "--text", description = "a text: finds images") String text;
    @Option(names = "--image-of", description = "the image features of this dataset item: finds texts") Integer item;
    @Option(names = "--image-code", description = "a hex code: finds images") String imageCode;
    @Option(names = "--text-code", description = "a hex code: finds texts") String textCode;
  }

  @Option(names = "--k", description = "hits (default: ${DEFAULT-VALUE})")
  int k = 10;

  @Option(names = "--max-distance", description = "largest Hamming distance (default: no limit)")
  Integer maxDistance;

  @Override
  public Integer call() throws Exception {
    if (k < 1) {
      throw new IllegalArgumentException("--k: expected at least 1, got " + k);
    }
    PairedDataset dataset = DatasetDirectory.read(data);
    String field;
    HashCode code;
    try (ModelBundle models = ModelBundle.load(bundle)) {
      Indexing.checkFits(models, dataset);
      if (input.text != null) {
        field = ItemIndex.IMAGE_CODE;
        code = models.encoder().encodeText(input.text);
      } else if (input.item != null) {
        if (input.item < 0 || input.item >= dataset.size()) {
          throw new IllegalArgumentException("--image-of: expected an item from 0 to " + (dataset.size() - 1)
              + ", got " + input.item);
        }
        field = ItemIndex.TEXT_CODE;
        code = models.encoder().encodeImage(dataset.imageRow(input.item));
      } else {
        field = input.imageCode != null ? ItemIndex.IMAGE_CODE : ItemIndex.TEXT_CODE;
        code = HashCode.fromHex(input.imageCode != null ? input.imageCode : input.textCode);
        if (code.bits() != models.bits()) {
          throw new IllegalArgumentException("code: the bundle's codes have " + models.bits() + " bits, got "
              + code.bits());
        }
      }
    }
    int radius = maxDistance == null ? code.bits() : maxDistance;
    if (radius < 0 || radius > code.bits()) {
      throw new IllegalArgumentException("--max-distance: expected 0 to " + code.bits() + ", got " + maxDistance);
    }
    System.out.printf(Locale.ROOT, "query code %s, searching %s%n", code.toHex(), field);
    try (ItemIndex items = ItemIndex.open(index)) {
      List<ItemIndex.Hit> hits = items.search(field, code, k, radius);
      int rank = 1;
      for (ItemIndex.Hit hit : hits) {
        String labels = String.join(",", dataset.labelsOf(hit.item()));
        System.out.printf(Locale.ROOT, "%3d. item %6d  d=%2d  labels %-30s \"%s\"%n", rank++, hit.item(),
            hit.distance(), labels, dataset.words(hit.item()));
      }
      if (hits.isEmpty()) {
        System.out.println("no item within distance " + radius);
      }
    }
    return 0;
  }

}
