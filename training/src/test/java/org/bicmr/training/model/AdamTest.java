package org.bicmr.training.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdamTest {

  private static Parameter parameter(NDManager m, String name) {
    Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build();
    NDArray w = m.create(new float[] {1f, 2f, 3f});
    w.setRequiresGradient(true);
    p.setArray(w);
    return p;
  }

  @Test
  void namesTheParametersWhoseGradientIsNotFinite() {
    try (NDManager m = NDManager.newBaseManager()) {
      Parameter finite = parameter(m, "finite");
      Parameter nan = parameter(m, "nan");
      Parameter infinite = parameter(m, "infinite");
      Adam adam = new Adam(List.of(finite, nan, infinite), m);
      try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
        // d/dw Σ w·x = x: the gradients are exactly these inputs
        NDArray loss = finite.getArray().mul(m.create(new float[] {1f, -1f, 0.5f})).sum()
            .add(nan.getArray().mul(m.create(new float[] {1f, Float.NaN, 0f})).sum().mul(0))
            .add(infinite.getArray().mul(m.create(new float[] {Float.POSITIVE_INFINITY, 0f, 0f})).sum().mul(0));
        c.backward(loss);
      }
      assertEquals(List.of(nan, infinite), adam.nonFiniteGradients());
      assertEquals(List.of(nan, infinite), adam.nonFiniteGradients(), "asking changes nothing");
      adam.clearGradients();
      assertEquals(List.of(), adam.nonFiniteGradients());
      for (Parameter p : List.of(finite, nan, infinite)) {
        assertArrayEquals(new float[3], p.getArray().getGradient().toFloatArray(), p.getName());
      }
    }
  }

  @Test
  void finiteGradientsNameNothing() {
    try (NDManager m = NDManager.newBaseManager()) {
      Parameter p = parameter(m, "w");
      Adam adam = new Adam(List.of(p), m);
      try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
        c.backward(p.getArray().square().sum());
      }
      assertEquals(List.of(), adam.nonFiniteGradients());
    }
  }

  /**
   * One AdamW step by hand: with gradient g on the first step, m̂ = g and v̂ = g², so the Adam part moves each weight by
   * lr · g / (|g| + ε) ≈ lr · sign(g), after the weight was shrunk by the factor 1 − lr · wd.
   */
  @Test
  void weightDecayShrinksEachWeightBeforeTheAdamStep() {
    try (NDManager m = NDManager.newBaseManager()) {
      Parameter p = parameter(m, "w"); // weights 1, 2, 3
      double lr = 0.1;
      double wd = 0.5;
      Adam adam = new Adam(List.of(p), m, 0.9, wd);
      float[] g = {2f, -1f, 0f};
      try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
        c.backward(p.getArray().mul(m.create(g)).sum()); // d/dw Σ w·g = g
      }
      adam.step(lr);
      float[] w = {1f, 2f, 3f};
      float[] expected = new float[3];
      for (int i = 0; i < 3; i++) {
        expected[i] = (float) (w[i] * (1 - lr * wd) - lr * g[i] / (Math.abs(g[i]) + 1e-8));
      }
      assertArrayEquals(expected, p.getArray().toFloatArray(), 1e-6f); // 0.85, 2.0, 2.85
    }
  }

  @Test
  void aNegativeWeightDecayIsRefused() {
    try (NDManager m = NDManager.newBaseManager()) {
      Parameter p = parameter(m, "w");
      String message = assertThrows(IllegalArgumentException.class,
          () -> new Adam(List.of(p), m, 0.9, -0.1)).getMessage();
      assertTrue(message.contains("weight decay") && message.contains("-0.1"),
          message);
    }
  }
}
