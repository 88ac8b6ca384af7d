package org.bicmr.training.export;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.List;
import org.bicmr.training.model.BiCmrNetwork;

/**
 * Reads the dense layers out of one of {@code BiCmrNetwork}'s hash nets: a {@link SequentialBlock} of {@link Linear}
 * blocks, each followed by a named activation block — ReLU after a hidden layer, the identity inside the released
 * variant's linear bottleneck, tanh after the last (the hash layer), as {@code BiCmrNetwork} builds them. Anything
 * else (an unnamed activation, tanh before the last layer) is refused rather than exported wrongly.
 */
final class HashNetLayers {
  private HashNetLayers() {}

  /**
   * {@code layers} with an input standardisation {mean μ, inverse deviation s} folded into the first layer, so the
   * exported net reads raw features: W'[o][i] = W[o][i] s[i], b'[o] = b[o] − Σ_i W[o][i] s[i] μ[i]. Unchanged when
   * {@code standardization} is null.
   */
  static List<DenseLayer> standardized(List<DenseLayer> layers, float[][] standardization) {
    if (standardization == null) {
      return layers;
    }
    DenseLayer first = layers.get(0);
    float[] mean = standardization[0];
    float[] scale = standardization[1];
    float[] w = first.weight().clone();
    float[] b = first.bias().clone();
    for (int o = 0; o < first.outputs(); o++) {
      double shift = 0;
      for (int i = 0; i < first.inputs(); i++) {
        w[o * first.inputs() + i] *= scale[i];
        shift += (double) w[o * first.inputs() + i] * mean[i];
      }
      b[o] -= (float) shift;
    }
    List<DenseLayer> out = new ArrayList<>(layers);
    out.set(0, new DenseLayer(first.inputs(), first.outputs(), w, b, first.activation()));
    return out;
  }

  static List<DenseLayer> of(String name, SequentialBlock net) {
    List<Block> children = new ArrayList<>();
    net.getChildren().values().forEach(children::add);
    if (children.isEmpty() || children.size() % 2 != 0) {
      throw new IllegalArgumentException(
          name + " net: expected Linear/activation pairs, got " + children.size() + " blocks");
    }
    List<DenseLayer> layers = new ArrayList<>();
    for (int i = 0; i < children.size(); i += 2) {
      if (!(children.get(i) instanceof Linear linear) || !(children.get(i + 1) instanceof LambdaBlock activation)) {
        throw new IllegalArgumentException(name + " net: block " + i + " is " + children.get(i).getClass().getSimpleName()
            + " followed by " + children.get(i + 1).getClass().getSimpleName() + ", expected Linear and an activation");
      }
      NDArray w = linear.getParameters().get("weight").getArray();
      NDArray b = linear.getParameters().get("bias").getArray();
      int outputs = Math.toIntExact(w.getShape().get(0));
      int inputs = Math.toIntExact(w.getShape().get(1));
      boolean last = i == children.size() - 2;
      DenseLayer.Activation kind = switch (activation.getName()) {
        case "ReLU" -> DenseLayer.Activation.RELU;
        case "Tanh" -> DenseLayer.Activation.TANH;
        case BiCmrNetwork.IDENTITY -> DenseLayer.Activation.IDENTITY;
        default -> throw new IllegalArgumentException(name + " net: block " + (i + 1) + " is the activation \""
            + activation.getName() + "\", expected ReLU, Tanh or " + BiCmrNetwork.IDENTITY);
      };
      if (last != (kind == DenseLayer.Activation.TANH)) {
        throw new IllegalArgumentException(name + " net: tanh must follow the last layer and only it, got "
            + kind + " after layer " + i / 2 + " of " + children.size() / 2);
      }
      layers.add(new DenseLayer(inputs, outputs, w.toFloatArray(), b.toFloatArray(), kind));
    }
    return layers;
  }
}
