package org.bicmr.training.export;

/**
 * One fully connected layer of a hash net, {@code y = activation(x Wᵀ + b)}, with the weights as DJL's {@code Linear}
 * holds them: {@code weight} is {@code outputs × inputs}, row-major.
 */
record DenseLayer(int inputs, int outputs, float[] weight, float[] bias, Activation activation) {

  /** What follows the affine map: ReLU on hidden layers, tanh on the hash layer, nothing inside a bottleneck. */
  enum Activation {
    RELU("Relu"),
    TANH("Tanh"),
    /** No operator: the affine map's output goes on unchanged (the released variant's linear bottleneck). */
    IDENTITY(null);

    final String onnxOperator;

    Activation(String onnxOperator) {
      this.onnxOperator = onnxOperator;
    }
  }

  DenseLayer {
    if (inputs < 1 || outputs < 1) {
      throw new IllegalArgumentException("a layer needs at least one input and output, got " + inputs + " → " + outputs);
    }
    if (weight.length != (long) inputs * outputs) {
      throw new IllegalArgumentException(
          "weight of a " + inputs + " → " + outputs + " layer must hold " + (long) inputs * outputs + " values, got "
              + weight.length);
    }
    if (bias.length != outputs) {
      throw new IllegalArgumentException("bias of a layer with " + outputs + " outputs has " + bias.length + " values");
    }
  }
}
