package org.bicmr.training.model;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.List;

/**
 * One method's training on the training pairs, whatever the method (Bi-CMR, DCMH, PRDH, SSAH, AGAH, the linear
 * baseline, SimHash): what {@code bicmr train} runs before it writes the model directory. A trainer made with an
 * {@link EpochSelection} scores every epoch with it, so that the best epoch's parameters can be kept beside the last.
 */
public interface Trainer {

  /** Hears about training progress (a progress bar, a log). */
  interface Listener {
    /** After each step (a batch of one net) with the step's loss. */
    default void stepDone(int epoch, int step, int steps, double loss) {}

    /** A step that was not applied, and why (a gradient that is not finite while the loss is). */
    default void stepSkipped(int epoch, int step, String why) {}

    /**
     * After each epoch with the method's loss terms and their total ({@link #termNames()} order), the epoch's score
     * under the trainer's selection (NaN without one) and the epoch's seconds.
     */
    default void epochDone(int epoch, double[] terms, double score, double seconds) {}
  }

  /** The method's name in {@code model.json} ({@code bicmr}, {@code dcmh}, ...). */
  String method();

  /** The loss terms that {@link Listener#epochDone} reports, the total last. */
  List<String> termNames();

  /** Epochs that {@link #train} runs. */
  int epochs();

  /** Steps per epoch, for a progress bar. */
  int stepsPerEpoch();

  /** The selection that scores this trainer's epochs, or null when the model keeps the last epoch. */
  EpochSelection selection();

  /**
   * Trains for the configured epochs; the nets live in {@code manager}.
   *
   * @throws IllegalArgumentException when the loss stops being finite (the learning rate is too large for the data)
   * @throws IOException when a checkpoint cannot be written or read
   */
  HashFunctions train(NDManager manager, Listener listener) throws IOException;
}
