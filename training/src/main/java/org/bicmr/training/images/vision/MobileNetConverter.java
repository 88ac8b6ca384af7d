package org.bicmr.training.images.vision;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bicmr.onnx.ImagePreprocessor;

/**
 * Converts the MobileNetV2 that npm {@code nsfwjs} ships (MIT; identical model files in 4.3.0 and 4.4.0) into an ONNX
 * image-feature model: input {@code image [batch, 3, 224, 224]} (RGB/255, NCHW, as {@link ImagePreprocessor} makes
 * it; its manifest object is in the model's metadata as {@code bicmr.preprocessing}), output
 * {@code features [batch, c]}, the global average of one layer's map, and optionally {@code probabilities [batch, 5]}
 * over nsfwjs' classes {@link #CLASSES}. Blocks 0–10 hold the standard ImageNet weights (frozen when nsfwjs was
 * trained); later blocks and the head were retrained for its 5-class task. The model files are checked against their
 * known SHA-256 first.
 */
public final class MobileNetConverter {
  /** The model's folder inside the package. */
  public static final String FOLDER = "dist/models/mobilenet_v2";
  /** The probabilities' classes, in output order. */
  public static final List<String> CLASSES = List.of("Drawing", "Hentai", "Neutral", "Porn", "Sexy");
  static final String MODEL_FILE = "model.min.js";
  static final String SHARD_FILE = "group1-shard1of1.min.js";
  static final Map<String, String> SHA256 = Map.of(
      MODEL_FILE, "c32f104fd562b08cdff5ed69dfe1209643afa47e792fb12751d2949aa61a397a",
      SHARD_FILE, "ef2e0a63f7d2c4960b37b024b669313f65d3c45cd59e9042636c55b39de53517");

  private MobileNetConverter() {}

  /**
   * What to convert.
   *
   * @param tap the layer whose map becomes {@code features}: a layer name, {@code block_N} for the last layer of block
   *     N, or null for {@code out_relu}, the 7×7×1280 map the model's own head averages
   * @param symmetricInput feed the network {@code 2x - 1} (ImageNet MobileNetV2's range) instead of {@code x} (what
   *     nsfwjs feeds); the graph input is RGB/255 either way
   * @param probabilities also output the 5 class probabilities (needs the whole network)
   */
  public record Options(String tap, boolean symmetricInput, boolean probabilities) {}

  /**
   * A converted model.
   *
   * @param onnx the serialised ONNX model
   * @param tap the layer {@code features} averages
   * @param features the width of {@code features}
   * @param classes the width of {@code probabilities}, 0 when not output
   */
  public record Result(byte[] onnx, String tap, int features, int classes) {}

  /** Converts the model in {@code source}: the nsfwjs tarball from {@code npm pack}, or its extracted directory. */
  public static Result convert(Path source, Options options) throws IOException {
    TfjsModel.Files files = NpmPackage.folder(source, FOLDER);
    TfjsModel.Files checked = name -> NpmPackage.verified(source, FOLDER, name, files.read(name), SHA256,
        "nsfwjs 4.3.0/4.4.0");
    TfjsModel model = TfjsModel.read(MODEL_FILE, checked);
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("bicmr.source", "npm nsfwjs " + FOLDER + " (MIT), " + MODEL_FILE + " sha256 " + SHA256.get(MODEL_FILE));
    metadata.put("bicmr.preprocessing", new ImagePreprocessor().manifest().toString());
    KerasToOnnx.Converted c = KerasToOnnx.convert(model, new KerasToOnnx.Options(options.tap(),
            options.symmetricInput() ? KerasToOnnx.InputRange.SYMMETRIC : KerasToOnnx.InputRange.UNIT,
            options.probabilities()),
        "nsfwjs MobileNetV2 image features, converted from TF.js by bicmr", metadata);
    return new Result(c.onnx(), c.tap(), c.features(), c.classes());
  }

}
