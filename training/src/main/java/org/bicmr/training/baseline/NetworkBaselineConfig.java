package org.bicmr.training.baseline;

import java.nio.file.Path;
import java.util.List;
import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.model.EpochSelection;
import org.bicmr.training.model.NetShape;
import org.bicmr.training.model.TrainedModel;
import org.bicmr.training.model.Trainer;
import org.bicmr.training.model.TrainingConfig;

/**
 * The settings of a baseline that trains image and text networks (DCMH, PRDH, SSAH, AGAH): its code length is its
 * nets', {@code model.json} records the nets and the settings, and it trains from scratch (no checkpoint).
 */
public interface NetworkBaselineConfig extends TrainingConfig {

  /** The image and text nets' shape. */
  NetShape nets();

  /** The method's trainer, choosing the epoch with {@code selection} (null: keep the last). */
  Trainer trainer(PairedDataset training, EpochSelection selection);

  @Override
  default int bits() {
    return nets().bits();
  }

  @Override
  default Trainer trainer(PairedDataset training, EpochSelection.Score score, Path checkpoint) {
    if (checkpoint != null) {
      throw new IllegalArgumentException(method() + " cannot resume from a checkpoint, got " + checkpoint);
    }
    return trainer(training, score == null ? null : new EpochSelection(score));
  }

  @Override
  default TrainedModel.Meta meta(PairedDataset dataset, List<double[]> epochLosses, double trainingSeconds) {
    return TrainedModel.Meta.baseline(method(), dataset.name(), dataset.imageDim(), dataset.textDim(),
        dataset.labelCount(), nets(), this, epochLosses, trainingSeconds);
  }
}
