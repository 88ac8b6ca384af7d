package org.bicmr.training.images.vision;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A TF.js Keras layers model: its topology and its weights, dequantised. Read either from the standard
 * {@code model.json} with binary shards, or from the form nsfwjs ships for bundlers — {@code model.min.js} holding the
 * same object as a JavaScript literal, each shard {@code <path>.min.js} holding its bytes as one base64 string.
 *
 * @param layers the layers in topology order
 * @param inputs names of the model's input layers
 * @param outputs names of the model's output layers
 * @param weights every weight by name, e.g. {@code Conv1/kernel}
 */
record TfjsModel(List<KerasLayer> layers, List<String> inputs, List<String> outputs,
    Map<String, TfjsWeights.Weight> weights) {

  /** Gives the bytes of a file of the model's directory by its name. */
  @FunctionalInterface
  interface Files {
    byte[] read(String name) throws IOException;
  }

  static TfjsModel read(String modelFile, Files files) throws IOException {
    boolean js = modelFile.endsWith(".js");
    String text = new String(files.read(modelFile), StandardCharsets.UTF_8);
    JsonObject root;
    if (js) {
      int key = text.indexOf("modelTopology");
      int start = key < 0 ? -1 : text.lastIndexOf('{', key);
      if (start < 0) {
        throw new IllegalArgumentException(modelFile + ": no object literal with a modelTopology key");
      }
      root = JsLiteral.parse(text, start).value().getAsJsonObject();
    } else {
      root = JsonParser.parseString(text).getAsJsonObject();
    }
    JsonObject topology = root.getAsJsonObject("modelTopology");
    JsonObject config = topology == null ? null : topology.getAsJsonObject("model_config");
    if (config == null || !config.has("config")) {
      throw new IllegalArgumentException(modelFile + ": modelTopology.model_config.config is missing");
    }
    String className = config.get("class_name").getAsString();
    if (!className.equals("Model") && !className.equals("Functional")) {
      throw new IllegalArgumentException(modelFile + ": model_config.class_name is " + className
          + ", expected Model or Functional (a functional Keras model)");
    }
    JsonObject model = config.getAsJsonObject("config");
    List<KerasLayer> layers = new ArrayList<>();
    for (JsonElement l : model.getAsJsonArray("layers")) {
      layers.add(KerasLayer.of(l.getAsJsonObject()));
    }
    Map<String, TfjsWeights.Weight> weights = new LinkedHashMap<>();
    JsonArray manifest = root.getAsJsonArray("weightsManifest");
    if (manifest == null) {
      throw new IllegalArgumentException(modelFile + ": weightsManifest is missing");
    }
    for (JsonElement g : manifest) {
      JsonObject group = g.getAsJsonObject();
      ByteArrayOutputStream data = new ByteArrayOutputStream();
      for (JsonElement p : group.getAsJsonArray("paths")) {
        String path = p.getAsString();
        data.writeBytes(js ? shardOfScript(path + ".min.js", files.read(path + ".min.js")) : files.read(path));
      }
      for (var e : TfjsWeights.decode(group.getAsJsonArray("weights"), data.toByteArray()).entrySet()) {
        if (weights.put(e.getKey(), e.getValue()) != null) {
          throw new IllegalArgumentException(modelFile + ": weight " + e.getKey() + " is in two groups");
        }
      }
    }
    return new TfjsModel(layers, names(model.getAsJsonArray("input_layers")),
        names(model.getAsJsonArray("output_layers")), weights);
  }

  /** The bytes of a shard script: the one base64 string literal after {@code exports=}. */
  static byte[] shardOfScript(String name, byte[] script) {
    String s = new String(script, StandardCharsets.ISO_8859_1);
    int at = s.indexOf("exports=\"");
    int end = at < 0 ? -1 : s.indexOf('"', at + 9);
    if (end < 0) {
      throw new IllegalArgumentException(name + ": no exports=\"<base64>\" string in the script");
    }
    try {
      return Base64.getDecoder().decode(s.substring(at + 9, end));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": the exported string is not base64: " + e.getMessage(), e);
    }
  }

  private static List<String> names(JsonArray refs) {
    List<String> names = new ArrayList<>();
    for (JsonElement r : refs) {
      names.add(r.getAsJsonArray().get(0).getAsString());
    }
    return names;
  }

  KerasLayer layer(String name) {
    return layers.stream().filter(l -> l.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no layer named " + name));
  }

  TfjsWeights.Weight weight(String layer, String variable) {
    TfjsWeights.Weight w = weights.get(layer + "/" + variable);
    if (w == null) {
      throw new IllegalArgumentException("layer " + layer + ": weight " + layer + "/" + variable
          + " is not in the weights manifest");
    }
    return w;
  }
}
