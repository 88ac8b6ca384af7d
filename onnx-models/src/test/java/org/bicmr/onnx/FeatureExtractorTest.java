package org.bicmr.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.bicmr.codes.HashCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bundle with an image feature extractor ({@code tiny-image-bundle}): image bytes encode to the codes of a direct
 * computation (preprocess, run {@code extractor.onnx}, run {@code image.onnx}, each in its own session), single and
 * batched; bad images are refused by position; a wrong extractor, checksum or preprocessing is a load error.
 */
class FeatureExtractorTest {
  private static final InferenceOptions CPU = new InferenceOptions(InferenceDevice.CPU, 0);
  @TempDir static Path tmp;
  private static Path dir;
  private static ModelBundle bundle;

  @BeforeAll
  static void load() throws Exception {
    dir = TinyBundle.copyImageBundle(tmp.resolve("tiny-image"));
    bundle = ModelBundle.load(dir, CPU);
  }

  @AfterAll
  static void close() throws Exception {
    bundle.close();
  }

  /** Preprocess, extractor, image net: three separate steps, as the encoder must chain them. */
  private static float[] direct(byte[] image) throws Exception {
    float[] pixels = new ImagePreprocessor(32, 32, ImagePreprocessor.MAX_PIXELS).pixels(image);
    float[] features = run(dir.resolve("extractor.onnx"), "image", "features", pixels, 1, 3, 32, 32);
    assertEquals(6, features.length);
    return run(dir.resolve("image.onnx"), "features", "hash", features, 1, 6);
  }

