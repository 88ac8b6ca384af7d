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
import java.util.Random;

/**
 * A tiny seeded image feature extractor for tests, in the shape of the converted MobileNetV2: {@code image[batch, 3,
 * size, size] → AveragePool(size/4) → Flatten → 48 → Gemm → features[batch, dim]}: a 4 × 4 grid of mean colours,
 * mixed linearly, so images of different colours or layouts give different features.
 */
public final class TinyExtractor {
  static final int GRID = 4;

  private TinyExtractor() {}

  public static byte[] model(int size, int dim, long seed) {
    if (size % GRID != 0) {
      throw new IllegalArgumentException("size must be a multiple of " + GRID + ", got " + size);
    }
    int cells = 3 * GRID * GRID;
    Random random = new Random(seed);
    float[] weight = new float[dim * cells];
    for (int i = 0; i < weight.length; i++) {
      weight[i] = (float) (random.nextGaussian() * 0.5);
    }
    float[] bias = new float[dim];
    for (int i = 0; i < dim; i++) {
      bias[i] = (float) (random.nextGaussian() * 0.1 - 0.5);
    }
    long k = size / GRID;
    GraphProto.Builder graph = GraphProto.newBuilder().setName("tiny_extractor")
        .addInput(floats("image", -1, 3, size, size))
        .addOutput(floats("features", -1, dim))
        .addInitializer(tensor("weight", weight, dim, cells))
        .addInitializer(tensor("bias", bias, dim))
        .addNode(NodeProto.newBuilder().setName("pool").setOpType("AveragePool").addInput("image").addOutput("pooled")
            .addAttribute(ints("kernel_shape", k, k)).addAttribute(ints("strides", k, k)))
        .addNode(NodeProto.newBuilder().setName("flatten").setOpType("Flatten").addInput("pooled").addOutput("flat")
            .addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT)
                .setI(1)))
        .addNode(NodeProto.newBuilder().setName("mix").setOpType("Gemm").addInput("flat").addInput("weight")
            .addInput("bias").addOutput("features")
            .addAttribute(AttributeProto.newBuilder().setName("transB").setType(AttributeProto.AttributeType.INT)
                .setI(1)));
    return ModelProto.newBuilder().setIrVersion(8)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
        .setProducerName("bicmr-test").setDocString("tiny image feature extractor (test fixture)")
        .setGraph(graph).build().toByteArray();
  }

  private static AttributeProto ints(String name, long... values) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }

  private static ValueInfoProto floats(String name, long... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long d : dims) {
      shape.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("batch")
          : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
        TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
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
