package org.bicmr.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Bags of words worked out by hand for the tokenizer "lowercase-whitespace". */
class TextVectorizerTest {
  private static final List<String> VOCABULARY =
      List.of("sunset", "beach", "sea", "360°", "geo:tool=gmif", "dog", "cat", "城市", "new", "york");
  private final TextVectorizer vectorizer = new TextVectorizer(VOCABULARY);

  private float[] bow(String text) {
    float[] out = new float[VOCABULARY.size()];
    out[9] = 7; // stale values must be cleared
    vectorizer.vectorize(text, out);
    return out;
  }

  private static float[] ones(int... positions) {
    float[] v = new float[VOCABULARY.size()];
    for (int p : positions) {
      v[p] = 1;
    }
    return v;
  }

  @Test
  void tokensForAVocabularyByHand() {
    String text = "  Sunset,\tBEACH!  “dog” 360° c++ (blue-sea)\u3000城市 -- ... Don't\n";
    List<String> tokens = TextVectorizer.tokens(text);
    assertEquals(List.of("sunset", "beach", "dog", "360", "c", "blue-sea", "城市", "don't"), tokens);
    assertEquals(List.of(), TextVectorizer.tokens(" \t "));
    assertEquals(List.of("icône", "straße"), TextVectorizer.tokens("Icône STRASSE".replace("SS", "ß")));
    // a vocabulary built from the tokens reads every one of them back from the text they came from
    TextWords words = new TextVectorizer(tokens).words(text);
    assertEquals(tokens, words.used());
    assertEquals(List.of("--", "..."), words.ignored()); // tokens of punctuation alone, dropped from the vocabulary
  }

  @Test
  void lowerCaseWhitespaceTokensCountOnce() {
    assertArrayEquals(ones(0, 1), bow("Sunset BEACH sunset"));
    assertArrayEquals(ones(2, 7), bow("  sea\u3000城市\t\n")); // ideographic space and tabs are whitespace
    assertArrayEquals(ones(5), bow("dog\u00a0dog")); // no-break space too
  }

  @Test
  void vocabularyTokensKeepTheirPunctuationOtherTokensLoseItAtTheEdges() {
    assertArrayEquals(ones(3, 4), bow("360° geo:tool=gmif"));
    assertArrayEquals(ones(5, 6, 2), bow("dog, cat! “sea”"));
    assertArrayEquals(ones(1), bow("new-york's blue-sea (beach)")); // inner punctuation: one unknown token
    assertArrayEquals(ones(2), bow("sea 360°!")); // stripped, "360°!" becomes "360", which is not in the vocabulary
  }

  @Test
  void theWordsReadAndTheWordsIgnoredAreNamedEachOnce() {
    assertEquals(new TextWords(List.of("beach"), List.of("a", "giraffe", "on", "the"), false),
        vectorizer.words("A giraffe on the beach, the BEACH"));
    assertEquals(new TextWords(List.of("dog", "sea", "360°"), List.of("new-york's"), false),
        vectorizer.words("“dog” new-york's sea 360°"));
    assertEquals(new TextWords(List.of(), List.of("un", "chien"), false), vectorizer.words("un chien"));
    assertEquals(new TextWords(List.of(), List.of(), false), vectorizer.words("  "));
  }

  @Test
  void textWithoutAVocabularyWordIsRefused() {
    var e = assertThrows(IllegalArgumentException.class, () -> bow("zebra? quokka"));
    assertEquals("text: none of its words is in the model's vocabulary of 10 tokens (unknown: zebra?, quokka); "
        + "got \"zebra? quokka\"", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> bow("a b c d e f g"));
    assertEquals("text: none of its words is in the model's vocabulary of 10 tokens (unknown: a, b, c, d, e, …); "
        + "got \"a b c d e f g\"", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> bow(" \u3000 "));
    assertEquals("text: expected some words, got \" \u3000 \"", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> bow(null));
    assertEquals("text: expected some words, got null", e.getMessage());
  }

  @Test
  void vocabularyTokensTheTokenizerCannotProduceAreRefused() {
    var e = assertThrows(IllegalArgumentException.class, () -> new TextVectorizer(List.of("a", "new york")));
    assertEquals("vocabulary: token \"new york\" (line 2) has whitespace; text is split on whitespace, so it could "
        + "never match", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new TextVectorizer(List.of("new\u00a0york")));
    assertEquals("vocabulary: token \"new\u00a0york\" (line 1) has whitespace; text is split on whitespace, so it "
        + "could never match", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new TextVectorizer(List.of("a", "b", "NYC")));
    assertEquals("vocabulary: token \"NYC\" (line 3) has upper-case letters; text is lower-cased, so it could never "
        + "match", e.getMessage());
  }

  @Test
  void aRepeatedVocabularyTokenIsRefused() {
    var e = assertThrows(IllegalArgumentException.class, () -> new TextVectorizer(List.of("a", "b", "a")));
    assertEquals("vocabulary: token \"a\" appears twice (lines 1 and 3)", e.getMessage());
  }
}
