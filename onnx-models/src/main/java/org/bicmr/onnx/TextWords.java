package org.bicmr.onnx;

import java.util.List;

/**
 * Which words of a text a bundle's text side read: for a bag-of-words bundle the tokens found in its vocabulary
 * ({@code used}) and the others ({@code ignored}), each once, in text order; a sentence encoder reads every word
 * ({@code everyWord}, both lists empty).
 */
public record TextWords(List<String> used, List<String> ignored, boolean everyWord) {
  public TextWords {
    used = List.copyOf(used);
    ignored = List.copyOf(ignored);
  }

  static TextWords all() {
    return new TextWords(List.of(), List.of(), true);
  }
}
