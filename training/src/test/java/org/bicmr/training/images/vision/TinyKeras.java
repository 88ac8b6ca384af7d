package org.bicmr.training.images.vision;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * Writes small Keras models in the form nsfwjs ships them — {@code model.min.js} with the topology and weights
 * manifest as a minified JavaScript literal, {@code group1-shard1of1.min.js} with the weights as base64 — and reads
 * them back through {@link TfjsModel}. Layers chain to the previous one unless inputs are named.
 */
final class TinyKeras {
  private final JsonArray layers = new JsonArray();
  private final JsonArray manifest = new JsonArray();
  private final ByteArrayOutputStream shard = new ByteArrayOutputStream();
  private String last;

  TinyKeras(int h, int w, int c) {
    layer("InputLayer", "input_1", "{batch_input_shape: [null, " + h + ", " + w + ", " + c + "], dtype: 'float32'}");
  }

  /** Adds a layer; {@code config} is a JSON object (unquoted keys allowed); inputs default to the previous layer. */
  TinyKeras layer(String className, String name, String config, String... inputs) {
    JsonObject l = new JsonObject();
    l.addProperty("name", name);
    l.addProperty("class_name", className);
    JsonObject c = JsonParser.parseString(config).getAsJsonObject();
    c.addProperty("name", name);
    l.add("config", c);
    JsonArray nodes = new JsonArray();
    if (last != null) {
      JsonArray call = new JsonArray();
      for (String in : inputs.length == 0 ? new String[] {last} : inputs) {
        call.add(JsonParser.parseString("[\"" + in + "\", 0, 0, {}]"));
      }
      nodes.add(call);
    }
    l.add("inbound_nodes", nodes);
    layers.add(l);
    last = name;
    return this;
  }

  /** A float32 weight, stored as it is. */
  TinyKeras weight(String name, int[] shape, float... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    shard.writeBytes(b.array());
    manifest.add(entry(name, shape, null));
    return this;
  }

  /** A random weight in [lo, hi], stored uint8-quantised; returns nothing, the model reads what it dequantises. */
  TinyKeras random(String name, Random random, float lo, float hi, int... shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    for (int i = 0; i < n; i++) {
      shard.write(random.nextInt(256));
    }
    JsonObject q = new JsonObject();
    q.addProperty("min", (double) lo);
    q.addProperty("scale", (hi - lo) / 255.0);
    q.addProperty("dtype", "uint8");
    manifest.add(entry(name, shape, q));
    return this;
  }

  private static JsonObject entry(String name, int[] shape, JsonObject quantization) {
    JsonObject w = new JsonObject();
    w.addProperty("name", name);
    w.add("shape", new Gson().toJsonTree(shape));
    w.addProperty("dtype", "float32");
    if (quantization != null) {
      w.add("quantization", quantization);
    }
    return w;
  }

  /** The model script as nsfwjs ships it: a browserify wrapper around a minified literal. */
  String modelScript() {
    JsonObject config = new JsonObject();
    config.addProperty("name", "tiny");
    config.add("layers", layers);
    config.add("input_layers", JsonParser.parseString("[[\"input_1\", 0, 0]]"));
    config.add("output_layers", JsonParser.parseString("[[\"" + last + "\", 0, 0]]"));
    JsonObject modelConfig = new JsonObject();
    modelConfig.addProperty("class_name", "Model");
    modelConfig.add("config", config);
    JsonObject topology = new JsonObject();
    topology.addProperty("keras_version", "2.2.4");
    topology.add("model_config", modelConfig);
    JsonObject group = new JsonObject();
    group.add("paths", JsonParser.parseString("[\"group1-shard1of1\"]"));
    group.add("weights", manifest);
    JsonObject root = new JsonObject();
    root.add("modelTopology", topology);
    JsonArray groups = new JsonArray();
    groups.add(group);
    root.add("weightsManifest", groups);
    return "!function(e){module.exports=e()}(function(){return function e(a,n,i){return n}({1:[function(e,a,n){"
        + "a.exports=" + minified(root) + "},{}]},{},[1])(1)});";
  }

  /** JSON written as a minifier writes JavaScript: bare keys, !0/!1, no leading zero. */
  static String minified(JsonElement json) {
    return new Gson().toJson(json)
        .replaceAll("\"([A-Za-z_][A-Za-z0-9_]*)\":", "$1:")
        .replace(":true", ":!0").replace(":false", ":!1")
        .replaceAll("([:,\\[])(-?)0\\.(\\d)", "$1$2.$3");
  }

  String shardScript() {
    return "!function(e){module.exports=e()}(function(){return function e(h,n,d){return n}({1:[function(e,h,n){"
        + "h.exports=\"" + Base64.getEncoder().encodeToString(shard.toByteArray()) + "\"},{}]},{},[1])(1)});";
  }

  /** The files of the model's folder. */
  Map<String, byte[]> files() {
    Map<String, byte[]> files = new HashMap<>();
    files.put("model.min.js", modelScript().getBytes(StandardCharsets.UTF_8));
    files.put("group1-shard1of1.min.js", shardScript().getBytes(StandardCharsets.UTF_8));
    return files;
  }

  TfjsModel read() throws IOException {
    Map<String, byte[]> files = files();
    return TfjsModel.read("model.min.js", name -> {
      byte[] b = files.get(name);
      if (b == null) {
        throw new NoSuchFileException(name);
      }
      return b;
    });
  }
}
