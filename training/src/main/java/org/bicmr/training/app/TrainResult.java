package org.bicmr.training.app;

import java.util.List;
import org.bicmr.training.model.TrainedModel;

/**
 * What {@link Training#train} did.
 *
 * @param meta the metadata written into the model directory
 * @param epochSeconds each epoch's wall-clock seconds, in the order they ran
 */
public record TrainResult(TrainedModel.Meta meta, List<Double> epochSeconds) {
  public TrainResult {
    epochSeconds = List.copyOf(epochSeconds);
  }

  /** The median epoch: robust to the first epoch's start-up and to a resumed run's fewer epochs; NaN without one. */
  public double medianEpochSeconds() {
    if (epochSeconds.isEmpty()) {
      return Double.NaN;
    }
    double[] sorted = epochSeconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
