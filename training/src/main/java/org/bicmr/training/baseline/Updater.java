package org.bicmr.training.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import java.util.List;
import org.bicmr.training.model.Adam;

/** Updates one net's parameters from their gradients by the schedule's optimizer, with weight decay. */
final class Updater {
  private final List<Parameter> parameters;
  private final double weightDecay;
  private final Adam adam;

  Updater(Schedule schedule, List<Parameter> parameters, NDManager manager) {
    this.parameters = List.copyOf(parameters);
    this.weightDecay = schedule.weightDecay();
    this.adam = schedule.optimizer() == Schedule.Optimizer.ADAM ? new Adam(parameters, manager) : null;
  }

  /** One update with learning rate {@code lr}; the gradients are cleared afterwards. */
  void step(double lr) {
    try (NDScope scope = new NDScope()) { // closes the temporaries, which live in the parameters' manager
      for (Parameter p : parameters) {
        NDArray weight = p.getArray();
        NDArray grad = weight.getGradient();
        if (weightDecay > 0) {
          grad.addi(weight.mul(weightDecay));
        }
        if (adam == null) {
          weight.subi(grad.mul(lr));
          grad.subi(grad); // gradients accumulate across collectors: clear them for the next step
        }
      }
    }
    if (adam != null) {
      adam.step(lr); // clears the gradients itself
    }
  }
}
