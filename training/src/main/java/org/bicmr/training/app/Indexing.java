package org.bicmr.training.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import me.tongfei.progressbar.ProgressBar;
import org.bicmr.onnx.HashEncoder;
import org.bicmr.onnx.ModelBundle;
import org.bicmr.training.data.DatasetDirectory;
import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.demo.ItemIndex;
import org.bicmr.training.model.TrainedModel;

/**
 * The operation {@code index}: a dataset's items encoded with an exported bundle (ONNX Runtime, as a search
 * application would) and written to a Lucene index holding each item's image and text code.
 */
public final class Indexing {
  private Indexing() {}

  /** Indexes the items that {@code request} names; returns how many. */
  public static int index(IndexRequest request) throws IOException {
    if (Files.exists(request.out())) {
      throw new IllegalArgumentException("--out: " + request.out() + " already exists; choose a new directory");
    }
    PairedDataset dataset = DatasetDirectory.read(request.data());
    int[] items = request.databaseOf() != null ? TrainedModel.split(request.databaseOf()).database()
        : allItems(dataset.size());
    try (ModelBundle models = ModelBundle.load(request.bundle())) {
      checkFits(models, dataset);
      index(dataset, items, models.encoder(), request.out(), request.quiet());
    }
    System.out.println("indexed " + items.length + " items of " + dataset.name() + " into " + request.out());
    return items.length;
  }

  /** Encodes {@code items} of {@code dataset} with {@code encoder} into a new index at {@code out}. */
  public static void index(PairedDataset dataset, int[] items, HashEncoder encoder, Path out, boolean quiet)
      throws IOException {
    try (ProgressBar bar = quiet ? null : Progress.bar("encode", items.length)) {
      ItemIndex.build(out, dataset, items, encoder, done -> {
        if (bar != null) {
          bar.stepTo(done);
        }
      });
    }
  }

  /** Refuses a bundle whose inputs are not the dataset's, and a dataset whose texts cannot be written out. */
  public static void checkFits(ModelBundle models, PairedDataset dataset) {
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
