package org.bicmr.training.baseline;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.model.EpochSelection;
import org.bicmr.training.model.NetShape;
import org.bicmr.training.model.TrainedModel;
import org.bicmr.training.model.TrainingConfig;

/**
 * The settings of a fixed projection ({@link LinearCodes}): the linear baseline ({@code supervised}) or SimHash, the
 * code length and the seed of the random hyperplanes. Nothing else is set: the linear baseline chooses its ridge
 * penalty on the validation items itself.
 *
 * @param supervised the linear baseline (ridge regression to the labels, then hyperplanes) rather than SimHash
 * @param bits the code length, a multiple of 8
 * @param seed the seed of the hyperplanes
 */
public record ProjectionConfig(boolean supervised, int bits, long seed) implements TrainingConfig {

  /** The linear baseline's name in {@code model.json} and {@code bicmr train --method}. */
  public static final String LINEAR = "linear";

  /** SimHash's name in {@code model.json} and {@code bicmr train --method}. */
  public static final String SIMHASH = "simhash";

  /**
   * What {@code model.json} stores as a projection's settings.
   *
   * @param features how the codes are made from the input features
   */
  public record ProjectionSettings(int bits, long seed, String features) {}

  @Override
  public String method() {
    return supervised ? LINEAR : SIMHASH;
  }

  /** The settings as {@code model.json} stores them. */
  public ProjectionSettings settings() {
    return new ProjectionSettings(bits, seed, supervised
        ? "ridge regression of tf-idf (bag of words) or standardised features to the labels, penalty chosen on "
            + "validation from " + Arrays.toString(LinearCodes.PENALTIES) + "; random hyperplanes over the centred "
            + "predictions"
        : "random hyperplanes over tf-idf (bag of words) or standardised features");
  }

  /** The shape {@code model.json} records: hyperplanes of the code length, no hidden layers to speak of. */
  NetShape shape() {
    return new NetShape(bits, 1, 1, 0, NetShape.Output.LINEAR);
  }

  /**
   * The projection on {@code training}; {@code score} chooses the linear baseline's ridge penalty (there are no
   * epochs to select, so the trainer has no selection).
   */
  @Override
  public LinearCodes trainer(PairedDataset training, EpochSelection.Score score, Path checkpoint) {
    if (checkpoint != null) {
      throw new IllegalArgumentException(method() + " cannot resume from a checkpoint, got " + checkpoint);
    }
    return new LinearCodes(supervised, bits, seed, training, score);
  }

  @Override
  public TrainedModel.Meta meta(PairedDataset dataset, List<double[]> epochLosses, double trainingSeconds) {
    return TrainedModel.Meta.baseline(method(), dataset.name(), dataset.imageDim(), dataset.textDim(),
        dataset.labelCount(), shape(), settings(), epochLosses, trainingSeconds);
  }

  /** The settings as {@code model.json} stores them, which is also how the training log names them. */
  @Override
  public String toString() {
    return settings().toString();
  }
}
