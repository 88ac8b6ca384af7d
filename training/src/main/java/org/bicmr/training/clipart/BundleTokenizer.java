package org.bicmr.training.clipart;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The tokens of a text as a model bundle's {@code lowercase-whitespace} tokenizer ({@code onnx-models}'
 * {@code TextVectorizer}) finds them for a vocabulary of plain words: lower-cased (Locale.ROOT), split on Unicode
 * whitespace, leading and trailing characters that are neither letters nor digits removed ("Sunset," → "sunset",
 * "“dog”" → "dog"), empty tokens dropped. A vocabulary built from these tokens has no edge punctuation, so a query
 * token either is a vocabulary word as typed or becomes one once stripped — the bundle's two tries give the same
 * word as this.
 */
final class BundleTokenizer {
  private static final Pattern WHITESPACE = Pattern.compile("(?U)\\s+");
  private static final Pattern EDGE_PUNCTUATION = Pattern.compile("^[^\\p{L}\\p{N}]+|[^\\p{L}\\p{N}]+$");

  private BundleTokenizer() {}

  /** The tokens of {@code text} in order, repeats kept. */
  static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    for (String raw : WHITESPACE.split(text.toLowerCase(Locale.ROOT).strip())) {
      String token = EDGE_PUNCTUATION.matcher(raw).replaceAll("");
      if (!token.isEmpty()) {
        out.add(token);
      }
    }
    return out;
  }
}
