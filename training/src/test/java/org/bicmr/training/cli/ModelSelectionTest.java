package org.bicmr.training.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.bicmr.training.data.DatasetDirectory;
import org.bicmr.training.data.DatasetSplit;
import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.data.RealData;
import org.bicmr.training.eval.EvaluationRun;
import org.bicmr.training.eval.JsonReport;
import org.bicmr.training.eval.Relevance;
import org.bicmr.training.model.HashFunctions;
import org.bicmr.training.model.HashOutputs;
import org.bicmr.training.model.TrainedModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model selection in {@code bicmr train}: the validation items are a sample of the training items (never queries),
 * the nets learn from the others, every epoch's score is the validation MAP recomputed here by a brute-force ranking
 * of the saved parameters, the kept epoch is the best, and {@code bicmr evaluate} reports the last epoch beside it.
 */
class ModelSelectionTest {
  @TempDir static Path tmp;
  static Path data;

  @BeforeAll
  static void generate() {
    data = tmp.resolve("data");
    assertEquals(0, Bicmr.commandLine().execute("generate", "--small", "--items", "400", "--mirflickr",
        RealData.mirflickr().toString(), "--out", data.toString()));
  }

  @Test
  void theKeptEpochIsTheBestOnTheValidationItems() throws Exception {
    Path model = tmp.resolve("bicmr");
    assertEquals(0, Bicmr.commandLine().execute("train", "--data", data.toString(), "--out", model.toString(),
        "--bits", "16", "--epochs", "5", "--batch", "32", "--queries", "100", "--train-size", "200", "--validation",
        "40", "--image-hidden", "32", "--text-hidden", "16,32", "--label-hidden", "16", "--ssr-hidden", "16",
        "--quiet"));
    PairedDataset all = DatasetDirectory.read(data);
    DatasetSplit split = TrainedModel.split(model);
    assertEquals(40, split.validation().length);
    assertEquals(160, split.fit().length);
    for (int v : split.validation()) {
      assertTrue(Arrays.binarySearch(split.train(), v) >= 0, "validation item " + v + " is a training item");
      assertTrue(Arrays.binarySearch(split.query(), v) < 0, "validation item " + v + " is not a query");
      assertTrue(Arrays.binarySearch(split.fit(), v) < 0, "validation item " + v + " is not trained on");
    }

    TrainedModel.Meta meta = TrainedModel.meta(model);
    List<Double> scores = meta.selection().scores();
    assertEquals(5, scores.size());
    int best = 0;
    for (int e = 1; e < scores.size(); e++) {
      if (scores.get(e) > scores.get(best)) {
        best = e;
      }
    }
    assertEquals(best + 1, meta.selection().selectedEpoch());
    try (NDManager m = NDManager.newBaseManager()) {
      assertEquals(scores.get(best), bruteForceValidationMap(all, split,
          TrainedModel.hashFunctions(model, m, false), m), 1e-12, "selected epoch's parameters");
      assertEquals(scores.get(4), bruteForceValidationMap(all, split, TrainedModel.hashFunctions(model, m, true), m),
          1e-12, "last epoch's parameters");
    }
    assertEquals(meta.hasLastEpoch(), Files.exists(model.resolve(TrainedModel.LAST_PARAMETERS)));

    Path report = tmp.resolve("report");
    assertEquals(0, Bicmr.commandLine().execute("evaluate", "--data", data.toString(), "--model", model.toString(),
        "--out", report.toString()));
    List<String> methods = JsonReport.read(report.resolve("report.json")).stream().map(EvaluationRun::method)
        .distinct().toList();
    assertEquals(meta.hasLastEpoch() ? List.of("Bi-CMR", "Bi-CMR, last epoch") : List.of("Bi-CMR"), methods);

    // --on validation ranks the validation items against the items trained on: the selection's own score
    Path onValidation = tmp.resolve("report-validation");
    assertEquals(0, Bicmr.commandLine().execute("evaluate", "--data", data.toString(), "--model", model.toString(),
        "--out", onValidation.toString(), "--on", "validation"));
    double sum = 0;
    int directions = 0;
    for (EvaluationRun run : JsonReport.read(onValidation.resolve("report.json"))) {
      if (run.method().equals("Bi-CMR") && run.relevance() == Relevance.S) {
        assertEquals(40, run.metrics().queries(), "validation items as queries");
        assertEquals(160, run.metrics().databaseSize(), "items trained on as the database");
        sum += run.metrics().map();
        directions++;
      }
    }
    assertEquals(2, directions);
    try (NDManager m = NDManager.newBaseManager()) {
      assertEquals(bruteForceValidationMap(all, split, TrainedModel.hashFunctions(model, m, false), m),
          sum / directions, 1e-12, "evaluate --on validation, selected epoch");
    }
  }

