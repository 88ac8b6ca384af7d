package org.bicmr.training.export;

import java.util.List;
import java.util.Map;
import org.bicmr.training.onnx.OnnxGraph;

/**
 * The ONNX graph of one hash net's inference path: {@code input[batch, d] → Gemm → Relu → … → Gemm → Tanh →
 * output[batch, l]}, weights as float initializers, the batch dimension symbolic; written with {@link OnnxGraph}.
 */
final class OnnxHashNet {
  private OnnxHashNet() {}

  /** The serialised ONNX model. */
  static byte[] model(List<DenseLayer> layers, String input, String output, String producerVersion, String doc) {
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("a hash net needs at least one layer");
    }
    for (int i = 1; i < layers.size(); i++) {
      if (layers.get(i).inputs() != layers.get(i - 1).outputs()) {
        throw new IllegalArgumentException("layer " + i + " takes " + layers.get(i).inputs() + " inputs but layer "
            + (i - 1) + " gives " + layers.get(i - 1).outputs());
      }
    }
    OnnxGraph graph = new OnnxGraph("bicmr_hash_net");
    graph.input(input, layers.get(0).inputs());
    String current = input;
    for (int i = 0; i < layers.size(); i++) {
      DenseLayer layer = layers.get(i);
      String w = graph.floats("layer" + i + ".weight", layer.weight(), layer.outputs(), layer.inputs());
      String b = graph.floats("layer" + i + ".bias", layer.bias(), layer.outputs());
      String affine = graph.node("Gemm", "layer" + i + ".affine", new String[] {current, w, b},
          OnnxGraph.integer("transB", 1));
      if (layer.activation() == DenseLayer.Activation.IDENTITY) {
        if (i == layers.size() - 1) {
          throw new IllegalArgumentException("the last layer of a hash net needs an activation (tanh), got none");
        }
        current = affine;
        continue;
      }
      current = graph.node(layer.activation().onnxOperator, i == layers.size() - 1 ? output : "layer" + i + ".out",
          new String[] {affine});
    }
    graph.output(output, layers.get(layers.size() - 1).outputs());
    return graph.model(producerVersion, doc, Map.of());
  }
}
