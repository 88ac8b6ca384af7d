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
import org.bicmr.training.eval.CodeHealth;
import org.bicmr.training.eval.PairDistances;
import org.bicmr.training.eval.CosineRanking;
import org.bicmr.training.eval.CurvePlots;
import org.bicmr.training.eval.Direction;
import org.bicmr.training.eval.EvaluationRun;
import org.bicmr.training.eval.ExperimentTables;
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

  @Option(names = "--directions", split = ",", description = "directions: IQT, TQI, TQT (default: IQT,TQI)")
  List<Direction> directions = Direction.CROSS_MODAL;

  @Option(names = "--real-valued", description = "also rank by the cosine of the nets' outputs before the sign (the "
      + "ceiling the codes are compared with); its MAP goes into each run's settings as real_valued_map")
  boolean realValued;

  @Option(names = "--on", description = "what is ranked: queries (the held-out queries against the database, the "
      + "default) or validation (the validation items against the items trained on, for choosing a setting without "
      + "looking at the queries)")
  Protocol on = Protocol.QUERIES;

  /** Which items query and which are ranked. */
  enum Protocol {
    QUERIES, VALIDATION;

    /** The split whose queries and database are the ones this protocol ranks. */
    DatasetSplit of(DatasetSplit split, Path model) {
      if (this == QUERIES) {
        return split;
      }
      if (split.validation().length == 0) {
        throw new IllegalArgumentException("--on validation: model " + model + " holds out no validation items "
            + "(trained with --validation 0, or before validation existed)");
      }
      return new DatasetSplit(split.seed(), split.size(), split.validation(), split.fit(), split.fit(), new int[0]);
    }
  }

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
      split = on.of(split, dir);
      runs.addAll(evaluate(dataset, dir, meta, split, method, directions, false, realValued));
      if (meta.hasLastEpoch()) {
        runs.addAll(evaluate(dataset, dir, meta, split, method + LAST_EPOCH, directions, true));
      }
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

  /** The settings key of the MAP of ranking by the cosine of the nets' outputs before the sign. */
  static final String REAL_VALUED_MAP = CosineRanking.SETTING;

  /** What a method's name gains for the runs of its last epoch, where model selection kept another. */
  static final String LAST_EPOCH = ExperimentTables.LAST_EPOCH;

  /**
   * The given directions and every relevance of one model, with the parameters of the selected epoch or, with {@code
   * last}, of the last; each run's settings say how healthy the codes are ({@link CodeHealth} of every item's image
   * and text code) and which epoch was evaluated.
   */
  static List<EvaluationRun> evaluate(PairedDataset dataset, Path dir, TrainedModel.Meta meta, DatasetSplit split,
      String method, List<Direction> directions, boolean last) throws java.io.IOException {
    return evaluate(dataset, dir, meta, split, method, directions, last, false);
  }

  /**
   * As {@link #evaluate(PairedDataset, Path, TrainedModel.Meta, DatasetSplit, String, List, boolean)}; with {@code
   * realValued} each run's settings also hold {@code real_valued_map}, the MAP of ranking by the cosine of the nets'
   * outputs before the sign.
   */
  static List<EvaluationRun> evaluate(PairedDataset dataset, Path dir, TrainedModel.Meta meta, DatasetSplit split,
      String method, List<Direction> directions, boolean last, boolean realValued) throws java.io.IOException {
    List<EvaluationRun> runs = new ArrayList<>();
    int[] all = new int[dataset.size()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    PackedCodes image;
    PackedCodes text;
    float[] imageOutputs;
    float[] textOutputs;
    try (NDManager manager = NDManager.newBaseManager()) {
      HashFunctions net = TrainedModel.hashFunctions(dir, manager, last);
      int bits = meta.bits();
      imageOutputs = HashOutputs.images(net, manager, dataset.image(), dataset.imageDim(), all);
      textOutputs = HashOutputs.texts(net, manager, dataset.text(), dataset.textDim(), all);
      image = PackedCodes.fromOutputs(imageOutputs, bits);
      text = PackedCodes.fromOutputs(textOutputs, bits);
    }
    Map<String, String> settings = new TreeMap<>();
    settings.put("model", dir.toString());
    settings.put("method", meta.method());
    settings.put("config", meta.settingsText());
    settings.put("epochs", Integer.toString(meta.epochLosses().size()));
    if (meta.selection() != null) {
      settings.put("selected_epoch", Integer.toString(meta.selection().selectedEpoch()));
      settings.put("selection", meta.selection().score());
    }
    settings.put("evaluated_epoch", Integer.toString(last || meta.selection() == null ? meta.epochLosses().size()
        : meta.selection().selectedEpoch()));
    CodeHealth imageHealth = CodeHealth.of(image);
    CodeHealth textHealth = CodeHealth.of(text);
    settings.put(CodeHealth.IMAGE_KEY, Integer.toString(imageHealth.nearConstantBits()));
    settings.put(CodeHealth.TEXT_KEY, Integer.toString(textHealth.nearConstantBits()));
    settings.put("distinct_codes_image", Integer.toString(imageHealth.distinctCodes()));
    settings.put("distinct_codes_text", Integer.toString(textHealth.distinctCodes()));
    PairDistances pairs = PairDistances.of(image, text);
    settings.put("own_pair_distance", Double.toString(pairs.ownPair()));
    settings.put("other_pair_distance", Double.toString(pairs.otherPairs()));
    System.out.printf(Locale.ROOT, "%s, %d bits: image codes %s; text codes %s; %s%n", method, meta.bits(),
        imageHealth.describe(), textHealth.describe(), pairs.describe());
    for (Direction direction : directions) {
      for (Relevance relevance : Relevance.available(dataset)) {
        RetrievalMetrics metrics = RetrievalEvaluation.evaluate(dataset, relevance,
            direction.queryCodes(image, text), split.query(), direction.databaseCodes(image, text), split.database());
        Map<String, String> runSettings = settings;
        if (realValued) {
          runSettings = new TreeMap<>(settings);
          boolean imageQuery = direction == Direction.IQT;
          boolean imageDatabase = direction == Direction.TQI;
          double real = CosineRanking.map(dataset, relevance, imageQuery ? imageOutputs : textOutputs,
              imageDatabase ? imageOutputs : textOutputs, meta.bits(), split.query(), split.database());
          runSettings.put(REAL_VALUED_MAP, Double.toString(real));
          System.out.printf(Locale.ROOT, "%s %s %s: Hamming MAP %.4f, real-valued %.4f (%.1f%%)%n", method, direction,
              relevance, metrics.map(), real, 100 * metrics.map() / real);
        }
        runs.add(new EvaluationRun(dataset.name(), method, meta.bits(), direction, relevance, split.seed(),
            runSettings, metrics));
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

  /**
   * "Bi-CMR" (the recommended variant), "Bi-CMR (paper)" or "Bi-CMR (released)", with the number of the ablation it
   * is (Bi-CMR1–5), and " (modified)" when its terms are switched in another way.
   */
  static String methodName(BiCmrConfig c) {
    int ablation = c.ablation();
    String variant = c.variant() == BiCmrConfig.Variant.RECOMMENDED ? "" : " (" + c.variant().option() + ")";
    return "Bi-CMR" + (ablation > 0 ? Integer.toString(ablation) : "") + variant + (ablation < 0 ? " (modified)" : "");
  }
}
