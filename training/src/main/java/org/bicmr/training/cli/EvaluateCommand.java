package org.bicmr.training.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.bicmr.training.data.DatasetDirectory;
import org.bicmr.training.data.DatasetSplit;
import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.eval.CurvePlots;
import org.bicmr.training.eval.Direction;
import org.bicmr.training.eval.EvaluationRun;
import org.bicmr.training.eval.JsonReport;
import org.bicmr.training.eval.MapTables;
import org.bicmr.training.eval.PackedCodes;
import org.bicmr.training.eval.Relevance;
import org.bicmr.training.eval.RetrievalEvaluation;
import org.bicmr.training.eval.RetrievalMetrics;
import org.bicmr.training.model.BiCmrConfig;
import org.bicmr.training.model.HashFunctions;
import org.bicmr.training.model.HashOutputs;
import org.bicmr.training.model.TrainedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bicmr evaluate}: ranks each model's held-out queries against its database by Hamming distance, both ways
 * (IQT, TQI), under label overlap S and, where the dataset has judgements, main-topic relevance G; writes the JSON of
 * every number, Markdown MAP tables and PR / P@K plots.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Evaluates trained models (MAP, precision-recall, precision@K; IQT and TQI; S and G).")
final class EvaluateCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, description = "dataset directory the models were trained on")
  Path data;

  @Option(names = "--model", required = true, description = "model directory (repeatable)")
  List<Path> models;

  @Option(names = "--method", description = "method name in the reports, one per --model (default: from the settings)")
  List<String> methods = new ArrayList<>();

  @Option(names = "--out", required = true, description = "report directory: report.json, tables.md, plots")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (methods.isEmpty() == false && methods.size() != models.size()) {
      throw new IllegalArgumentException("--method: give one name per --model (" + models.size() + "), got "
          + methods.size());
    }
    PairedDataset dataset = DatasetDirectory.read(data);
    List<EvaluationRun> runs = new ArrayList<>();
    for (int m = 0; m < models.size(); m++) {
      Path dir = models.get(m);
      TrainedModel.Meta meta = TrainedModel.meta(dir);
      checkMatches(dir, meta, dataset);
      DatasetSplit split = TrainedModel.split(dir);
      if (split.size() != dataset.size()) {
        throw new IllegalArgumentException("model " + dir + " was split over " + split.size()
            + " items, but dataset " + data + " has " + dataset.size());
      }
      String method = methods.isEmpty() ? methodName(meta) : methods.get(m);
      runs.addAll(evaluate(dataset, dir, meta, split, method));
    }
    Files.createDirectories(out);
    JsonReport.write(out.resolve("report.json"), runs);
    MapTables.write(out.resolve("tables.md"), runs);
    List<Path> plots = CurvePlots.write(out.resolve("plots"), runs);
    System.out.print(MapTables.markdown(runs));
    System.out.printf(Locale.ROOT, "wrote %s, %s and %d plots%n", out.resolve("report.json"), out.resolve("tables.md"),
        plots.size());
    return 0;
  }

  /** Both cross-modal directions and every relevance of one model. */
  static List<EvaluationRun> evaluate(PairedDataset dataset, Path dir, TrainedModel.Meta meta, DatasetSplit split,
      String method) throws java.io.IOException {
    return evaluate(dataset, dir, meta, split, method, Direction.CROSS_MODAL);
  }

  /** The given directions and every relevance of one model. */
  static List<EvaluationRun> evaluate(PairedDataset dataset, Path dir, TrainedModel.Meta meta, DatasetSplit split,
      String method, List<Direction> directions) throws java.io.IOException {
    List<EvaluationRun> runs = new ArrayList<>();
    int[] all = new int[dataset.size()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    PackedCodes image;
    PackedCodes text;
    try (NDManager manager = NDManager.newBaseManager()) {
      HashFunctions net = TrainedModel.hashFunctions(dir, manager);
      int bits = meta.bits();
      image = PackedCodes.fromOutputs(HashOutputs.images(net, manager, dataset.image(), dataset.imageDim(), all), bits);
      text = PackedCodes.fromOutputs(HashOutputs.texts(net, manager, dataset.text(), dataset.textDim(), all), bits);
    }
    Map<String, String> settings = new TreeMap<>();
    settings.put("model", dir.toString());
    settings.put("method", meta.method());
    settings.put("config", meta.settingsText());
    settings.put("epochs", Integer.toString(meta.epochLosses().size()));
    for (Direction direction : directions) {
      for (Relevance relevance : Relevance.available(dataset)) {
        RetrievalMetrics metrics = RetrievalEvaluation.evaluate(dataset, relevance,
            direction.queryCodes(image, text), split.query(), direction.databaseCodes(image, text), split.database());
        runs.add(new EvaluationRun(dataset.name(), method, meta.bits(), direction, relevance, split.seed(),
            settings, metrics));
      }
    }
    return runs;
  }

  private static void checkMatches(Path dir, TrainedModel.Meta meta, PairedDataset dataset) {
    if (meta.imageDim() != dataset.imageDim() || meta.textDim() != dataset.textDim()
        || meta.labelCount() != dataset.labelCount()) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "model %s expects image %d-d, text %d-d, %d labels; the dataset has image %d-d, text %d-d, %d labels",
          dir, meta.imageDim(), meta.textDim(), meta.labelCount(), dataset.imageDim(), dataset.textDim(),
          dataset.labelCount()));
    }
  }

  /** A baseline's name in capitals ("DCMH"), or Bi-CMR's name from its settings. */
  static String methodName(TrainedModel.Meta meta) {
    return meta.isBiCmr() ? methodName(meta.config()) : meta.method().toUpperCase(Locale.ROOT);
  }

  /** "Bi-CMR", or the ablation it is (Bi-CMR1–5), or Bi-CMR with the dropped terms named. */
  static String methodName(BiCmrConfig c) {
    BiCmrConfig full = c.withTerms(true, true, true, true, true, true);
    for (int n = 0; n <= 5; n++) {
      if (full.withAblation(n).equals(c)) {
        return n == 0 ? "Bi-CMR" : "Bi-CMR" + n;
      }
    }
    StringBuilder name = new StringBuilder("Bi-CMR(");
    String[] terms = {"ssr", "m2l", "l2m", "cor", "adjust", "c"};
    boolean[] on = {c.useSsr(), c.useM2l(), c.useL2m(), c.useCor(), c.adjustSimilarity(), c.useClassification()};
    for (int i = 0; i < terms.length; i++) {
      if (on[i] == false) {
        name.append(name.length() > 7 ? "," : "").append('-').append(terms[i]);
      }
    }
    return name.append(')').toString();
  }
}
