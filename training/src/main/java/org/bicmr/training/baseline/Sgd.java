package org.bicmr.training.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import java.util.List;

/** Plain SGD with weight decay, as DCMH's released code updates its nets: w −= lr · (∇w + decay · w). */
final class Sgd {
  private final List<Parameter> parameters;
  private final double weightDecay;

  Sgd(List<Parameter> parameters, double weightDecay) {
    this.parameters = List.copyOf(parameters);
    this.weightDecay = weightDecay;
  }

  /** One update from the parameters' gradients, which it then clears. */
  void step(double lr) {
    try (NDScope scope = new NDScope()) { // closes the temporaries, which live in the parameters' manager
      for (Parameter p : parameters) {
        NDArray weight = p.getArray();
        NDArray grad = weight.getGradient();
        weight.subi(grad.add(weight.mul(weightDecay)).muli(lr));
        grad.subi(grad); // gradients accumulate across collectors: clear them for the next step
      }
    }
  }
}
