package org.bicmr.training.images.vision;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bicmr.onnx.ImagePreprocessor;

/**
 * Converts the backbone of the COCO detector that npm {@code @vladmandic/human} 3.3.6 ships (MIT; {@code
 * models/centernet.json} and {@code .bin}, a TF.js graph model of a MobileNetV3 CenterNet, float16 weights) into an
 * ONNX image-feature model: input {@code image [batch, 3, 224, 224]} (RGB/255, NCHW, as {@link ImagePreprocessor}
 * makes it; scaled to the 0–255 the detector was trained on inside the graph), output {@code features [batch, 480]},
 * the global average of the map of node {@link #TAP}. Better on drawings and photos than nsfwjs' MobileNetV2, whose
 * later blocks were retrained for an NSFW classifier. The model files are checked against their known SHA-256 first.
 */
public final class CenternetConverter {
  /** The model's folder inside the package. */
  public static final String FOLDER = "models";
  /** The node whose map becomes the features: the backbone's last hard-swish, 480 channels. */
  public static final String TAP = "tower_0/extern1/hard_swish/mul_1";
  static final String MODEL_FILE = "centernet.json";
  static final String WEIGHTS_FILE = "centernet.bin";
  static final Map<String, String> SHA256 = Map.of(
      MODEL_FILE, "bfb942eaacc5becf738d536663bc4580a0ae9e560722306e6d4dd7fe4a09de05",
      WEIGHTS_FILE, "1b635a15009071f506f9f2b3519b31c072c534888989f30d269ffd44734ef7ef");

  private CenternetConverter() {}

  /** A converted model: the serialised ONNX model and the width of its features. */
  public record Result(byte[] onnx, int features) {}

  /** Converts the model in {@code source}: the package tarball from {@code npm pack}, or its extracted directory. */
  public static Result convert(Path source) throws IOException {
    TfjsModel.Files files = NpmPackage.folder(source, FOLDER);
    TfjsModel.Files checked = name -> NpmPackage.verified(source, FOLDER, name, files.read(name), SHA256,
        "@vladmandic/human 3.3.6");
    TfjsGraph graph = TfjsGraph.read(MODEL_FILE, checked);
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("bicmr.source", "npm @vladmandic/human 3.3.6 " + FOLDER + "/" + MODEL_FILE + " (MIT), sha256 "
        + SHA256.get(MODEL_FILE) + "; node " + TAP);
    metadata.put("bicmr.preprocessing", new ImagePreprocessor().manifest().toString());
    GraphToOnnx.Converted c = GraphToOnnx.convert(graph, TAP, ImagePreprocessor.SIZE, 255f,
        "MobileNetV3 CenterNet backbone image features (@vladmandic/human), converted from TF.js by bicmr", metadata);
    return new Result(c.model(), c.features());
  }
}
