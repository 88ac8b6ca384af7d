package org.bicmr.training.app;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import org.bicmr.training.data.DatasetDirectory;
import org.bicmr.training.data.DatasetSplit;
import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.eval.ValidationScore;
import org.bicmr.training.model.EpochSelection;
import org.bicmr.training.model.HashFunctions;
import org.bicmr.training.model.TrainedModel;
import org.bicmr.training.model.Trainer;

/**
 * The operation {@code train}: one flow for every method. It splits the dataset, holds out the validation items that
 * score each epoch, runs the {@link Trainer} of the request's config, and writes the model directory that {@link
 * Evaluation} and {@link Export} read: the selected epoch's parameters and the last epoch's, or the last alone without
 * selection, the split, {@code model.json} and the vocabulary.
 */
public final class Training {
  private Training() {}

  /** Trains as {@code request} says and writes the model directory. */
  public static TrainResult train(TrainRequest request) throws IOException {
    PrintStream log = request.log();
    PairedDataset all = DatasetDirectory.read(request.data());
    DatasetSplit split = request.split().of(all);
    PairedDataset training = all.subset(split.fit());
    EpochSelection.Score score = score(all, split, request);
    log.printf(Locale.ROOT, "%s%nsplit (seed %d): %d queries, %d database items, %d training items (%d trained on, "
        + "%d held out for validation)%n", all, request.split().seed(), split.query().length, split.database().length,
        split.train().length, training.size(), split.validation().length);
    long start = System.nanoTime();
    log.printf(Locale.ROOT, "%s: %s%n", request.config().method(), request.config());
    Trainer trainer = request.config().trainer(training, score, request.checkpoint());
    List<double[]> losses = new ArrayList<>();
    List<Double> epochSeconds = new ArrayList<>();
    TrainedModel.Meta meta;
    try (NDManager manager = NDManager.newBaseManager();
        ProgressBar bar = request.quiet() ? null : Progress.bar("train", (long) trainer.epochs()
            * trainer.stepsPerEpoch())) {
      HashFunctions nets = trainer.train(manager, new EpochLog(trainer, bar, log, losses, epochSeconds));
      double seconds = (System.nanoTime() - start) / 1e9;
      meta = save(request.out(), nets, trainer.selection(), split, request.config().meta(all, losses, seconds), log);
    }
    if (all.vocabulary() != null && !all.vocabulary().isEmpty()) {
      TrainedModel.saveVocabulary(request.out(), all.vocabulary());
    }
    log.printf(Locale.ROOT, "model written to %s (%.0f s)%n", request.out(), (System.nanoTime() - start) / 1e9);
    return new TrainResult(meta, epochSeconds);
  }

  /** The score of model selection on the validation items, or null without them. */
  private static EpochSelection.Score score(PairedDataset all, DatasetSplit split, TrainRequest request) {
    if (split.validation().length == 0) {
      return null;
    }
    int[] train = split.train();
    PairedDataset items = all.subset(train);
    int[] validationRows = positions(train, split.validation());
    int[] fitRows = positions(train, split.fit());
    return new ValidationScore(items, validationRows, fitRows, request.selectOn(), request.selectRelevance());
  }

  /** The positions of {@code items} in the ascending array {@code within}. */
  private static int[] positions(int[] within, int[] items) {
    return Arrays.stream(items).map(i -> Arrays.binarySearch(within, i)).toArray();
  }

  /** Writes the model: the selected epoch's parameters and the last epoch's, or the last alone without selection. */
  private static TrainedModel.Meta save(Path out, HashFunctions last, EpochSelection selection, DatasetSplit split,
      TrainedModel.Meta meta, PrintStream log) throws IOException {
    if (selection == null) {
      TrainedModel.save(out, last, split, meta);
      return meta;
    }
    TrainedModel.Meta selected = meta.withSelection(TrainedModel.Selection.of(selection));
    TrainedModel.save(out, last, selection.bestParameters(), split, selected);
    log.printf(Locale.ROOT, "selected epoch %d of %d (%s %.4f; last epoch %.4f)%n", selection.bestEpoch() + 1,
        selection.history().size(), selection.description(), selection.bestScore(),
        selection.history().get(selection.history().size() - 1));
    return selected;
  }

  /**
   * The progress of one run: the bar's steps, or a line per epoch without a bar; every epoch's terms and seconds.
   * Bi-CMR reports each term's mean per item (four decimals), the baselines their sums over the training set (one).
   */
  private static final class EpochLog implements Trainer.Listener {
    private final Trainer trainer;
    private final ProgressBar bar;
    private final PrintStream log;
    private final List<double[]> losses;
    private final List<Double> epochSeconds;
    private final boolean meanPerItem;

    EpochLog(Trainer trainer, ProgressBar bar, PrintStream log, List<double[]> losses, List<Double> epochSeconds) {
      this.trainer = trainer;
      this.bar = bar;
      this.log = log;
      this.losses = losses;
      this.epochSeconds = epochSeconds;
      this.meanPerItem = TrainedModel.BICMR.equals(trainer.method());
    }

    @Override
    public void stepDone(int epoch, int step, int steps, double loss) {
      if (bar != null) {
        bar.stepTo((long) epoch * steps + step + 1);
        bar.setExtraMessage(String.format(Locale.ROOT, meanPerItem ? " epoch %d/%d, batch loss %.3f"
            : " epoch %d/%d, step loss %.1f", epoch + 1, trainer.epochs(), loss));
      }
    }

    @Override
    public void stepSkipped(int epoch, int step, String why) {
      log.println("skipped a step: " + why);
    }

    @Override
    public void epochDone(int epoch, double[] terms, double score, double seconds) {
      losses.add(terms);
      epochSeconds.add(seconds);
      if (bar != null) {
        return;
      }
      List<String> names = trainer.termNames();
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, meanPerItem
          ? "epoch %d/%d: %.1f s, loss %.4f (" : "epoch %d/%d: %.1f s, loss %.1f (", epoch + 1, trainer.epochs(),
          seconds, terms[terms.length - 1]));
      for (int i = 0; i < terms.length - 1; i++) {
        line.append(i > 0 ? ", " : "").append(names.get(i)).append(String.format(Locale.ROOT, " %.4g", terms[i]));
      }
      line.append(')');
      if (Double.isNaN(score) == false) {
        line.append(String.format(Locale.ROOT, ", validation MAP %.4f", score));
      }
      log.println(line);
    }
  }
}
