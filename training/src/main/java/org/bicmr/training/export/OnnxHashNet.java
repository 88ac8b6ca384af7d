package org.bicmr.training.export;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The ONNX graph of one hash net's inference path: {@code input[batch, d] → Gemm → Relu → … → Gemm → Tanh →
 * output[batch, l]}, weights as float initializers, the batch dimension symbolic. Built with the generated classes of
 * the official {@code onnx-ml.proto} (Tribuo's {@code ai.onnx.proto.OnnxMl}), opset 13, IR version 8.
 */
final class OnnxHashNet {
  static final int OPSET = 13;
  static final long IR_VERSION = 8;
  static final String BATCH = "batch";

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
    GraphProto.Builder graph = GraphProto.newBuilder().setName("bicmr_hash_net")
        .addInput(floatMatrix(input, layers.get(0).inputs()))
        .addOutput(floatMatrix(output, layers.get(layers.size() - 1).outputs()));
    String current = input;
    for (int i = 0; i < layers.size(); i++) {
      DenseLayer layer = layers.get(i);
      String w = "layer" + i + ".weight";
      String b = "layer" + i + ".bias";
      graph.addInitializer(tensor(w, layer.weight(), layer.outputs(), layer.inputs()));
      graph.addInitializer(tensor(b, layer.bias(), layer.outputs()));
      String affine = "layer" + i + ".affine";
      graph.addNode(NodeProto.newBuilder().setName("layer" + i + ".gemm").setOpType("Gemm")
          .addInput(current).addInput(w).addInput(b).addOutput(affine)
          .addAttribute(AttributeProto.newBuilder().setName("transB").setType(AttributeProto.AttributeType.INT).setI(1)));
      if (layer.activation() == DenseLayer.Activation.IDENTITY) {
        if (i == layers.size() - 1) {
          throw new IllegalArgumentException("the last layer of a hash net needs an activation (tanh), got none");
        }
        current = affine;
        continue;
      }
      String activated = i == layers.size() - 1 ? output : "layer" + i + ".out";
      graph.addNode(NodeProto.newBuilder().setName("layer" + i + "." + layer.activation().onnxOperator.toLowerCase(
              java.util.Locale.ROOT))
          .setOpType(layer.activation().onnxOperator).addInput(affine).addOutput(activated));
      current = activated;
    }
    return ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setProducerName("bicmr")
        .setProducerVersion(producerVersion)
        .setDocString(doc)
        .setGraph(graph)
        .build()
        .toByteArray();
  }

  private static ValueInfoProto floatMatrix(String name, int columns) {
    TensorShapeProto shape = TensorShapeProto.newBuilder()
        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH))
        .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(columns))
        .build();
    return ValueInfoProto.newBuilder().setName(name)
        .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
            .setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape)))
        .build();
  }

  private static TensorProto tensor(String name, float[] values, long... dims) {
    ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(values);
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
        .setRawData(ByteString.copyFrom(raw.array()));
    for (long d : dims) {
      t.addDims(d);
    }
    return t.build();
  }
}