  @Test
  void theLinearBaselineChoosesItsPenaltyOnTheValidationItems() throws Exception {
    Path model = tmp.resolve("linear");
    assertEquals(0, Bicmr.commandLine().execute("train", "--method", "linear", "--data", data.toString(), "--out",
        model.toString(), "--bits", "16", "--queries", "100", "--train-size", "200", "--quiet"));
    TrainedModel.Meta meta = TrainedModel.meta(model);
    double penalty = meta.epochLosses().get(0)[0];
    double score = meta.epochLosses().get(0)[1];
    assertTrue(List.of(0.1, 1.0, 10.0, 100.0).contains(penalty), "penalty " + penalty);
    PairedDataset all = DatasetDirectory.read(data);
    DatasetSplit split = TrainedModel.split(model);
    try (NDManager m = NDManager.newBaseManager()) {
      assertEquals(score, bruteForceValidationMap(all, split, TrainedModel.hashFunctions(model, m), m), 1e-12);
    }
  }

  /**
   * The mean of IQT and TQI MAP under S, validation items as queries against the items trained on: every code from
   * the signs of the outputs, Hamming distance by counting, ties by item index, AP as the mean precision at the ranks
   * of the relevant items.
   */
  static double bruteForceValidationMap(PairedDataset all, DatasetSplit split, HashFunctions nets, NDManager m) {
    int l = nets.bits();
    int[] items = new int[all.size()];
    Arrays.setAll(items, i -> i);
    float[] image = HashOutputs.images(nets, m, all.image(), all.imageDim(), items);
    float[] text = HashOutputs.texts(nets, m, all.text(), all.textDim(), items);
    return (map(all, image, text, split, l) + map(all, text, image, split, l)) / 2;
  }

  private static double map(PairedDataset all, float[] query, float[] database, DatasetSplit split, int l) {
    int[] fit = split.fit();
    double sum = 0;
    int evaluated = 0;
    for (int q : split.validation()) {
      Integer[] order = new Integer[fit.length];
      int[] distance = new int[all.size()];
      for (int k = 0; k < fit.length; k++) {
        order[k] = fit[k];
        int d = 0;
        for (int b = 0; b < l; b++) {
          d += (query[q * l + b] >= 0) != (database[fit[k] * l + b] >= 0) ? 1 : 0;
        }
        distance[fit[k]] = d;
      }
      Arrays.sort(order, (x, y) -> distance[x] != distance[y] ? Integer.compare(distance[x], distance[y])
          : Integer.compare(x, y));
      int relevant = 0;
      double precisions = 0;
      for (int rank = 0; rank < order.length; rank++) {
        if (shareLabel(all, q, order[rank])) {
          relevant++;
          precisions += (double) relevant / (rank + 1);
        }
      }
      if (relevant > 0) {
        sum += precisions / relevant;
        evaluated++;
      }
    }
    return sum / evaluated;
  }

  private static boolean shareLabel(PairedDataset all, int a, int b) {
    int c = all.labelCount();
    for (int k = 0; k < c; k++) {
      if (all.labels()[a * c + k] > 0 && all.labels()[b * c + k] > 0) {
        return true;
      }
    }
    return false;
  }
}
