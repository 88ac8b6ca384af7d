package org.bicmr.training.images.vision;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A TF.js graph model ({@code format: graph-model}): the nodes of its TensorFlow GraphDef in topological order and
 * its constants, decoded from the weight shards: float32 stored raw, as float16 ({@code quantization.dtype: float16})
 * or affine uint8/uint16, and int32.
 *
 * @param nodes every node except constants, in the order the graph lists them (TF.js writes them topologically)
 * @param constants every constant by node name
 */
record TfjsGraph(List<Node> nodes, Map<String, Constant> constants) {

  /**
   * One operation.
   *
   * @param inputs the names of its input nodes (a {@code :n} output suffix and control inputs {@code ^x} removed)
   * @param attributes its {@code attr} object as written
   */
  record Node(String name, String op, List<String> inputs, JsonObject attributes) {
    /** A list-of-ints attribute (strides, dilations). */
    int[] ints(String attribute) {
      JsonArray values = list(attribute).getAsJsonArray("i");
      int[] out = new int[values == null ? 0 : values.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = values.get(i).getAsInt();
      }
      return out;
    }

    /** A string attribute (base64 in the JSON), or null when absent. */
    String string(String attribute) {
      JsonObject a = attributes.getAsJsonObject(attribute);
      return a == null || !a.has("s") ? null
          : new String(Base64.getDecoder().decode(a.get("s").getAsString()), StandardCharsets.UTF_8);
    }

    /** A list-of-strings attribute (fused_ops). */
    List<String> strings(String attribute) {
      JsonObject a = attributes.getAsJsonObject(attribute);
      List<String> out = new ArrayList<>();
      if (a != null && a.has("list") && a.getAsJsonObject("list").has("s")) {
        for (JsonElement s : a.getAsJsonObject("list").getAsJsonArray("s")) {
          out.add(new String(Base64.getDecoder().decode(s.getAsString()), StandardCharsets.UTF_8));
        }
      }
      return out;
    }

    /** A boolean attribute; false when absent. */
    boolean flag(String attribute) {
      JsonObject a = attributes.getAsJsonObject(attribute);
      return a != null && a.has("b") && a.get("b").getAsBoolean();
    }

    private JsonObject list(String attribute) {
      JsonObject a = attributes.getAsJsonObject(attribute);
      if (a == null || !a.has("list")) {
        throw new IllegalArgumentException("node " + name + " (" + op + ") has no list attribute " + attribute);
      }
      return a.getAsJsonObject("list");
    }
  }

  /** A constant: float values (int32 ones converted) in TensorFlow's layout, with their shape. */
  record Constant(String name, int[] shape, float[] values) {}

  /** Reads {@code modelFile} (a graph model's JSON) and its shards through {@code files}. */
  static TfjsGraph read(String modelFile, TfjsModel.Files files) throws IOException {
    JsonObject root = JsonParser.parseString(new String(files.read(modelFile), StandardCharsets.UTF_8))
        .getAsJsonObject();
    if (!root.has("format") || !"graph-model".equals(root.get("format").getAsString())) {
      throw new IllegalArgumentException(modelFile + ": format is " + root.get("format") + ", expected graph-model");
    }
    JsonArray jsonNodes = root.getAsJsonObject("modelTopology").getAsJsonArray("node");
    Map<String, Constant> constants = new LinkedHashMap<>();
    for (JsonElement g : root.getAsJsonArray("weightsManifest")) {
      JsonObject group = g.getAsJsonObject();
      ByteArrayOutputStream data = new ByteArrayOutputStream();
      for (JsonElement p : group.getAsJsonArray("paths")) {
        data.writeBytes(files.read(p.getAsString()));
      }
      decode(modelFile, group.getAsJsonArray("weights"), data.toByteArray(), constants);
    }
    List<Node> nodes = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (JsonElement e : jsonNodes) {
      JsonObject n = e.getAsJsonObject();
      String name = n.get("name").getAsString();
      String op = n.get("op").getAsString();
      if (!names.add(name)) {
        throw new IllegalArgumentException(modelFile + ": node " + name + " appears twice");
      }
      if (op.equals("Const")) {
        if (!constants.containsKey(name)) {
          throw new IllegalArgumentException(modelFile + ": constant " + name + " has no weights in the manifest");
        }
        continue;
      }
      List<String> inputs = new ArrayList<>();
      if (n.has("input")) {
        for (JsonElement i : n.getAsJsonArray("input")) {
          String input = i.getAsString();
          if (input.startsWith("^")) {
            continue; // a control dependency, no data
          }
          int colon = input.indexOf(':');
          inputs.add(colon < 0 ? input : input.substring(0, colon));
        }
      }
      nodes.add(new Node(name, op, List.copyOf(inputs),
          n.has("attr") ? n.getAsJsonObject("attr") : new JsonObject()));
    }
    return new TfjsGraph(List.copyOf(nodes), constants);
  }

