package org.bicmr.training.app;

import java.util.ArrayList;
import java.util.List;
import org.bicmr.training.model.EpochSelection;
import org.bicmr.training.model.HashFunctions;

/**
 * Training again on every training item once the validation items have chosen: the first run's scores are recorded
 * ({@link Recording}), and the second run, on the training items with the validation items put back, keeps the
 * candidate chosen then ({@link #replay}). A candidate is whatever a trainer scores in turn: an epoch (Bi-CMR, the
 * network baselines), a ridge penalty (the linear baseline). Both runs see the same settings and schedule, so the
 * second reaches the chosen epoch by the same steps, only over more items.
 */
final class Refit {
  private Refit() {}

  /** A score that records every value it gives, in order. */
  static final class Recording implements EpochSelection.Score {
    private final EpochSelection.Score score;
    private final List<Double> values = new ArrayList<>();

    Recording(EpochSelection.Score score) {
      this.score = score;
    }

    @Override
    public double of(HashFunctions nets) {
      double s = score.of(nets);
      values.add(s);
      return s;
    }

    @Override
    public String description() {
      return score.description();
    }

    /** Every value given, in order. */
    List<Double> values() {
      return List.copyOf(values);
    }

    /** The candidate chosen: the first with the largest value, as every trainer keeps the earlier of two equals. */
    int chosen() {
      if (values.isEmpty()) {
        throw new IllegalStateException("nothing was scored: the first run chose nothing to train again");
      }
      int best = 0;
      for (int i = 1; i < values.size(); i++) {
        if (values.get(i) > values.get(best)) {
          best = i;
        }
      }
      return best;
    }
  }

  /**
   * The score of the second run: 1 for its {@code chosen}-th scoring (0-based), 0 for every other, so that a trainer
   * keeps the same candidate as the first run chose.
   */
  static EpochSelection.Score replay(int chosen, String description) {
    if (chosen < 0) {
      throw new IllegalArgumentException("chosen must be at least 0, got " + chosen);
    }
    return new EpochSelection.Score() {
      private int calls;

      @Override
      public double of(HashFunctions nets) {
        return calls++ == chosen ? 1 : 0;
      }

      @Override
      public String description() {
        return description;
      }
    };
  }
}
