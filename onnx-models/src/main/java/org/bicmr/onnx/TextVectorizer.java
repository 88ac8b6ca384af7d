package org.bicmr.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Text → binary bag of words over a bundle's vocabulary, tokenizer {@code lowercase-whitespace}: the text is
 * lower-cased (Locale.ROOT) and split on Unicode whitespace; a token found in the vocabulary counts as it is (tags
 * such as "360°" or "geo:tool=gmif" keep their punctuation); any other token loses its leading and trailing
 * characters that are neither letters nor digits ("sunset," → "sunset", "“dog”" → "dog") and counts if that is in the
 * vocabulary. Position n is 1 when token n occurs, else 0 — the MIRFlickr BoW convention, which tokens are whole
 * whitespace-separated tags (so "blue-sea" is one unknown token, not "blue" and "sea"). A vocabulary token the
 * tokenizer could never produce (upper-case letters, inner whitespace) is refused.
 *
 * <p>Public for {@link #tokens}, the one tokenizer that builds a vocabulary (training) and reads texts against it
 * (serving); bundles create the vectorizer itself.
 */
public final class TextVectorizer implements TextFeatures {
  static final String TOKENIZER = "lowercase-whitespace";
  private static final Pattern WHITESPACE = Pattern.compile("(?U)\\s+");
  private static final Pattern EDGE_PUNCTUATION = Pattern.compile("^[^\\p{L}\\p{N}]+|[^\\p{L}\\p{N}]+$");
  private static final int UNKNOWN_SHOWN = 5;

  private final Map<String, Integer> positions;
  private final int dim;

  TextVectorizer(List<String> vocabulary) {
    this.dim = vocabulary.size();
    this.positions = new HashMap<>(vocabulary.size() * 2);
    for (int i = 0; i < vocabulary.size(); i++) {
      String token = vocabulary.get(i);
      if (WHITESPACE.matcher(token).find()) {
        throw new IllegalArgumentException("vocabulary: token \"" + token + "\" (line " + (i + 1)
            + ") has whitespace; text is split on whitespace, so it could never match");
      }
      if (!token.equals(token.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException("vocabulary: token \"" + token + "\" (line " + (i + 1)
            + ") has upper-case letters; text is lower-cased, so it could never match");
      }
      if (positions.putIfAbsent(vocabulary.get(i), i) != null) {
        throw new IllegalArgumentException(
            "vocabulary: token \"" + vocabulary.get(i) + "\" appears twice (lines " + (positions.get(vocabulary.get(i))
                + 1) + " and " + (i + 1) + ")");
      }
    }
  }

  @Override
  public int dim() {
    return dim;
  }

  @Override
  public String describe() {
    return String.format(Locale.ROOT, "binary bag of words over %,d tokens", dim);
  }

  @Override
  public float[] features(List<String> texts, java.util.function.IntFunction<String> label) {
    float[] out = new float[texts.size() * dim];
    float[] row = new float[dim];
    for (int i = 0; i < texts.size(); i++) {
      try {
        vectorize(texts.get(i), row);
      } catch (IllegalArgumentException e) {
        String message = e.getMessage().startsWith("text: ") ? e.getMessage().substring(6) : e.getMessage();
        throw new IllegalArgumentException(label.apply(i) + ": " + message, e);
      }
      System.arraycopy(row, 0, out, i * dim, dim);
    }
    return out;
  }

  @Override
  public TextWords words(String text) {
    java.util.LinkedHashSet<String> used = new java.util.LinkedHashSet<>();
    java.util.LinkedHashSet<String> ignored = new java.util.LinkedHashSet<>();
    if (text != null && !text.isBlank()) {
      for (String token : WHITESPACE.split(text.toLowerCase(Locale.ROOT).strip())) {
        String known = known(token);
        if (known != null) {
          used.add(known);
        } else {
          ignored.add(token);
        }
      }
    }
    return new TextWords(List.copyOf(used), List.copyOf(ignored), false);
  }

  /**
   * The words of {@code text} as this tokenizer reads them, for building a vocabulary it will read the same way:
   * lower-cased (Locale.ROOT), split on Unicode whitespace, leading and trailing characters that are neither letters
   * nor digits removed ("Sunset," → "sunset", "“dog”" → "dog"), empty tokens dropped, repeats kept. A vocabulary of
   * these tokens has no edge punctuation, so a text's token is in it as typed or once stripped, as {@link #words}
   * and the vectorizer look it up.
   */
  public static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    for (String raw : WHITESPACE.split(text.toLowerCase(Locale.ROOT).strip())) {
      String token = EDGE_PUNCTUATION.matcher(raw).replaceAll("");
      if (!token.isEmpty()) {
        out.add(token);
      }
    }
    return out;
  }

  /** The vocabulary token {@code token} counts as (itself, or without its edge punctuation), or null. */
  private String known(String token) {
    if (positions.containsKey(token)) {
      return token;
    }
    String bare = EDGE_PUNCTUATION.matcher(token).replaceAll("");
    return positions.containsKey(bare) ? bare : null;
  }

  /**
   * Writes the bag of words of {@code text} into {@code out} (length {@link #dim()}, cleared first).
   *
   * @throws IllegalArgumentException if the text is empty or has no token of the vocabulary
   */
  void vectorize(String text, float[] out) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("text: expected some words, got " + (text == null ? "null" : "\"" + text + "\""));
    }
    java.util.Arrays.fill(out, 0f);
    int found = 0;
    List<String> unknown = new ArrayList<>();
    int unknownCount = 0;
    for (String token : WHITESPACE.split(text.toLowerCase(Locale.ROOT).strip())) {
      String known = known(token);
      if (known != null) {
        out[positions.get(known)] = 1f;
        found++;
      } else if (unknownCount++ < UNKNOWN_SHOWN) {
        unknown.add(token);
      }
    }
    if (found == 0) {
      throw new IllegalArgumentException("text: none of its words is in the model's vocabulary of " + dim
          + " tokens (unknown: " + String.join(", ", unknown) + (unknownCount > UNKNOWN_SHOWN ? ", …" : "")
          + "); got \"" + abbreviate(text) + "\"");
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 79) + "…";
  }
}
