package org.bicmr.training.export;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.bicmr.training.model.BiCmrNetwork;
import org.bicmr.training.model.TrainedModel;

/**
 * Writes the tiny bundle that {@code onnx-models}' tests load ({@code src/test/resources/org/bicmr/onnx/tiny-bundle/}):
 * a seeded random 16-bit Bi-CMR network over 6-d image features and a 12-token vocabulary, exported by
 * {@link BundleExporter}, plus {@code expected.json}: inputs with the outputs the DJL nets give for them (the
 * independent reference for ONNX Runtime's outputs). Deterministic: the same files every run. Regenerate with
 *
 * {@code bin/tiny-bundle-fixture}.
 */
public final class TinyBundleFixture {
  static final List<String> VOCABULARY = List.of("sunset", "beach", "sea", "360°", "geo:tool=gmif", "dog", "cat",
      "night", "城市", "tree", "sky", "blue");
  /** Texts and their binary bags of words under the tokenizer "lowercase-whitespace", worked out by hand. */
  static final List<String> TEXTS = List.of("Sunset beach", "dog, cat!", "360° SKY\u3000城市", "geo:tool=gmif (blue) sea.");
  static final int[][] BOW_POSITIONS = {{0, 1}, {5, 6}, {3, 10, 8}, {4, 11, 2}};

  private TinyBundleFixture() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("ai.djl.offline", "true");
    Path target = Path.of(args[0]).toAbsolutePath();
    Path work = Files.createTempDirectory("tiny-bundle");
    Path model = RandomModels.write(work.resolve("model"), RandomModels.config(16, 8, 20261125L), 6, VOCABULARY, 3);
    Path bundle = work.resolve("bundle");
    BundleExporter.export(model, bundle, new BundleExporter.Options("tiny", "1", "6 random numbers (test fixture)",
        Instant.parse("2026-11-25T00:00:00Z"), VOCABULARY, List.of()));

