package org.bicmr.training.model;

/**
 * Decides, step by step, whether an update reaches the weights: a step whose gradient is not finite (while its loss
 * is) is skipped, as a mixed-precision trainer skips a step with an overflowing gradient, and training stops when
 * {@link #MAX_CONSECUTIVE} steps in a row had to be skipped — then the model is broken, not one step.
 */
final class StepGuard {
  /** Skipped steps in a row that stop training. */
  static final int MAX_CONSECUTIVE = 3;

  private int consecutive;
  private int skipped;

  /**
   * @param problem what is wrong with the step's gradient, or null when nothing is
   * @return whether to apply the step
   * @throws IllegalArgumentException when this is the {@link #MAX_CONSECUTIVE}th skipped step in a row
   */
  boolean admit(String problem) {
    if (problem == null) {
      consecutive = 0;
      return true;
    }
    skipped++;
    consecutive++;
    if (consecutive >= MAX_CONSECUTIVE) {
      throw new IllegalArgumentException(problem + "; " + consecutive + " steps in a row had gradients that are not "
          + "finite, so training stops (expected finite gradients)");
    }
    return false;
  }

  /** Steps skipped so far. */
  int skipped() {
    return skipped;
  }
}
