package org.bicmr.training.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.bicmr.codes.HashCode;
import org.bicmr.onnx.ImagePreprocessor;
import org.bicmr.onnx.InferenceDevice;
import org.bicmr.onnx.InferenceOptions;
import org.bicmr.onnx.ModelBundle;
import org.bicmr.training.images.vision.MobileNetConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The converted nsfwjs MobileNetV2 as a bundle's image feature extractor (skipped without {@code bin/fetch-mobilenet}):
 * the exporter takes it, the loader accepts it, and image bytes encode to the codes of the direct computation
 * (preprocess, MobileNet session, image-net session).
 */
class MobileNetBundleTest {
  private static final Path PACKAGE = Path.of(System.getProperty("bicmr.mobilenet.dir",
      System.getProperty("user.home") + "/.cache/bicmr/nsfwjs-4.4.0/package"));

  @Test
  void theConvertedMobileNetIsABundleExtractor(@TempDir Path tmp) throws Exception {
    assumeTrue(Files.isDirectory(PACKAGE.resolve(MobileNetConverter.FOLDER)),
        "nsfwjs MobileNetV2 not in " + PACKAGE + ": run bin/fetch-mobilenet (or set -Dbicmr.mobilenet.dir)");
    MobileNetConverter.Result mobilenet = MobileNetConverter.convert(PACKAGE,
        new MobileNetConverter.Options(null, false, false));
    Path extractor = Files.write(tmp.resolve("mobilenet.onnx"), mobilenet.onnx());
    List<String> vocabulary = List.of("cat", "dog", "tree", "car");
    Path model = RandomModels.write(tmp.resolve("model"), RandomModels.config(32, 16, 7), mobilenet.features(),
        vocabulary, 3);
    Path bundle = tmp.resolve("bundle");
    BundleExporter.export(model, bundle, new BundleExporter.Options("mobilenet-test", "1", "MobileNetV2 features",
        Instant.parse("2026-11-25T00:00:00Z"), vocabulary, List.of(), extractor));

    List<byte[]> images = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      BufferedImage im = new BufferedImage(90 + 40 * i, 120, BufferedImage.TYPE_INT_ARGB);
      for (int y = 0; y < im.getHeight(); y++) {
        for (int x = 0; x < im.getWidth(); x++) {
          im.setRGB(x, y, ((x / (8 + i)) + (y / 11)) % 2 == 0 ? 0xff000000 | (0x3355aa * (i + 1)) : 0x00ffffff);
        }
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(im, "png", out);
      images.add(out.toByteArray());
    }
    try (ModelBundle loaded = ModelBundle.load(bundle, new InferenceOptions(InferenceDevice.CPU, 0))) {
      List<HashCode> codes = loaded.encoder().encodeImageBytes(images);
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      try (OrtSession features = env.createSession(mobilenet.onnx(), new OrtSession.SessionOptions());
          OrtSession net = env.createSession(bundle.resolve("image.onnx").toString(), new OrtSession.SessionOptions())) {
        for (int i = 0; i < images.size(); i++) {
          float[] pixels = new ImagePreprocessor().pixels(images.get(i));
          float[] f = run(env, features, "image", "features", pixels, 1, 3, 224, 224);
          float[] out = run(env, net, "features", "hash", f, 1, f.length);
          assertEquals(HashCode.fromSigns(out), codes.get(i), "image " + i);
        }
      }
    }
  }

  private static float[] run(OrtEnvironment env, OrtSession s, String in, String out, float[] values, long... shape)
      throws Exception {
    try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape);
        OrtSession.Result r = s.run(Map.of(in, t))) {
      FloatBuffer b = ((OnnxTensor) r.get(out).orElseThrow()).getFloatBuffer();
      float[] a = new float[b.remaining()];
      b.get(a);
      return a;
    }
  }
}
