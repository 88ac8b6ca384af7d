package org.bicmr.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bicmr.codes.HashCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The encoder against the independent reference of {@code expected.json} (the DJL nets' outputs for the same inputs):
 * outputs within 1e-5, codes equal bit for bit; batches, threads and bad input.
 */
class HashEncoderTest {
  private static final long SEED = Long.getLong("bicmr.test.seed", new Random().nextLong());
  @TempDir static Path tmp;
  private static ModelBundle bundle;
  private static HashEncoder encoder;
  private static JsonObject expected;

  @BeforeAll
  static void load() throws Exception {
    System.out.println("HashEncoderTest seed: " + SEED);
    bundle = ModelBundle.load(TinyBundle.copy(tmp.resolve("tiny")), new InferenceOptions(InferenceDevice.CPU, 0));
    encoder = bundle.encoder();
    expected = TinyBundle.expected();
  }

  @AfterAll
  static void close() throws Exception {
    bundle.close();
  }

  /** The code of expected.json's text case {@code i}, from the DJL outputs. */
  static HashCode expectedCode(int i) throws Exception {
    return HashCode.fromSigns(TinyBundle.floats(
        TinyBundle.expected().getAsJsonArray("text").get(i).getAsJsonObject().getAsJsonArray("output")));
  }

  @Test
  void textOutputsAndCodesEqualTheDjlReference() throws Exception {
    JsonArray cases = expected.getAsJsonArray("text");
    List<String> texts = new ArrayList<>();
    for (var c : cases) {
      texts.add(c.getAsJsonObject().get("text").getAsString());
    }
    float[][] outputs = encoder.textOutputs(texts);
    List<HashCode> codes = encoder.encodeTexts(texts);
    for (int i = 0; i < texts.size(); i++) {
      float[] reference = TinyBundle.floats(cases.get(i).getAsJsonObject().getAsJsonArray("output"));
      assertClose(reference, outputs[i], "text " + texts.get(i));
      assertEquals(HashCode.fromSigns(reference), codes.get(i), texts.get(i));
      assertEquals(codes.get(i), encoder.encodeText(texts.get(i)), "single = batched");
    }
  }

  @Test
  void imageOutputsAndCodesEqualTheDjlReference() {
    JsonArray cases = expected.getAsJsonArray("image");
    List<float[]> features = new ArrayList<>();
    for (var c : cases) {
      features.add(TinyBundle.floats(c.getAsJsonObject().getAsJsonArray("features")));
    }
    float[][] outputs = encoder.imageOutputs(features);
    for (int i = 0; i < features.size(); i++) {
      float[] reference = TinyBundle.floats(cases.get(i).getAsJsonObject().getAsJsonArray("output"));
      assertClose(reference, outputs[i], "image " + i);
      assertEquals(HashCode.fromSigns(reference), encoder.encodeImage(features.get(i)));
    }
  }

  private static void assertClose(float[] reference, float[] actual, String what) {
    assertEquals(reference.length, actual.length, what);
    for (int j = 0; j < reference.length; j++) {
      assertEquals(reference[j], actual[j], 1e-5, what + " output " + j);
    }
  }

  @Test
  void batchesLargerThanOneCallAndManyThreadsGiveTheSequentialCodes() throws Exception {
    Random random = new Random(SEED);
    int n = HashEncoder.MAX_BATCH * 2 + 17;
    List<float[]> features = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] f = new float[6];
      for (int j = 0; j < 6; j++) {
        f[j] = (float) random.nextGaussian();
      }
      features.add(f);
    }
    List<HashCode> batched = encoder.encodeImages(features);
    List<HashCode> sequential = new ArrayList<>();
    for (float[] f : features.subList(0, 300)) {
      sequential.add(encoder.encodeImage(f));
    }
    assertEquals(sequential, batched.subList(0, 300));
    List<String> texts = new ArrayList<>();
    for (var c : expected.getAsJsonArray("text")) {
      texts.add(c.getAsJsonObject().get("text").getAsString());
    }
    List<HashCode> textCodes = new ArrayList<>();
    for (String t : texts) {
      textCodes.add(encoder.encodeText(t));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<HashCode>>> images = new ArrayList<>();
      List<Future<List<HashCode>>> textResults = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        images.add(pool.submit(() -> encoder.encodeImages(features)));
        textResults.add(pool.submit(() -> {
          List<HashCode> one = new ArrayList<>();
          for (int rep = 0; rep < 50; rep++) {
            one = encoder.encodeTexts(texts);
          }
          return one;
        }));
      }
      for (Future<List<HashCode>> f : images) {
        assertEquals(batched, f.get());
      }
      for (Future<List<HashCode>> f : textResults) {
        assertEquals(textCodes, f.get());
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void badInputIsRefusedNamingTheItemAndValue() {
    assertMessage("features[2] is NaN; expected a finite number", () -> encoder.encodeImage(
        new float[] {0, 1, Float.NaN, 3, 4, 5}));
    assertMessage("features[0] is Infinity; expected a finite number", () -> encoder.encodeImage(
        new float[] {Float.POSITIVE_INFINITY, 1, 2, 3, 4, 5}));
    assertMessage("features: the model's image net takes 6 numbers, got 5", () -> encoder.encodeImage(new float[5]));
    assertMessage("features[1]: the model's image net takes 6 numbers, got 7",
        () -> encoder.encodeImages(List.of(new float[6], new float[7])));
    assertMessage("features: expected at least one item, got an empty list", () -> encoder.encodeImages(List.of()));
    assertMessage("text: expected some words, got \"  \"", () -> encoder.encodeText("  "));
    assertMessage("texts[1]: none of its words is in the model's vocabulary of 12 tokens (unknown: zebra); "
        + "got \"zebra\"", () -> encoder.encodeTexts(List.of("dog", "zebra")));
  }

  private static void assertMessage(String message, Runnable call) {
    var e = assertThrows(IllegalArgumentException.class, call::run);
    assertEquals(message, e.getMessage());
  }
}
