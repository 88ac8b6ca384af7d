package org.bicmr.training.baseline;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.XavierInitializer;
import java.util.ArrayList;
import java.util.List;

/**
 * A fully connected net whose layers are linear with ReLU between them and no activation after the last (the caller
 * applies tanh or sigmoid): the auxiliary nets of SSAH and AGAH (label net, label predictors, discriminators), which
 * are trained but not saved. Xavier-initialised, seeded. Its forward pass is written out, so that {@link
 * #inputGradient} can give ∂(Σ outputs)/∂input as an expression that autograd differentiates again (WGAN-GP).
 */
final class Dense {
  private final List<Parameter> weights = new ArrayList<>();
  private final List<Parameter> biases = new ArrayList<>();

  /** Layers of the given widths (the last is the output) on inputs of width {@code inputDim}. */
  Dense(int inputDim, int[] widths, long seed, NDManager manager) {
    if (inputDim < 1 || widths.length == 0) {
      throw new IllegalArgumentException("a dense net needs an input width and at least one layer, got "
          + inputDim + " and " + widths.length + " layers");
    }
    SequentialBlock block = new SequentialBlock();
    for (int width : widths) {
      if (width < 1) {
        throw new IllegalArgumentException("layer widths must be at least 1, got " + width);
      }
      block.add(Linear.builder().setUnits(width).build());
    }
    Engine.getInstance().setRandomSeed((int) seed);
    block.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
    block.initialize(manager, DataType.FLOAT32, new Shape(1, inputDim));
    for (var layer : block.getChildren().values()) {
      var parameters = layer.getParameters();
      weights.add(parameters.get("weight"));
      biases.add(parameters.get("bias"));
    }
  }

  /** The outputs (rows of x are items). */
  NDArray forward(NDArray x) {
    return forward(x, false);
  }

  /** The outputs with the weights held fixed: a gradient reaches x, not the weights (a generator's step). */
  NDArray forwardFixed(NDArray x) {
    return forward(x, true);
  }

  private NDArray forward(NDArray x, boolean fixed) {
    NDArray h = x;
    for (int i = 0; i < weights.size(); i++) {
      NDArray w = weights.get(i).getArray();
      NDArray b = biases.get(i).getArray();
      h = h.matMul(fixed ? w.stopGradient().transpose() : w.transpose()).add(fixed ? b.stopGradient() : b);
      if (i < weights.size() - 1) {
        h = h.maximum(0);
      }
    }
    return h;
  }

  /**
   * For a net with one output: the gradient of each row's output with respect to that row's input, Wᵀ₁ (m₁ ⊙ Wᵀ₂
   * (m₂ ⊙ … wₗ)), where mₖ are the ReLU masks at x (constant almost everywhere); a function of the weights.
   */
  NDArray inputGradient(NDArray x) {
    List<NDArray> masks = new ArrayList<>();
    NDArray h = x.stopGradient();
    for (int i = 0; i < weights.size() - 1; i++) {
      h = h.matMul(weights.get(i).getArray().transpose()).add(biases.get(i).getArray());
      masks.add(h.gt(0).toType(h.getDataType(), false));
      h = h.maximum(0);
    }
    int last = weights.size() - 1;
    // back from the output: g (rows × width of layer k) = (g_{k+1} Wₖ₊₁) ⊙ mₖ
    NDArray g = weights.get(last).getArray(); // 1 × width
    for (int i = last - 1; i >= 0; i--) {
      g = masks.get(i).mul(g).matMul(weights.get(i).getArray());
    }
    return g.getShape().get(0) == x.getShape().get(0) ? g : g.broadcast(x.getShape());
  }

  /** The parameters, for an {@link Updater}. */
  List<Parameter> parameters() {
    List<Parameter> all = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      all.add(weights.get(i));
      all.add(biases.get(i));
    }
    return all;
  }
}
