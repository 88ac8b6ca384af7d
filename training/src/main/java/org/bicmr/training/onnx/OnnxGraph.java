package org.bicmr.training.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Builds one ONNX graph with the generated classes of {@code onnx-ml.proto} (Tribuo's {@code ai.onnx.proto.OnnxMl}):
 * float initializers, nodes in topological order, inputs and outputs with a symbolic batch dimension. Opset 13, IR
 * version 8. Every name must be new. The image converters and the hash-net export write their graphs with it.
 */
public final class OnnxGraph {
  /** The ONNX operator set the graphs use. */
  public static final int OPSET = 13;
  /** The ONNX IR version of the models. */
  public static final long IR_VERSION = 8;
  /** The symbolic name of every input's and output's first dimension. */
  public static final String BATCH = "batch";

  private final GraphProto.Builder graph;
  private final Set<String> names = new HashSet<>();

  /** An empty graph called {@code name}. */
  public OnnxGraph(String name) {
    graph = GraphProto.newBuilder().setName(name);
  }

  /** A float input {@code [batch, dims...]}. */
  public void input(String name, long... dims) {
    claim(name);
    graph.addInput(floatTensor(name, dims));
  }

  /** Declares the existing tensor {@code name} an output {@code [batch, dims...]}. */
  public void output(String name, long... dims) {
    graph.addOutput(floatTensor(name, dims));
  }

  /** A float initializer of shape {@code dims}; returns its name. */
  public String floats(String name, float[] values, long... dims) {
    claim(name);
    ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(values);
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
        .setRawData(ByteString.copyFrom(raw.array()));
    for (long d : dims) {
      t.addDims(d);
    }
    graph.addInitializer(t);
    return name;
  }

  /** A one-dimensional int64 initializer; returns its name. */
  public String longs(String name, long... values) {
    claim(name);
    ByteBuffer raw = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    raw.asLongBuffer().put(values);
    graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
        .addDims(values.length).setRawData(ByteString.copyFrom(raw.array())));
    return name;
  }

  /** A float scalar initializer. */
  public String scalar(String name, float value) {
    return floats(name, new float[] {value});
  }

  /** Adds a node with one output named {@code output}, which it returns. */
  public String node(String op, String output, String[] inputs, AttributeProto... attributes) {
    claim(output);
    NodeProto.Builder n = NodeProto.newBuilder().setName(output).setOpType(op).addOutput(output);
    for (String in : inputs) {
      n.addInput(in);
    }
    for (AttributeProto a : attributes) {
      n.addAttribute(a);
    }
    graph.addNode(n);
    return output;
  }

  /** An INTS attribute. */
  public static AttributeProto ints(String name, long... values) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }

  /** An INT attribute. */
  public static AttributeProto integer(String name, long value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
  }

  /** A FLOAT attribute. */
  public static AttributeProto real(String name, float value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
  }

  /** A STRING attribute. */
  public static AttributeProto text(String name, String value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
        .setS(ByteString.copyFromUtf8(value)).build();
  }

  /** The serialised model: this graph, producer "bicmr", the given version, doc string and metadata. */
  public byte[] model(String producerVersion, String doc, Map<String, String> metadata) {
    ModelProto.Builder m = ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setProducerName("bicmr")
        .setProducerVersion(producerVersion)
        .setDocString(doc)
        .setGraph(graph);
    metadata.forEach((k, v) -> m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
    return m.build().toByteArray();
  }

  private void claim(String name) {
    if (!names.add(name)) {
      throw new IllegalStateException("ONNX name " + name + " is used twice");
    }
  }

  private static ValueInfoProto floatTensor(String name, long... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH));
    for (long d : dims) {
      shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return ValueInfoProto.newBuilder().setName(name)
        .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
            .setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape)))
        .build();
  }
}
