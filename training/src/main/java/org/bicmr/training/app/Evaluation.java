package org.bicmr.training.app;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.bicmr.training.data.DatasetDirectory;
import org.bicmr.training.data.DatasetSplit;
import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.eval.CodeHealth;
import org.bicmr.training.eval.CosineRanking;
import org.bicmr.training.eval.CurvePlots;
import org.bicmr.training.eval.Direction;
import org.bicmr.training.eval.EvaluationRun;
import org.bicmr.training.eval.ExperimentTables;
import org.bicmr.training.eval.JsonReport;
import org.bicmr.training.eval.MapTables;
import org.bicmr.training.eval.PackedCodes;
import org.bicmr.training.eval.PairDistances;
import org.bicmr.training.eval.Relevance;
import org.bicmr.training.eval.RetrievalEvaluation;
import org.bicmr.training.eval.RetrievalMetrics;
import org.bicmr.training.model.BiCmrConfig;
import org.bicmr.training.model.HashFunctions;
import org.bicmr.training.model.HashOutputs;
import org.bicmr.training.model.TrainedModel;

/**
 * The operation {@code evaluate}: ranks each model's held-out queries against its database by Hamming distance in
 * the given directions, under label overlap S and, where the dataset has judgements, main-topic relevance G; writes
 * the JSON of every number, Markdown MAP tables and PR / P@K plots. {@link #runs} evaluates one model in memory, for
 * the grid and the demos.
 */
public final class Evaluation {
  /** The settings key of the MAP of ranking by the cosine of the nets' outputs before the sign. */
  public static final String REAL_VALUED_MAP = CosineRanking.SETTING;

  /** What a method's name gains for the runs of its last epoch, where model selection kept another. */
  public static final String LAST_EPOCH = ExperimentTables.LAST_EPOCH;

  private Evaluation() {}

  /** Evaluates the request's models, writes the report and returns its runs. */
  public static List<EvaluationRun> evaluate(EvaluateRequest request) throws IOException {
    PairedDataset dataset = DatasetDirectory.read(request.data());
    List<EvaluationRun> runs = new ArrayList<>();
    for (int m = 0; m < request.models().size(); m++) {
      Path dir = request.models().get(m);
      TrainedModel.Meta meta = TrainedModel.meta(dir);
      checkMatches(dir, meta, dataset);
      DatasetSplit split = TrainedModel.split(dir);
      if (split.size() != dataset.size()) {
        throw new IllegalArgumentException("model " + dir + " was split over " + split.size()
            + " items, but dataset " + request.data() + " has " + dataset.size());
      }
      String method = request.methods().isEmpty() ? methodName(meta) : request.methods().get(m);
      split = request.on().of(split, dir);
      runs.addAll(runs(dataset, dir, meta, split, method, request.directions(), false, request.realValued()));
      if (meta.hasLastEpoch()) {
        runs.addAll(runs(dataset, dir, meta, split, method + LAST_EPOCH, request.directions(), true, false));
      }
    }
    Path out = request.out();
    Files.createDirectories(out);
    JsonReport.write(out.resolve("report.json"), runs);
    MapTables.write(out.resolve("tables.md"), runs);
    List<Path> plots = CurvePlots.write(out.resolve("plots"), runs);
    System.out.print(MapTables.markdown(runs));
    System.out.printf(Locale.ROOT, "wrote %s, %s and %d plots%n", out.resolve("report.json"), out.resolve("tables.md"),
        plots.size());
    return runs;
  }

  /**
   * The given directions and every relevance of one model, with the parameters of the selected epoch or, with {@code
   * last}, of the last; each run's settings say how healthy the codes are ({@link CodeHealth} of every item's image
   * and text code) and which epoch was evaluated. With {@code realValued} each run's settings also hold {@link
   * #REAL_VALUED_MAP}, the MAP of ranking by the cosine of the nets' outputs before the sign.
   */
  public static List<EvaluationRun> runs(PairedDataset dataset, Path dir, TrainedModel.Meta meta, DatasetSplit split,
      String method, List<Direction> directions, boolean last, boolean realValued) throws IOException {
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
  public static String methodName(TrainedModel.Meta meta) {
    return meta.isBiCmr() ? methodName(meta.config()) : meta.method().toUpperCase(Locale.ROOT);
  }

  /**
   * "Bi-CMR" (the recommended variant), "Bi-CMR (paper)" or "Bi-CMR (released)", with the number of the ablation it
   * is (Bi-CMR1–5), and " (modified)" when its terms are switched in another way.
   */
  public static String methodName(BiCmrConfig c) {
    int ablation = c.ablation();
    String variant = c.variant() == BiCmrConfig.Variant.RECOMMENDED ? "" : " (" + c.variant().option() + ")";
    return "Bi-CMR" + (ablation > 0 ? Integer.toString(ablation) : "") + variant + (ablation < 0 ? " (modified)" : "");
  }
}
