package org.bicmr.training.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.bicmr.onnx.ModelBundle;
import org.bicmr.training.data.DatasetDirectory;
import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.demo.ItemIndex;
import org.bicmr.training.model.TrainedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bicmr index}: encodes a dataset's items with an exported bundle (ONNX Runtime, as a search application would)
 * and writes a Lucene index holding each item's image and text code.
 */
@Command(name = "index", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Encodes a dataset's items with a model bundle and writes a Lucene index of their codes.")
final class IndexCommand implements Callable<Integer> {
  @Option(names = "--bundle", required = true, description = "model bundle (from 'bicmr export'): directory or .zip")
  Path bundle;

  @Option(names = "--data", required = true, description = "dataset directory")
  Path data;

  @Option(names = "--out", required = true, description = "index directory to write (must not exist)")
  Path out;

  @Option(names = "--database-of", description = "index only the database items of this model's split "
      + "(default: every item)")
  Path model;

  @Option(names = "--quiet", description = "no progress bar") boolean quiet;

  @Override
  public Integer call() throws Exception {
    if (Files.exists(out)) {
      throw new IllegalArgumentException("--out: " + out + " already exists; choose a new directory");
    }
    PairedDataset dataset = DatasetDirectory.read(data);
    int[] items = model != null ? TrainedModel.split(model).database() : allItems(dataset.size());
    try (ModelBundle models = ModelBundle.load(bundle)) {
      checkFits(models, dataset);
      try (ProgressBar bar = quiet ? null : TrainCommand.progressBar("encode", items.length)) {
        ItemIndex.build(out, dataset, items, models.encoder(), done -> {
          if (bar != null) {
            bar.stepTo(done);
          }
        });
      }
    }
    System.out.println("indexed " + items.length + " items of " + dataset.name() + " into " + out);
    return 0;
  }

  static void checkFits(ModelBundle models, PairedDataset dataset) {
    if (models.imageDim() != dataset.imageDim() || models.textDim() != dataset.textDim()) {
      throw new IllegalArgumentException("--bundle: " + models.name() + " takes image " + models.imageDim()
          + "-d and text " + models.textDim() + "-d inputs; the dataset has image " + dataset.imageDim()
          + "-d and text " + dataset.textDim() + "-d");
    }
    if (dataset.texts() == null && (dataset.vocabulary() == null || dataset.vocabulary().isEmpty())) {
      throw new IllegalArgumentException("--data: the dataset has neither texts nor a vocabulary, so its texts cannot "
          + "be written out");
    }
  }

  private static int[] allItems(int n) {
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    return all;
  }
}
