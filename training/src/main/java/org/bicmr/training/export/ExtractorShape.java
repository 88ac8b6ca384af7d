package org.bicmr.training.export;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import org.bicmr.onnx.ImagePreprocessor;

/**
 * Reads an image feature extractor's declared shapes — input {@code image[batch, 3, H, W]}, output {@code
 * features[batch, dim]} — and gives the preprocessing that feeds it ({@link ImagePreprocessor} at W × H), so a bundle
 * is never written with an extractor its image net cannot take.
 */
final class ExtractorShape {
  private ExtractorShape() {}

  /** The preprocessing for {@code onnx}; an error names {@code what} (the file) and the mismatch. */
  static ImagePreprocessor preprocessing(String what, byte[] onnx, int imageDim) {
    ModelProto model;
    try {
      model = ModelProto.parseFrom(onnx);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("image extractor " + what + " is not an ONNX model: " + e.getMessage(), e);
    }
    List<Long> in = dims(what, model.getGraph().getInputList(), BundleExporter.EXTRACTOR_INPUT);
    if (in.size() != 4 || in.get(0) >= 0 || in.get(1) != 3 || in.get(2) < 1 || in.get(3) < 1) {
      throw new IllegalArgumentException("image extractor " + what + ": input \"" + BundleExporter.EXTRACTOR_INPUT
          + "\" has shape " + shape(in) + ", expected [batch, 3, H, W] with a fixed H and W");
    }
    List<Long> out = dims(what, model.getGraph().getOutputList(), BundleExporter.EXTRACTOR_OUTPUT);
    if (out.size() != 2 || out.get(0) >= 0 || out.get(1) != imageDim) {
      throw new IllegalArgumentException("image extractor " + what + ": output \"" + BundleExporter.EXTRACTOR_OUTPUT
          + "\" has shape " + shape(out) + ", expected [batch, " + imageDim + "] (the image net's input width)");
    }
    return new ImagePreprocessor(Math.toIntExact(in.get(3)), Math.toIntExact(in.get(2)), ImagePreprocessor.MAX_PIXELS);
  }

  /** The dims of the named value, -1 for a symbolic one. */
  private static List<Long> dims(String what, List<ValueInfoProto> values, String name) {
    List<String> names = new ArrayList<>();
    for (ValueInfoProto v : values) {
      names.add(v.getName());
      if (v.getName().equals(name)) {
        List<Long> dims = new ArrayList<>();
        for (TensorShapeProto.Dimension d : v.getType().getTensorType().getShape().getDimList()) {
          dims.add(d.hasDimValue() ? d.getDimValue() : -1L);
        }
        return dims;
      }
    }
    throw new IllegalArgumentException("image extractor " + what + " has no \"" + name + "\" among " + names);
  }

  private static String shape(List<Long> dims) {
    return dims.toString().replace("-1", "?");
  }
}
