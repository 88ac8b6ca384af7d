package org.bicmr.training.images.vision;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decodes one TF.js weights group: the group's shards concatenated, the weights one after another in manifest order,
 * each either raw little-endian float32 or quantised ({@code quantization: {dtype: uint8|uint16, scale, min}}, value
 * {@code q * scale + min}).
 */
final class TfjsWeights {
  private TfjsWeights() {}

  /** One weight tensor, dequantised. */
  record Weight(String name, int[] shape, float[] values) {
    int size() {
      return values.length;
    }

    @Override
    public String toString() {
      return name + Arrays.toString(shape);
    }
  }

  /** The weights of one manifest group, by name, from the bytes of its shards in order. */
  static Map<String, Weight> decode(Iterable<JsonElement> weights, byte[] data) {
    ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    Map<String, Weight> out = new LinkedHashMap<>();
    for (JsonElement e : weights) {
      JsonObject w = e.getAsJsonObject();
      String name = w.get("name").getAsString();
      int[] shape = new int[w.getAsJsonArray("shape").size()];
      long count = 1;
      for (int i = 0; i < shape.length; i++) {
        shape[i] = w.getAsJsonArray("shape").get(i).getAsInt();
        count *= shape[i];
      }
      String dtype = w.get("dtype").getAsString();
      if (!dtype.equals("float32")) {
        throw new IllegalArgumentException("weight " + name + ": dtype is " + dtype + ", expected float32");
      }
      float[] values = new float[Math.toIntExact(count)];
      JsonObject q = w.getAsJsonObject("quantization");
      String stored = q == null ? "float32" : q.get("dtype").getAsString();
      int width = switch (stored) {
        case "float32" -> 4;
        case "uint8" -> 1;
        case "uint16" -> 2;
        default -> throw new IllegalArgumentException("weight " + name + ": quantization.dtype is " + stored
            + ", expected uint8 or uint16");
      };
      if (in.remaining() < count * width) {
        throw new IllegalArgumentException("weight " + name + Arrays.toString(shape) + " needs " + count * width
            + " bytes at offset " + in.position() + " but the shards have " + in.remaining() + " left");
      }
      if (q == null) {
        in.asFloatBuffer().get(values);
        in.position(in.position() + values.length * 4);
      } else {
        if (!q.has("scale") || !q.has("min")) {
          throw new IllegalArgumentException("weight " + name + ": quantization " + q + " lacks scale or min "
              + "(only affine quantisation is read)");
        }
        double scale = q.get("scale").getAsDouble();
        double min = q.get("min").getAsDouble();
        for (int i = 0; i < values.length; i++) {
          int code = width == 1 ? Byte.toUnsignedInt(in.get()) : Short.toUnsignedInt(in.getShort());
          values[i] = (float) (code * scale + min);
        }
      }
      if (out.put(name, new Weight(name, shape, values)) != null) {
        throw new IllegalArgumentException("weight " + name + " appears twice in the manifest");
      }
    }
    if (in.hasRemaining()) {
      throw new IllegalArgumentException("the shards hold " + data.length + " bytes but the manifest's weights use "
          + in.position());
    }
    return out;
  }
}