    Random random = new Random(42);
    int n = 3;
    float[] images = new float[n * 6];
    for (int i = 0; i < images.length; i++) {
      images[i] = (float) random.nextGaussian();
    }
    float[] bows = new float[TEXTS.size() * VOCABULARY.size()];
    for (int t = 0; t < TEXTS.size(); t++) {
      for (int p : BOW_POSITIONS[t]) {
        bows[t * VOCABULARY.size() + p] = 1;
      }
    }
    JsonObject expected = new JsonObject();
    expected.addProperty("about", "inputs and the tanh outputs the DJL nets give for them (TinyBundleFixture)");
    try (NDManager manager = NDManager.newBaseManager()) {
      BiCmrNetwork net = TrainedModel.network(model, manager);
      float[] imageOut = net.imageHash(manager.create(images, new Shape(n, 6))).toFloatArray();
      float[] textOut = net.textHash(manager.create(bows, new Shape(TEXTS.size(), VOCABULARY.size()))).toFloatArray();
      JsonArray imageCases = new JsonArray();
      for (int i = 0; i < n; i++) {
        JsonObject c = new JsonObject();
        c.add("features", slice(images, i, 6));
        c.add("output", slice(imageOut, i, 16));
        imageCases.add(c);
      }
      JsonArray textCases = new JsonArray();
      for (int t = 0; t < TEXTS.size(); t++) {
        JsonObject c = new JsonObject();
        c.addProperty("text", TEXTS.get(t));
        c.add("bow", slice(bows, t, VOCABULARY.size()));
        c.add("output", slice(textOut, t, 16));
        textCases.add(c);
      }
      expected.add("image", imageCases);
      expected.add("text", textCases);
    }
    Files.createDirectories(target);
    for (String file : List.of("manifest.json", "image.onnx", "text.onnx", "vocab.txt")) {
      Files.copy(bundle.resolve(file), target.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Files.writeString(target.resolve("expected.json"),
        new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(expected));
    Files.writeString(target.resolve("README.md"), """
        # tiny-bundle (test fixture)

        A seeded, untrained 16-bit Bi-CMR network (image: 6 → 8 → 16; text: 12 → 8 → 8 → 16; ReLU, tanh output)
        exported by the training module's `BundleExporter`. Written by
        `training/src/test/java/org/bicmr/training/export/TinyBundleFixture.java`; regenerate with
        `bin/tiny-bundle-fixture` (deterministic: the same bytes every run).

        `expected.json` is the independent reference: `image[i].features` and `text[i].text` with `text[i].bow`
        (the binary bag of words of the text under the `lowercase-whitespace` tokenizer, worked out by hand) and
        `output`, the 16 tanh outputs the DJL nets give for that input. ONNX Runtime must agree within 1e-5; the
        code is bit i = output[i] ≥ 0, most significant bit first.
        """);
    writeImageBundle(model, target.resolveSibling("tiny-image-bundle"));
    writeVariant(target.resolveSibling("tiny-bundle-v2"), 16, 20261127L, "2");
    writeVariant(target.resolveSibling("tiny-bundle-8bit"), 8, 20261128L, "3");
    System.out.println("fixtures written to " + target + " and its siblings tiny-image-bundle, tiny-bundle-v2 and "
        + "tiny-bundle-8bit");
  }

  /**
   * The same nets with {@link TinyExtractor} bundled ({@value #IMAGE_SIZE}×{@value #IMAGE_SIZE} input, 6 features):
   * the bundle that encodes image bytes, for onnx-models' and the plugin's tests.
   */
  static final int IMAGE_SIZE = 32;

  /** A tiny bundle with an image feature extractor in {@code work/bundle}, for tests of other packages. */
  public static Path imageBundle(Path work) throws Exception {
    Path model = RandomModels.write(work.resolve("model"), RandomModels.config(16, 8, 20261125L), 6, VOCABULARY, 3);
    return exportImageBundle(model, work);
  }

  private static Path exportImageBundle(Path model, Path work) throws Exception {
    Path extractor = work.resolve("extractor.onnx");
    Files.write(extractor, TinyExtractor.model(IMAGE_SIZE, 6, 20261126L));
    Path bundle = work.resolve("bundle");
    BundleExporter.export(model, bundle, new BundleExporter.Options("tiny-image", "1",
        "6 mixed 4x4-grid mean colours of the tiny extractor (test fixture)", Instant.parse("2026-11-25T00:00:00Z"),
        VOCABULARY, List.of(), extractor));
    return bundle;
  }

  private static void writeImageBundle(Path model, Path target) throws Exception {
    Path bundle = exportImageBundle(model, Files.createTempDirectory("tiny-image-bundle"));
    Files.createDirectories(target);
    for (String file : List.of("manifest.json", "image.onnx", "text.onnx", "vocab.txt", "extractor.onnx")) {
      Files.copy(bundle.resolve(file), target.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Files.writeString(target.resolve("README.md"), """
        # tiny-image-bundle (test fixture)

        The nets of `tiny-bundle` plus `extractor.onnx`, a seeded tiny image feature extractor
        (`image[batch, 3, 32, 32]` → 8×8 average pool → 4×4 grid of mean colours → linear → `features[batch, 6]`),
        with `image.extractor` and `image.preprocessing` in the manifest, so the bundle encodes PNG/JPEG bytes.
        Written by `training/src/test/java/org/bicmr/training/export/TinyBundleFixture.java` (`bin/tiny-bundle-fixture`).
        The tests compare its codes with a direct computation: preprocess, run the extractor, run the image net.
        """);
  }

  /**
   * Another bundle called {@code tiny} (same vocabulary and input sizes, other seed): what replaces tiny-bundle in the
   * plugin's model-reload tests, a new version with {@code bits} bits.
   */
  private static void writeVariant(Path target, int bits, long seed, String version) throws Exception {
    Path work = Files.createTempDirectory("tiny-bundle-variant");
    Path model = RandomModels.write(work.resolve("model"), RandomModels.config(bits, 8, seed), 6, VOCABULARY, 3);
    Path bundle = work.resolve("bundle");
    BundleExporter.export(model, bundle, new BundleExporter.Options("tiny", version, "6 random numbers (test fixture)",
        Instant.parse("2026-11-25T00:00:00Z"), VOCABULARY, List.of()));
    Files.createDirectories(target);
    for (String file : List.of("manifest.json", "image.onnx", "text.onnx", "vocab.txt")) {
      Files.copy(bundle.resolve(file), target.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Files.writeString(target.resolve("README.md"), """
        # %s (test fixture)

        Another bundle named `tiny`, version %s: a seeded, untrained %d-bit network (seed %d) with other weights
        than `tiny-bundle`'s and the same vocabulary and input sizes. The plugin's model-reload tests put it in
        place of `tiny-bundle` and reload. Written by
        `training/src/test/java/org/bicmr/training/export/TinyBundleFixture.java` (`bin/tiny-bundle-fixture`).
        """.formatted(target.getFileName(), version, bits, seed));
  }

  private static JsonArray slice(float[] values, int row, int width) {
    JsonArray a = new JsonArray();
    for (int j = 0; j < width; j++) {
      a.add(values[row * width + j]);
    }
    return a;
  }
}
