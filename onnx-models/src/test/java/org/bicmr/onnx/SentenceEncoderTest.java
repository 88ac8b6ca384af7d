package org.bicmr.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sentence encoder (all-MiniLM-L6-v2, int8, from its Maven artifact): its vectors against the transformer run by
 * hand on one unpadded text, batches against single texts, unit length, and what it says of similar sentences.
 */
class SentenceEncoderTest {
  static final String MODEL = "all-minilm-l6-v2-q.onnx";
  static final String TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";
  private static SentenceEncoder encoder;

  static byte[] resource(String name) throws Exception {
    try (InputStream in = SentenceEncoderTest.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is not on the class path (" + ModelBundle.SENTENCE_ENCODER_ARTIFACT
            + ")");
      }
      return in.readAllBytes();
    }
  }

  @BeforeAll
  static void open() throws Exception {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      encoder = SentenceEncoder.open("test", "text.encoder", "all-MiniLM-L6-v2", resource(MODEL), resource(TOKENIZER),
          384, 16, OnnxRuntimeEnvironment.get(), options);
    }
  }

  @AfterAll
  static void close() {
    encoder.close();
  }

  @Test
  void theVectorIsTheMeanTokenStateAtUnitLength() throws Exception {
    String text = "A red apple on a wooden table.";
    // by hand: the tokenizer alone, the transformer on this one text (no padding), the mean of every state
    float[] expected;
    try (HuggingFaceTokenizer t = HuggingFaceTokenizer.newInstance(
            new java.io.ByteArrayInputStream(resource(TOKENIZER)), Map.of());
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession s = OnnxRuntimeEnvironment.get().createSession(resource(MODEL), options)) {
      Encoding e = t.encode(text);
      OrtEnvironment env = OnnxRuntimeEnvironment.get();
      try (OnnxTensor ids = OnnxTensor.createTensor(env, new long[][] {e.getIds()});
          OnnxTensor mask = OnnxTensor.createTensor(env, new long[][] {e.getAttentionMask()});
          OnnxTensor types = OnnxTensor.createTensor(env, new long[][] {e.getTypeIds()});
          OrtSession.Result r = s.run(Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types))) {
        float[][] states = ((float[][][]) r.get(0).getValue())[0];
        expected = new float[384];
        for (float[] state : states) {
          for (int d = 0; d < 384; d++) {
            expected[d] += state[d] / states.length;
          }
        }
        double norm = 0;
        for (float v : expected) {
          norm += v * v;
        }
        for (int d = 0; d < 384; d++) {
          expected[d] /= (float) Math.sqrt(norm);
        }
      }
    }
    float[] alone = encoder.features(List.of(text), i -> "t" + i);
    assertArrayEquals(expected, alone, 1e-6f);
    // with other texts around it, the same vector: each text is encoded on its own (the int8 model's scales would
    // otherwise depend on its neighbours)
    float[] among = encoder.features(List.of("and a much longer first sentence before it", text, "a cat"),
        i -> "t" + i);
    assertArrayEquals(expected, java.util.Arrays.copyOfRange(among, 384, 768), 1e-6f);
  }

  @Test
  void similarSentencesAreNearer() {
    List<String> texts = List.of("a vehicle used by firefighters", "fire engine", "apple fruit",
        "a red apple on a table", "a sleeping cat", "kitten");
    float[] v = encoder.features(texts, i -> "t" + i);
    assertTrue(cos(v, 0, 1) > cos(v, 0, 2) + 0.3, "firefighters: fire engine " + cos(v, 0, 1) + ", apple "
        + cos(v, 0, 2));
    assertTrue(cos(v, 3, 2) > cos(v, 3, 1) + 0.3, "red apple: apple fruit " + cos(v, 3, 2) + ", fire engine "
        + cos(v, 3, 1));
    assertTrue(cos(v, 4, 5) > cos(v, 4, 1), "cat: kitten " + cos(v, 4, 5) + ", fire engine " + cos(v, 4, 1));
    for (int i = 0; i < texts.size(); i++) {
      assertEquals(1.0, cos(v, i, i), 1e-5, "unit length");
    }
  }

  @Test
  void longTextsAreCutAndBlankOnesRefused() {
    String longText = "word ".repeat(100);
    assertEquals(16, encoder.tokens(longText).size(), "at most max_tokens word pieces");
    assertEquals(List.of("[CLS]", "firefighters", "!", "[SEP]"), encoder.tokens("FIREFIGHTERS!"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> encoder.features(List.of("fine", "  "), i -> "texts[" + i + "]"));
    assertEquals("texts[1]: expected some words, got \"  \"", e.getMessage());
  }

  private static double cos(float[] v, int a, int b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int d = 0; d < 384; d++) {
      dot += v[a * 384 + d] * v[b * 384 + d];
      na += v[a * 384 + d] * v[a * 384 + d];
      nb += v[b * 384 + d] * v[b * 384 + d];
    }
    return dot / Math.sqrt(na * nb);
  }
}