  private static float[] run(Path model, String input, String output, float[] values, long... shape)
      throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(Files.readAllBytes(model), new OrtSession.SessionOptions());
        OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape);
        OrtSession.Result r = session.run(Map.of(input, t))) {
      FloatBuffer out = ((OnnxTensor) r.get(output).orElseThrow()).getFloatBuffer();
      float[] a = new float[out.remaining()];
      out.get(a);
      return a;
    }
  }

  @Test
  void imageBytesEncodeAsTheDirectComputationSingleAndBatched() throws Exception {
    assertTrue(bundle.hasImageExtractor());
    assertTrue(bundle.encoder().acceptsImageBytes());
    List<byte[]> images = new ArrayList<>();
    for (int i = 0; i < HashEncoder.EXTRACTOR_BATCH + 5; i++) { // more than one extractor call
      images.add(TestImages.blocks(20 + 7 * i, 30 + 3 * i, i, i % 3 == 0 ? "jpeg" : "png"));
    }
    List<HashCode> batch = bundle.encoder().encodeImageBytes(images);
    float[][] features = bundle.encoder().imageFeatures(images);
    float[][] outputs = bundle.encoder().imageOutputs(Arrays.asList(features));
    int distinct = (int) batch.stream().distinct().count();
    for (int i = 0; i < images.size(); i++) {
      float[] expected = direct(images.get(i));
      for (int j = 0; j < expected.length; j++) {
        assertEquals(expected[j], outputs[i][j], 1e-5, "image " + i + " output " + j);
      }
      assertEquals(HashCode.fromSigns(expected), batch.get(i), "image " + i);
      assertEquals(batch.get(i), bundle.encoder().encodeImageBytes(images.get(i)), "single = batched, image " + i);
    }
    assertTrue(distinct > 3, "different images give different codes: " + distinct + " distinct of " + images.size());
  }

  @Test
  void threadsShareTheSessionsAndAClosedBundleRefuses(@TempDir Path tmp) throws Exception {
    List<byte[]> images = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      images.add(TestImages.blocks(17 + i, 23, 100 + i, "png"));
    }
    List<HashCode> expected = bundle.encoder().encodeImageBytes(images);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<List<HashCode>>> runs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        runs.add(pool.submit(() -> bundle.encoder().encodeImageBytes(images)));
      }
      for (var run : runs) {
        assertEquals(expected, run.get());
      }
    } finally {
      pool.shutdown();
    }
    ModelBundle closed = ModelBundle.load(TinyBundle.copyImageBundle(tmp.resolve("closed")), CPU);
    closed.close();
    assertEquals("the model bundle is closed", assertThrows(IllegalStateException.class,
        () -> closed.encoder().encodeImageBytes(images.get(0))).getMessage());
  }

  /**
   * The bundle's extractor graph opened as a file, outside the bundle: its size from the graph, its features those of
   * a separate session, its checksum the one the manifest records; a graph of another contract and a call after
   * closing are refused, naming the file.
   */
  @Test
  void anExtractorFileOpensOutsideABundle() throws Exception {
    Path file = dir.resolve("extractor.onnx");
    byte[] image = TestImages.blocks(40, 24, 5, "png");
    FeatureExtractor extractor = FeatureExtractor.open(file, 1);
    try {
      assertEquals(32, extractor.height());
      assertEquals(32, extractor.width());
      assertEquals(6, extractor.dim());
      String recorded = JsonParser.parseString(Files.readString(dir.resolve("manifest.json"))).getAsJsonObject()
          .getAsJsonObject("sha256").get("extractor.onnx").getAsString();
      assertEquals(recorded, extractor.sha256());
      float[] pixels = new ImagePreprocessor(32, 32, ImagePreprocessor.MAX_PIXELS).pixels(image);
      float[] twice = new float[pixels.length * 2];
      System.arraycopy(pixels, 0, twice, 0, pixels.length);
      System.arraycopy(pixels, 0, twice, pixels.length, pixels.length);
      float[] expected = run(file, "image", "features", pixels, 1, 3, 32, 32);
      float[] features = extractor.run(twice, 2);
      for (int j = 0; j < 6; j++) {
        assertEquals(expected[j], features[j], 1e-6, "feature " + j);
        assertEquals(expected[j], features[6 + j], 1e-6, "second row, feature " + j);
      }
      assertEquals("image extractor input: 1 images of 3×32×32 need 3072 values, got 5",
          assertThrows(IllegalArgumentException.class, () -> extractor.run(new float[5], 1)).getMessage());
    } finally {
      extractor.close();
    }
    assertEquals("the image feature extractor " + file + " is closed",
        assertThrows(IllegalStateException.class, () -> extractor.run(new float[3 * 32 * 32], 1)).getMessage());
    Path hashNet = dir.resolve("image.onnx");
    assertEquals(hashNet + ": input must be \"image\" but the graph has [features]",
        assertThrows(IOException.class, () -> FeatureExtractor.open(hashNet, 1)).getMessage());
  }

  @Test
  void badImagesAreRefusedByPosition() {
    HashEncoder e = bundle.encoder();
    byte[] good = TestImages.blocks(8, 8, 1, "png");
    assertEquals("image: not a PNG or JPEG (5 bytes starting 0x68656c6c6f)", assertThrows(
        IllegalArgumentException.class, () -> e.encodeImageBytes("hello".getBytes())).getMessage());
    byte[] whole = TestImages.blocks(64, 48, 3, "jpeg");
    String truncated = assertThrows(IllegalArgumentException.class,
        () -> e.encodeImageBytes(List.of(good, Arrays.copyOf(whole, whole.length / 2)))).getMessage();
    assertTrue(truncated.startsWith("images[1]: JPEG ") && truncated.contains(" is truncated or corrupt"), truncated);
    assertEquals("images[2]: PNG is 100000×100000 = 10000000000 pixels, more than the limit of 40000000",
        assertThrows(IllegalArgumentException.class,
            () -> e.encodeImageBytes(List.of(good, good, TestImages.pngHeader(100_000, 100_000)))).getMessage());
    String zero = assertThrows(IllegalArgumentException.class,
        () -> e.encodeImageBytes(TestImages.pngHeader(0, 4))).getMessage();
    assertTrue(zero.startsWith("image: PNG"), zero);
    assertEquals("image: no bytes, expected a PNG or JPEG",
        assertThrows(IllegalArgumentException.class, () -> e.encodeImageBytes(new byte[0])).getMessage());
    assertEquals("images: expected at least one item, got an empty list",
        assertThrows(IllegalArgumentException.class, () -> e.encodeImageBytes(List.of())).getMessage());
  }

  @Test
  void theManifestsPixelLimitApplies(@TempDir Path tmp) throws Exception {
    Path small = edited(tmp.resolve("small"), m -> image(m).getAsJsonObject("preprocessing")
        .addProperty("max_pixels", 100));
    try (ModelBundle b = ModelBundle.load(small, CPU)) {
      b.encoder().encodeImageBytes(TestImages.blocks(10, 10, 2, "png"));
      assertEquals("image: PNG is 11×10 = 110 pixels, more than the limit of 100", assertThrows(
          IllegalArgumentException.class, () -> b.encoder().encodeImageBytes(TestImages.blocks(11, 10, 2, "png")))
          .getMessage());
    }
  }

  @Test
  void anApplicationMayLowerThePixelLimit() {
    HashEncoder e = bundle.encoder();
    assertTrue(e.withMaxPixels(ImagePreprocessor.MAX_PIXELS) == e && e.withMaxPixels(Long.MAX_VALUE) == e,
        "a limit at or above the bundle's changes nothing");
    HashEncoder capped = e.withMaxPixels(100);
    byte[] small = TestImages.blocks(10, 10, 4, "png");
    assertEquals(e.encodeImageBytes(small), capped.encodeImageBytes(small));
    assertEquals("image: PNG is 11×10 = 110 pixels, more than the limit of 100", assertThrows(
        IllegalArgumentException.class, () -> capped.encodeImageBytes(TestImages.blocks(11, 10, 4, "png")))
        .getMessage());
    e.encodeImageBytes(TestImages.blocks(11, 10, 4, "png")); // the original keeps its limit
    assertEquals("maxPixels must be at least 1, got 0",
        assertThrows(IllegalArgumentException.class, () -> e.withMaxPixels(0)).getMessage());
  }

  @Test
  void aBundleWithoutAnExtractorRefusesImageBytes(@TempDir Path tmp) throws Exception {
    try (ModelBundle b = ModelBundle.load(TinyBundle.copy(tmp.resolve("tiny")), CPU)) {
      assertFalse(b.hasImageExtractor());
      assertEquals("model [tiny] has no image feature extractor (image.extractor): it takes image feature vectors, "
          + "not image bytes", assertThrows(IllegalArgumentException.class,
          () -> b.encoder().encodeImageBytes(TestImages.blocks(8, 8, 1, "png"))).getMessage());
    }
  }

  @Test
  void theExtractorIsCheckedWhenLoading(@TempDir Path tmp) throws Exception {
    Path changed = TinyBundle.copyImageBundle(tmp.resolve("changed"));
    byte[] model = Files.readAllBytes(changed.resolve("extractor.onnx"));
    model[model.length - 1] ^= 1;
    Files.write(changed.resolve("extractor.onnx"), model);
    assertMessage(changed, "extractor.onnx does not match its checksum (sha256.extractor.onnx is ");

    assertMessage(edited(tmp.resolve("size"), m -> image(m).getAsJsonObject("preprocessing").addProperty("width", 64)),
        "image.extractor input \"image\" has shape [-1, 3, 32, 32], expected [batch, 3, 32, 64] "
        + "(image.preprocessing's height and width; -1 for the batch)");
    assertMessage(edited(tmp.resolve("layout"), m -> image(m).getAsJsonObject("preprocessing")
        .addProperty("layout", "nhwc")), "image.preprocessing.layout is \"nhwc\", expected \"nchw_rgb\"");
    assertMessage(edited(tmp.resolve("nopre"), m -> image(m).remove("preprocessing")),
        "manifest.json has no image.preprocessing");
    assertMessage(edited(tmp.resolve("missing"), m -> image(m).addProperty("extractor", "nope.onnx")),
        "image.extractor names nope.onnx, which the bundle does not have");

    Path swapped = TinyBundle.copyImageBundle(tmp.resolve("swapped"));
    TinyBundle.replace(swapped, "extractor.onnx", Files.readAllBytes(swapped.resolve("image.onnx")));
    assertMessage(swapped, "image.extractor input must be \"image\" but the graph has [features]");
  }

  private static JsonObject image(JsonObject manifest) {
    return manifest.getAsJsonObject("image");
  }

  private static Path edited(Path dir, Consumer<JsonObject> edit) throws IOException {
    TinyBundle.copyImageBundle(dir);
    JsonObject m = JsonParser.parseString(Files.readString(dir.resolve("manifest.json"))).getAsJsonObject();
    edit.accept(m);
    Files.writeString(dir.resolve("manifest.json"), m.toString());
    return dir;
  }

  private static void assertMessage(Path bundle, String start) {
    InvalidBundleException e = assertThrows(InvalidBundleException.class, () -> ModelBundle.load(bundle, CPU));
    assertTrue(e.getMessage().startsWith("bundle " + bundle + ": " + start), e.getMessage());
  }
}
