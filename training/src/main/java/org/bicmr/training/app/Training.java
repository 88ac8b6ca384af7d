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
 * selection, the split, {@code model.json} and the vocabulary. With {@link TrainRequest#refit()} the epoch (or the
 * linear baseline's penalty) chosen on the validation items is trained again on every training item ({@link Refit}).
 */
public final class Training {
  private Training() {}

  /** Trains as {@code request} says and writes the model directory. */
  public static TrainResult train(TrainRequest request) throws IOException {
    PrintStream log = request.log();
    PairedDataset all = DatasetDirectory.read(request.data());
    DatasetSplit split = request.split().of(all);
    EpochSelection.Score score = score(all, split, request);
    if (request.refit() && score == null) {
      throw new IllegalArgumentException("--refit trains again on every training item once the validation items "
          + "have chosen the epoch, but --validation is 0: there is nothing to choose with");
    }
    log.printf(Locale.ROOT, "%s%nsplit (seed %d): %d queries, %d database items, %d training items (%d trained on, "
        + "%d held out for validation)%n", all, request.split().seed(), split.query().length, split.database().length,
        split.train().length, split.fit().length, split.validation().length);
    long start = System.nanoTime();
    log.printf(Locale.ROOT, "%s: %s%n", request.config().method(), request.config());
    List<Double> epochSeconds = new ArrayList<>();
    TrainedModel.Meta meta;
    try (NDManager manager = NDManager.newBaseManager()) {
      Refit.Recording recording = request.refit() ? new Refit.Recording(score) : null;
      // a first run to be trained again keeps its nets apart, freed before the second run
      NDManager first = recording == null ? manager : manager.newSubManager();
      Pass pass = pass(request, all.subset(split.fit()), recording == null ? score : recording,
          request.checkpoint(), false, first, epochSeconds);
      DatasetSplit kept = split;
      TrainedModel.Selection chosen = pass.selection() == null ? null : TrainedModel.Selection.of(pass.selection());
      if (recording != null) {
        // a resumed first run's selection holds the epochs before the checkpoint too; the recording only its own
        List<Double> scores = pass.selection() == null ? recording.values() : pass.selection().history();
        int candidate = pass.selection() == null ? recording.chosen() : pass.selection().bestEpoch();
        log.printf(Locale.ROOT, "chosen on the validation items: %s %d of %d (%.4f); training again on all %d "
            + "training items%n", pass.selection() == null ? "candidate" : "epoch", candidate + 1, scores.size(),
            scores.get(candidate), split.train().length);
        first.close();
        pass = pass(request, all.subset(split.train()), Refit.replay(candidate, score.description()), null, true,
            manager, epochSeconds);
        kept = split.withoutValidation();
        chosen = pass.selection() == null ? null
            : new TrainedModel.Selection(score.description(), candidate + 1, scores, split.train().length);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      meta = save(request.out(), pass, chosen, kept, request.config().meta(all, pass.losses(), seconds), log);
    }
    if (all.vocabulary() != null && !all.vocabulary().isEmpty()) {
      TrainedModel.saveVocabulary(request.out(), all.vocabulary());
    }
    log.printf(Locale.ROOT, "model written to %s (%.0f s)%n", request.out(), (System.nanoTime() - start) / 1e9);
    return new TrainResult(meta, epochSeconds);
  }

  /** One training run's outcome: the last epoch's nets, its trainer's selection (or null) and its epochs' terms. */
  private record Pass(HashFunctions nets, EpochSelection selection, List<double[]> losses) {}

  /**
   * Runs the request's trainer on {@code training}, scored by {@code score} (or null), its nets in {@code manager};
   * {@code again} for the second run of a refit, whose score is the replay's 0 or 1 and is therefore not logged.
   */
  private static Pass pass(TrainRequest request, PairedDataset training, EpochSelection.Score score, Path checkpoint,
      boolean again, NDManager manager, List<Double> epochSeconds) throws IOException {
    Trainer trainer = request.config().trainer(training, score, checkpoint);
    List<double[]> losses = new ArrayList<>();
    try (ProgressBar bar = request.quiet() ? null : Progress.bar(again ? "refit" : "train", (long) trainer.epochs()
        * trainer.stepsPerEpoch())) {
      HashFunctions nets = trainer.train(manager, new EpochLog(trainer, bar, request.log(), losses, epochSeconds,
          !again));
      return new Pass(nets, trainer.selection(), losses);
    }
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

  /**
   * Writes the model: the selected epoch's parameters and the last epoch's, or the last alone without selection;
   * {@code chosen} says how the epoch was chosen.
   */
  private static TrainedModel.Meta save(Path out, Pass pass, TrainedModel.Selection chosen, DatasetSplit split,
      TrainedModel.Meta meta, PrintStream log) throws IOException {
    if (pass.selection() == null) {
      TrainedModel.save(out, pass.nets(), split, meta);
      return meta;
    }
    TrainedModel.Meta selected = meta.withSelection(chosen);
    TrainedModel.save(out, pass.nets(), pass.selection().bestParameters(), split, selected);
    List<Double> scores = chosen.scores();
    log.printf(Locale.ROOT, "selected epoch %d of %d (%s %.4f; last epoch %.4f)%s%n", chosen.selectedEpoch(),
        scores.size(), chosen.score(), scores.get(chosen.selectedEpoch() - 1), scores.get(scores.size() - 1),
        chosen.refitItems() > 0 ? ", then trained again on all " + chosen.refitItems() + " training items" : "");
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
    private final boolean scores;

    /** {@code scores}: whether the epochs' scores are a validation MAP to log. */
    EpochLog(Trainer trainer, ProgressBar bar, PrintStream log, List<double[]> losses, List<Double> epochSeconds,
        boolean scores) {
      this.scores = scores;
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
      if (scores && Double.isNaN(score) == false) {
        line.append(String.format(Locale.ROOT, ", validation MAP %.4f", score));
      }
      log.println(line);
    }
  }
}
