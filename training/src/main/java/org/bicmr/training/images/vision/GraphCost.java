package org.bicmr.training.images.vision;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The multiply-adds of one image through an image graph such as {@code bicmr convert-mobilenet} writes: shapes are
 * propagated from the input ({@code [1, 3, H, W]}) through the operators the converter emits, and each {@code Conv}
 * counts {@code N·M·H_out·W_out·(C/group)·kH·kW}, each {@code Gemm} or {@code MatMul} {@code N·K·M}. Everything else
 * (batch norm, activations, adds, pooling, padding) is left out: it is memory-bound and small beside the
 * convolutions. An operator it does not know is an error naming it.
 */
public final class GraphCost {
  private static final Set<String> SAME_SHAPE = Set.of("BatchNormalization", "Relu", "Clip", "Sigmoid", "Tanh",
      "Identity", "Softmax", "Add", "Mul", "Sub", "Div");

  private final Map<String, long[]> shapes = new HashMap<>();
  private final Map<String, TensorProto> initializers = new HashMap<>();
  private long convMacs;
  private long gemmMacs;

  /**
   * The cost of one image through the graph of {@code onnx}.
   *
   * @throws IllegalArgumentException when the bytes are not an ONNX model or the graph uses an unknown operator
   */
  public static GraphCost of(byte[] onnx) {
    ModelProto model;
    try {
      model = ModelProto.parseFrom(onnx);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not an ONNX model: " + e.getMessage(), e);
    }
    GraphCost cost = new GraphCost();
    cost.walk(model.getGraph());
    return cost;
  }

  private GraphCost() {}

  /** Multiply-adds of the convolutions, one image. */
  public long convMultiplyAdds() {
    return convMacs;
  }

  /** Multiply-adds of the fully connected layers, one image. */
  public long gemmMultiplyAdds() {
    return gemmMacs;
  }

  /** All counted multiply-adds of one image. */
  public long multiplyAdds() {
    return convMacs + gemmMacs;
  }

  private void walk(GraphProto g) {
    for (TensorProto t : g.getInitializerList()) {
      initializers.put(t.getName(), t);
      shapes.put(t.getName(), t.getDimsList().stream().mapToLong(Long::longValue).toArray());
    }
    for (ValueInfoProto in : g.getInputList()) {
      if (!initializers.containsKey(in.getName())) {
        List<TensorShapeProto.Dimension> dims = in.getType().getTensorType().getShape().getDimList();
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
          shape[i] = dims.get(i).hasDimValue() ? dims.get(i).getDimValue() : 1; // the batch: one image
        }
        shapes.put(in.getName(), shape);
      }
    }
    for (NodeProto n : g.getNodeList()) {
      long[] out = node(n);
      shapes.put(n.getOutput(0), out);
    }
  }

  private long[] node(NodeProto n) {
    long[] x = shape(n, 0);
    switch (n.getOpType()) {
      case "Conv" -> {
        long[] w = shape(n, 1);
        long group = integer(n, "group", 1);
        long[] k = {w[2], w[3]};
        long[] out = window(n, x, k, w[0]);
        convMacs += out[0] * w[0] * out[2] * out[3] * (x[1] / group) * k[0] * k[1];
        return out;
      }
      case "Gemm", "MatMul" -> {
        long[] w = shape(n, 1);
        boolean transposed = n.getOpType().equals("Gemm") && integer(n, "transB", 0) == 1;
        long m = transposed ? w[0] : w[1];
        long kDim = x[x.length - 1];
        gemmMacs += x[0] * kDim * m;
        return new long[] {x[0], m};
      }
      case "MaxPool", "AveragePool" -> {
        long[] k = ints(n, "kernel_shape");
        return window(n, x, k, x[1]);
      }
      case "GlobalAveragePool", "GlobalMaxPool" -> {
        return new long[] {x[0], x[1], 1, 1};
      }
      case "Flatten" -> {
        long axis = integer(n, "axis", 1);
        long rest = 1;
        for (int i = (int) axis; i < x.length; i++) {
          rest *= x[i];
        }
        long lead = 1;
        for (int i = 0; i < axis; i++) {
          lead *= x[i];
        }
        return new long[] {lead, rest};
      }
      case "Transpose" -> {
        long[] perm = ints(n, "perm");
        long[] out = new long[x.length];
        for (int i = 0; i < out.length; i++) {
          out[i] = x[(int) perm[i]];
        }
        return out;
      }
      case "Pad" -> {
        long[] pads = longs(n.getInput(1));
        long[] out = x.clone();
        for (int i = 0; i < out.length; i++) {
          out[i] += pads[i] + pads[i + out.length];
        }
        return out;
      }
      default -> {
        if (SAME_SHAPE.contains(n.getOpType())) {
          long[] widest = x;
          for (int i = 1; i < n.getInputCount(); i++) {
            long[] other = shapes.get(n.getInput(i));
            if (other != null && other.length == widest.length && Arrays.stream(other).reduce(1, (a, b) -> a * b)
                > Arrays.stream(widest).reduce(1, (a, b) -> a * b)) {
              widest = other;
            }
          }
          return widest;
        }
        throw new IllegalArgumentException("node " + n.getName() + ": operator " + n.getOpType() + " is not one "
            + "the cost count knows");
      }
    }
  }

  /** The output shape of a sliding window (Conv, pooling) with {@code channels} output channels. */
  private static long[] window(NodeProto n, long[] x, long[] k, long channels) {
    long[] strides = ints(n, "strides");
    long[] pads = ints(n, "pads");
    long[] dilations = ints(n, "dilations");
    long[] out = {x[0], channels, 0, 0};
    for (int d = 0; d < 2; d++) {
      long s = strides.length > 0 ? strides[d] : 1;
      long dil = dilations.length > 0 ? dilations[d] : 1;
      long padded = x[2 + d] + (pads.length > 0 ? pads[d] + pads[d + 2] : 0);
      out[2 + d] = (padded - dil * (k[d] - 1) - 1) / s + 1;
    }
    return out;
  }

  private long[] shape(NodeProto n, int input) {
    long[] s = shapes.get(n.getInput(input));
    if (s == null) {
      throw new IllegalArgumentException("node " + n.getName() + ": input " + n.getInput(input) + " has no known "
          + "shape");
    }
    return s;
  }

  private long[] longs(String initializer) {
    TensorProto t = initializers.get(initializer);
    if (t == null) {
      throw new IllegalArgumentException("pads " + initializer + " are not a constant");
    }
    if (t.getInt64DataCount() > 0) {
      return t.getInt64DataList().stream().mapToLong(Long::longValue).toArray();
    }
    ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    long[] out = new long[b.remaining() / Long.BYTES];
    b.asLongBuffer().get(out);
    return out;
  }

  private static long integer(NodeProto n, String name, long fallback) {
    for (AttributeProto a : n.getAttributeList()) {
      if (a.getName().equals(name)) {
        return a.getI();
      }
    }
    return fallback;
  }

  private static long[] ints(NodeProto n, String name) {
    for (AttributeProto a : n.getAttributeList()) {
      if (a.getName().equals(name)) {
        return a.getIntsList().stream().mapToLong(Long::longValue).toArray();
      }
    }
    return new long[0];
  }
}
