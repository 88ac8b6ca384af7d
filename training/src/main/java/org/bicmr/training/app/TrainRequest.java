package org.bicmr.training.app;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.bicmr.training.eval.Direction;
import org.bicmr.training.eval.Relevance;
import org.bicmr.training.model.TrainingConfig;

/**
 * What {@link Training#train} trains and where it writes the model.
 *
 * @param data the dataset directory
 * @param out the model directory to write
 * @param config the method and every one of its settings
 * @param split how the dataset is split
 * @param selectOn the directions of the validation MAP that chooses the epoch
 * @param selectRelevance the relevance of that MAP
 * @param refit once the validation items have chosen the epoch, train again on every training item, the validation
 *     items included, and keep that epoch
 * @param checkpoint where a resumable trainer (Bi-CMR) keeps its state between epochs, or null
 * @param quiet no progress bar: a log line per epoch instead
 * @param log where the split, the settings, the epochs (when quiet) and the result are reported
 */
public record TrainRequest(Path data, Path out, TrainingConfig config, SplitPlan split, List<Direction> selectOn,
    Relevance selectRelevance, boolean refit, Path checkpoint, boolean quiet, PrintStream log) {

  public TrainRequest {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(split, "split");
    Objects.requireNonNull(selectOn, "selectOn");
    Objects.requireNonNull(selectRelevance, "selectRelevance");
    Objects.requireNonNull(log, "log");
    selectOn = List.copyOf(selectOn);
  }
}