  private static void decode(String modelFile, JsonArray weights, byte[] data, Map<String, Constant> out) {
    ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    for (JsonElement e : weights) {
      JsonObject w = e.getAsJsonObject();
      String name = w.get("name").getAsString();
      JsonArray dims = w.getAsJsonArray("shape");
      int[] shape = new int[dims.size()];
      long count = 1;
      for (int i = 0; i < shape.length; i++) {
        shape[i] = dims.get(i).getAsInt();
        count *= shape[i];
      }
      String dtype = w.get("dtype").getAsString();
      JsonObject q = w.getAsJsonObject("quantization");
      String stored = q == null ? dtype : q.get("dtype").getAsString();
      int width = switch (stored) {
        case "float32", "int32" -> 4;
        case "float16", "uint16" -> 2;
        case "uint8" -> 1;
        default -> throw new IllegalArgumentException(modelFile + ": weight " + name + " is stored as " + stored
            + ", expected float32, float16, int32, uint8 or uint16");
      };
      if (in.remaining() < count * width) {
        throw new IllegalArgumentException(modelFile + ": weight " + name + " needs " + count * width + " bytes at "
            + in.position() + ", the shards have " + in.remaining() + " left");
      }
      float[] values = new float[Math.toIntExact(count)];
      for (int i = 0; i < values.length; i++) {
        values[i] = switch (stored) {
          case "float32" -> in.getFloat();
          case "int32" -> in.getInt();
          case "float16" -> Float.float16ToFloat(in.getShort());
          default -> {
            int code = width == 1 ? Byte.toUnsignedInt(in.get()) : Short.toUnsignedInt(in.getShort());
            yield (float) (code * q.get("scale").getAsDouble() + q.get("min").getAsDouble());
          }
        };
      }
      if (out.put(name, new Constant(name, shape, values)) != null) {
        throw new IllegalArgumentException(modelFile + ": weight " + name + " appears twice");
      }
    }
    if (in.hasRemaining()) {
      throw new IllegalArgumentException(modelFile + ": the shards hold " + data.length + " bytes, the manifest's "
          + "weights use " + in.position());
    }
  }

  /** The node named {@code name}. */
  Node node(String name) {
    for (Node n : nodes) {
      if (n.name().equals(name)) {
        return n;
      }
    }
    throw new IllegalArgumentException("the graph has no node " + name);
  }

  /** The nodes {@code tap} depends on, and {@code tap}, in graph order (constants left out). */
  List<Node> ancestors(String tap) {
    Map<String, Node> byName = new LinkedHashMap<>();
    nodes.forEach(n -> byName.put(n.name(), n));
    if (!byName.containsKey(tap)) {
      throw new IllegalArgumentException("the graph has no node " + tap + " to tap");
    }
    Set<String> needed = new HashSet<>();
    List<String> stack = new ArrayList<>(List.of(tap));
    while (!stack.isEmpty()) {
      String name = stack.remove(stack.size() - 1);
      Node n = byName.get(name);
      if (n != null && needed.add(name)) {
        stack.addAll(n.inputs());
      }
    }
    return nodes.stream().filter(n -> needed.contains(n.name())).toList();
  }
}
