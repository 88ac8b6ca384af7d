package org.bicmr.training.baseline;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.bicmr.training.model.HashFunctions;

/**
 * A baseline method's training on the training pairs: what {@code bicmr train --method NAME} runs and writes into a
 * model directory, whatever the method (DCMH, PRDH, SSAH, AGAH).
 */
public interface BaselineTrainer {

  /** Hears about training progress (a progress bar, a log). */
  interface Listener {
    /** After each step with the step's loss. */
    default void stepDone(int epoch, int step, int steps, double loss) {}

    /**
     * After each epoch with the method's loss terms and its total ({@link #termNames()} order) and the hash functions
     * as they are now (for model selection: they change with the next epoch).
     */
    default void epochDone(int epoch, double[] terms, double seconds, HashFunctions nets) {}
  }

  /** The method's name in {@code model.json}. */
  String method();

  /** The loss terms that {@link Listener#epochDone} reports, the total last. */
  List<String> termNames();

  /** Steps per epoch, for a progress bar. */
  int stepsPerEpoch();

  /**
   * Trains for the schedule's epochs; the nets live in {@code manager}.
   *
   * @throws IllegalArgumentException when the loss stops being finite (the learning rate is too large for the data)
   */
  HashFunctions train(NDManager manager, Listener listener);
}
