package org.bicmr.training.export;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the dense layers out of one of {@code BiCmrNetwork}'s hash nets: a {@link SequentialBlock} of {@link Linear}
 * blocks, each followed by an activation block — ReLU after every hidden layer and tanh after the last (the hash
 * layer), as {@code BiCmrNetwork} builds them. Anything else is refused rather than exported wrongly.
 */
final class HashNetLayers {
  private HashNetLayers() {}

  static List<DenseLayer> of(String name, SequentialBlock net) {
    List<Block> children = new ArrayList<>();
    net.getChildren().values().forEach(children::add);
    if (children.isEmpty() || children.size() % 2 != 0) {
      throw new IllegalArgumentException(
          name + " net: expected Linear/activation pairs, got " + children.size() + " blocks");
    }
    List<DenseLayer> layers = new ArrayList<>();
    for (int i = 0; i < children.size(); i += 2) {
      if (!(children.get(i) instanceof Linear linear) || !(children.get(i + 1) instanceof LambdaBlock)) {
        throw new IllegalArgumentException(name + " net: block " + i + " is " + children.get(i).getClass().getSimpleName()
            + " followed by " + children.get(i + 1).getClass().getSimpleName() + ", expected Linear and an activation");
      }
      NDArray w = linear.getParameters().get("weight").getArray();
      NDArray b = linear.getParameters().get("bias").getArray();
      int outputs = Math.toIntExact(w.getShape().get(0));
      int inputs = Math.toIntExact(w.getShape().get(1));
      boolean last = i == children.size() - 2;
      layers.add(new DenseLayer(inputs, outputs, w.toFloatArray(), b.toFloatArray(),
          last ? DenseLayer.Activation.TANH : DenseLayer.Activation.RELU));
    }
    return layers;
  }
}
