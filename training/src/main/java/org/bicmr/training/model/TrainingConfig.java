package org.bicmr.training.model;

import java.nio.file.Path;
import java.util.List;
import org.bicmr.training.data.PairedDataset;

/**
 * A method's settings, complete: the one source of its defaults (each config's {@code paper} or {@code of} factory),
 * the trainer it configures and how {@code model.json} describes a model trained with it.
 */
public interface TrainingConfig {

  /** The method's name in {@code model.json} and in {@code bicmr train --method}. */
  String method();

  /** The code length. */
  int bits();

  /**
   * The trainer of these settings on {@code training}.
   *
   * @param score what each epoch is scored by for model selection, or null to keep the last epoch
   * @param checkpoint where a trainer that can resume keeps its state between epochs, or null; a method that cannot
   *     resume refuses one
   */
  Trainer trainer(PairedDataset training, EpochSelection.Score score, Path checkpoint);

  /** What {@code model.json} says about a model trained on {@code dataset} with these settings. */
  TrainedModel.Meta meta(PairedDataset dataset, List<double[]> epochLosses, double trainingSeconds);
}
