package org.bicmr.training.images.vision;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One layer of a Keras functional model as its topology JSON gives it.
 *
 * @param name the layer's name, unique in the model
 * @param className the Keras class, e.g. {@code Conv2D}
 * @param config the layer's {@code config} object
 * @param inputs names of the layers whose (first) output this layer takes, in order
 */
record KerasLayer(String name, String className, JsonObject config, List<String> inputs) {

  KerasLayer {
    inputs = List.copyOf(inputs);
  }

  /** A layer of {@code model_config.config.layers}; only single-call layers (one inbound node) are read. */
  static KerasLayer of(JsonObject layer) {
    String name = layer.get("name").getAsString();
    String className = layer.get("class_name").getAsString();
    JsonObject config = layer.getAsJsonObject("config");
    List<String> inputs = new ArrayList<>();
    var nodes = layer.getAsJsonArray("inbound_nodes");
    if (nodes != null && !nodes.isEmpty()) {
      if (nodes.size() > 1) {
        throw new IllegalArgumentException("layer " + name + ": inbound_nodes has " + nodes.size()
            + " calls, expected one (shared layers are not supported)");
      }
      for (JsonElement in : nodes.get(0).getAsJsonArray()) {
        var ref = in.getAsJsonArray();
        if (ref.get(1).getAsInt() != 0 || ref.get(2).getAsInt() != 0) {
          throw new IllegalArgumentException("layer " + name + ": input " + ref + " is not the first output of "
              + "the first call of its layer");
        }
        inputs.add(ref.get(0).getAsString());
      }
    }
    return new KerasLayer(name, className, config, inputs);
  }

  String input() {
    if (inputs.size() != 1) {
      throw new IllegalArgumentException("layer " + name + " (" + className + ") has " + inputs.size()
          + " inputs, expected 1");
    }
    return inputs.get(0);
  }
}
