package org.bicmr.onnx;

import java.util.List;

/**
 * How a bundle turns texts into the text net's input vectors: a binary bag of words over a vocabulary ({@link
 * TextVectorizer}) or a sentence encoder ({@link SentenceEncoder}). Thread-safe.
 */
interface TextFeatures extends AutoCloseable {
  /** The width of one vector. */
  int dim();

  /**
   * The vectors of {@code texts}, row-major ({@code texts.size() × dim()}).
   *
   * @param label how an error names text i, e.g. {@code i -> "texts[" + i + "]"}
   * @throws IllegalArgumentException naming the text when one cannot be encoded (null, blank, no known word)
   */
  float[] features(List<String> texts, java.util.function.IntFunction<String> label);

  /** Which words of {@code text} the vectors read (a sentence encoder: every word). */
  default TextWords words(String text) {
    return TextWords.all();
  }

  /** What the vectors are, for reports: e.g. "bag of words over 1,386 tags". */
  String describe();

  @Override
  default void close() {}
}
