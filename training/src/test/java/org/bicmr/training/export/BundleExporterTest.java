package org.bicmr.training.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipFile;
import org.bicmr.codes.HashCode;
import org.bicmr.onnx.ModelBundle;
import org.bicmr.training.data.NumericMatrix;
import org.bicmr.training.data.RealData;
import org.bicmr.training.data.TagFiles;
import org.bicmr.training.model.BiCmrNetwork;
import org.bicmr.training.model.TrainedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export path: the ONNX graphs that ONNX Runtime runs give the DJL nets' outputs (within 1e-5) and the same codes,
 * for random inputs and for real MIRFlickr BoW rows; the manifest describes the files and their checksums; bad input
 * leaves nothing behind.
 */
class BundleExporterTest {
  private static final long SEED = Long.getLong("bicmr.test.seed", new Random().nextLong());

  static {
    System.out.println("BundleExporterTest seed: " + SEED + " (random inputs)");
  }

  private static BundleExporter.Options options(List<String> vocabulary) {
    return new BundleExporter.Options("test-bundle", "7", "random test features",
        Instant.parse("2026-11-25T00:00:00Z"), vocabulary, List.of());
  }

  private static List<String> words(int n) {
    List<String> w = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      w.add("w" + i);
    }
    return w;
  }

  @Test
  void onnxRuntimeGivesTheDjlOutputsOnRandomInputs(@TempDir Path tmp) throws Exception {
    int imageDim = 40;
    List<String> vocabulary = words(30);
    Path model = RandomModels.write(tmp.resolve("model"), RandomModels.config(64, 24, 5), imageDim, vocabulary, 6);
    Path bundle = tmp.resolve("bundle");
    BundleExporter.export(model, bundle, options(vocabulary));

    Random random = new Random(SEED);
    int n = 50;
    float[] images = new float[n * imageDim];
    for (int i = 0; i < images.length; i++) {
      images[i] = (float) (random.nextGaussian() * 2);
    }
    float[] texts = new float[n * vocabulary.size()];
    for (int i = 0; i < texts.length; i++) {
      texts[i] = random.nextInt(4) == 0 ? 1 : 0;
    }
    assertParity(model, bundle, images, imageDim, texts, vocabulary.size(), n);
  }

  @Test
  void standardisedDenseInputsAreFoldedIntoTheExportedNets(@TempDir Path tmp) throws Exception {
    // dense features far from zero mean and unit scale on both sides (like CenterNet features and sentence
    // encodings): the standardisation the nets learned with must travel into the ONNX graphs
    int imageDim = 40;
    int textDim = 24;
    List<String> vocabulary = words(textDim);
    Random random = new Random(SEED);
    int n = 60;
    float[] images = new float[n * imageDim];
    for (int i = 0; i < images.length; i++) {
      images[i] = (float) (3 + (i % imageDim) * 0.5 + random.nextGaussian() * (1 + i % 7));
    }
    float[] texts = new float[n * textDim];
    for (int i = 0; i < texts.length; i++) {
      texts[i] = (float) (-0.2 + random.nextGaussian() * 0.05);
    }
    Path model = RandomModels.writeStandardized(tmp.resolve("model"), RandomModels.config(64, 24, 5), imageDim,
        images, vocabulary, texts, 6);
    Path bundle = tmp.resolve("bundle");
    BundleExporter.export(model, bundle, options(vocabulary));
    assertParity(model, bundle, images, imageDim, texts, textDim, n);
  }

  @Test
  void onnxRuntimeGivesTheDjlOutputsOnRealMirFlickrBagsOfWords(@TempDir Path tmp) throws Exception {
    Path mir = RealData.mirflickr();
    List<String> vocabulary = TagFiles.vocabulary(mir.resolve("common_tags.txt"));
    NumericMatrix bow = TagFiles.bagOfWords(TagFiles.tags(mir.resolve("txt_database.txt")), vocabulary, "mirflickr");
    int n = 200;
    int imageDim = 16;
    float[] texts = new float[n * bow.cols()];
    for (int i = 0; i < n; i++) { // every 100th item of the 20,015
      for (int c = 0; c < bow.cols(); c++) {
        texts[i * bow.cols() + c] = bow.get(i * 100, c);
      }
    }
    float[] images = new float[n * imageDim];
    Random random = new Random(SEED);
    for (int i = 0; i < images.length; i++) {
      images[i] = random.nextFloat();
    }
    Path model = RandomModels.write(tmp.resolve("model"), RandomModels.config(32, 64, 11), imageDim, vocabulary, 24);
    Path bundle = tmp.resolve("bundle");
    BundleExporter.export(model, bundle, options(vocabulary));
    assertParity(model, bundle, images, imageDim, texts, bow.cols(), n);

    // the raw tag lines through the bundle's own tokenizer and ONNX Runtime give the DJL outputs of the BoW rows
    // built by TagFiles (the BoW cross-checked against YAll): tokenizer, vocabulary and nets agree end to end
    List<List<String>> tags = TagFiles.tags(mir.resolve("txt_database.txt"));
    List<String> lines = new ArrayList<>();
    List<Integer> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (!java.util.Collections.disjoint(tags.get(i * 100), vocabulary)) { // items without a known tag are refused
        lines.add(String.join(" ", tags.get(i * 100)));
        rows.add(i);
      }
    }
    float[] djl;
    try (NDManager manager = NDManager.newBaseManager()) {
      djl = TrainedModel.network(model, manager).textHash(manager.create(texts, new Shape(n, bow.cols())))
          .toFloatArray();
    }
    try (ModelBundle loaded = ModelBundle.load(bundle)) {
      float[][] outputs = loaded.encoder().textOutputs(lines);
      List<HashCode> codes = loaded.encoder().encodeTexts(lines);
      for (int r = 0; r < rows.size(); r++) {
        float[] expected = java.util.Arrays.copyOfRange(djl, rows.get(r) * 32, rows.get(r) * 32 + 32);
        for (int j = 0; j < 32; j++) {
          assertEquals(expected[j], outputs[r][j], 1e-5, "item " + rows.get(r) * 100 + " output " + j);
        }
        assertEquals(HashCode.fromSigns(expected), codes.get(r), "item " + rows.get(r) * 100);
      }
      System.out.printf("%d of %d real tag lines encoded by the bundle equal the DJL codes of their BoW%n",
          rows.size(), n);
      assertTrue(rows.size() > n / 2);
    }
  }

  private static void assertParity(Path model, Path bundle, float[] images, int imageDim, float[] texts, int textDim,
      int n) throws Exception {
    float[] djlImage;
    float[] djlText;
    try (NDManager manager = NDManager.newBaseManager()) {
      BiCmrNetwork net = TrainedModel.network(model, manager);
      djlImage = net.imageHash(manager.create(images, new Shape(n, imageDim))).toFloatArray();
      djlText = net.textHash(manager.create(texts, new Shape(n, textDim))).toFloatArray();
    }
    float[] ortImage = run(bundle.resolve("image.onnx"), "features", images, n, imageDim);
    float[] ortText = run(bundle.resolve("text.onnx"), "bow", texts, n, textDim);
    assertClose(djlImage, ortImage, "image");
    assertClose(djlText, ortText, "text");
  }

  private static void assertClose(float[] djl, float[] ort, String what) {
    assertEquals(djl.length, ort.length, what + " output size");
    double worst = 0;
    for (int i = 0; i < djl.length; i++) {
      worst = Math.max(worst, Math.abs(djl[i] - ort[i]));
      assertEquals(djl[i] >= 0, ort[i] >= 0, what + " output " + i + ": code bits differ (" + djl[i] + " vs " + ort[i]
          + ")");
    }
    System.out.printf("%s: largest |DJL − ONNX Runtime| = %.3g over %d outputs%n", what, worst, djl.length);
    assertTrue(worst <= 1e-5, what + ": outputs differ by " + worst);
  }

  static float[] run(Path onnx, String input, float[] values, int rows, int cols) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(onnx.toString(), new OrtSession.SessionOptions());
        OnnxTensor tensor = OnnxTensor.createTensor(env, java.nio.FloatBuffer.wrap(values), new long[] {rows, cols});
        OrtSession.Result result = session.run(Map.of(input, tensor))) {
      assertEquals(List.of("hash"), List.copyOf(session.getOutputNames()));
      float[][] out = (float[][]) result.get(0).getValue();
      float[] flat = new float[rows * out[0].length];
      for (int i = 0; i < rows; i++) {
        System.arraycopy(out[i], 0, flat, i * out[i].length, out[i].length);
      }
      return flat;
    }
  }

  @Test
  void theManifestDescribesTheFilesAndTheirChecksums(@TempDir Path tmp) throws Exception {
    List<String> vocabulary = List.of("sunset", "beach", "360°", "geo:tool=gmif");
    Path model = RandomModels.write(tmp.resolve("model"), RandomModels.config(16, 8, 3), 5, vocabulary, 3);
    Path bundle = tmp.resolve("bundle");
    BundleExporter.export(model, bundle, options(vocabulary));
    JsonObject m = JsonParser.parseString(Files.readString(bundle.resolve("manifest.json"))).getAsJsonObject();
    assertEquals(1, m.get("format").getAsInt());
    assertEquals("test-bundle", m.get("name").getAsString());
    assertEquals(16, m.get("bits").getAsInt());
    assertEquals("2026-11-25T00:00:00Z", m.get("created").getAsString());
    assertEquals(5, m.getAsJsonObject("image").get("dim").getAsInt());
    assertEquals("features", m.getAsJsonObject("image").get("input").getAsString());
    assertEquals(4, m.getAsJsonObject("text").get("dim").getAsInt());
    assertEquals("lowercase-whitespace", m.getAsJsonObject("text").get("tokenizer").getAsString());
    assertEquals(7L, m.get("split_seed").getAsLong());
    assertEquals(vocabulary, Files.readAllLines(bundle.resolve("vocab.txt")));
    for (String file : List.of("image.onnx", "text.onnx", "vocab.txt")) {
      String expected = HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(bundle.resolve(file))));
      assertEquals(expected, m.getAsJsonObject("sha256").get(file).getAsString(), file);
    }
    try (var files = Files.list(bundle)) {
      assertEquals(4, files.count()); // manifest, two graphs, vocabulary — and nothing else
    }
  }

  @Test
  void aZipTargetHoldsTheSameBundle(@TempDir Path tmp) throws Exception {
    List<String> vocabulary = words(7);
    Path model = RandomModels.write(tmp.resolve("model"), RandomModels.config(8, 4, 3), 3, vocabulary, 2);
    BundleExporter.export(model, tmp.resolve("dir"), options(vocabulary));
    BundleExporter.export(model, tmp.resolve("b.zip"), options(vocabulary));
    try (ZipFile zip = new ZipFile(tmp.resolve("b.zip").toFile())) {
      for (String file : List.of("image.onnx", "text.onnx", "vocab.txt", "manifest.json")) {
        assertArrayEquals(Files.readAllBytes(tmp.resolve("dir").resolve(file)),
            zip.getInputStream(zip.getEntry(file)).readAllBytes(), file);
      }
    }
  }

  @Test
  void badInputLeavesNothingBehindAndNeverOverwrites(@TempDir Path tmp) throws Exception {
    Path model = RandomModels.write(tmp.resolve("model"), RandomModels.config(8, 4, 3), 3, words(5), 2);
    Path out = tmp.resolve("out");
    Path target = out.resolve("bundle");
    Files.createDirectories(out);
    var e = assertThrows(IllegalArgumentException.class,
        () -> BundleExporter.export(model, target, options(words(4))));
    assertEquals("vocabulary: the text net takes 5 inputs but the vocabulary has 4 tokens", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> BundleExporter.export(model, target, options(List.of("a", "b", "a", "c", "d"))));
    assertEquals("vocabulary: token 2 (\"a\") appears twice", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> BundleExporter.export(model, target, options(List.of("a", "b b", "x", "c", "d"))));
    assertEquals("vocabulary: token 1 (\"b b\") is empty or has whitespace", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> BundleExporter.export(model, target, options(List.of("a", "b\u00a0b", "x", "c", "d"))));
    assertEquals("vocabulary: token 1 (\"b\u00a0b\") is empty or has whitespace", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> BundleExporter.export(model, target, options(List.of("a", "Sea", "x", "c", "d"))));
    assertEquals("vocabulary: token 1 (\"Sea\") has upper-case letters; texts are lower-cased, so it could never "
        + "match", e.getMessage());
    try (var files = Files.list(out)) {
      assertEquals(0, files.count(), "no bundle and no staging directory left behind");
    }

    BundleExporter.export(model, target, options(words(5)));
    byte[] before = Files.readAllBytes(target.resolve("manifest.json"));
    assertThrows(FileAlreadyExistsException.class, () -> BundleExporter.export(model, target, options(words(5))));
    assertArrayEquals(before, Files.readAllBytes(target.resolve("manifest.json")));
    try (var files = Files.list(out)) {
      assertEquals(1, files.count());
    }
    assertFalse(Files.exists(out.resolve("bundle.zip")));
  }

  @Test
  void anImageExtractorIsBundledWithItsPreprocessingAndMustFitTheImageNet(@TempDir Path tmp) throws Exception {
    List<String> vocabulary = words(10);
    Path model = RandomModels.write(tmp.resolve("model"), RandomModels.config(16, 8, 3), 6, vocabulary, 3);
    Path extractor = tmp.resolve("extractor.onnx");
    Files.write(extractor, TinyExtractor.model(16, 6, 9));
    Path bundle = tmp.resolve("bundle");
    BundleExporter.Options o = options(vocabulary);
    BundleExporter.export(model, bundle, new BundleExporter.Options(o.name(), o.version(), o.feature(), o.created(),
        o.vocabulary(), o.evaluation(), extractor));
    JsonObject image = JsonParser.parseString(Files.readString(bundle.resolve("manifest.json"))).getAsJsonObject()
        .getAsJsonObject("image");
    assertEquals("extractor.onnx", image.get("extractor").getAsString());
    assertEquals("{\"decode\":\"png,jpeg\",\"alpha\":\"white\",\"resize\":\"bilinear_align_corners\","
        + "\"scale\":\"unit\",\"layout\":\"nchw_rgb\",\"width\":16,\"height\":16,\"max_pixels\":40000000}",
        image.get("preprocessing").toString());
    try (ModelBundle loaded = ModelBundle.load(bundle)) {
      assertTrue(loaded.hasImageExtractor());
    }

    Files.write(extractor, TinyExtractor.model(16, 5, 9));
    Path wrong = tmp.resolve("wrong");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BundleExporter.export(model,
        wrong, new BundleExporter.Options(o.name(), o.version(), o.feature(), o.created(), o.vocabulary(),
        o.evaluation(), extractor)));
    assertEquals("image extractor " + extractor + ": output \"features\" has shape [?, 5], expected [batch, 6] (the "
        + "image net's input width)", e.getMessage());
    assertFalse(Files.exists(wrong));
  }
}
