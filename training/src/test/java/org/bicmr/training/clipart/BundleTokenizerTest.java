package org.bicmr.training.clipart;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The tokens, worked out by hand from the rule the bundle's vectorizer documents. */
class BundleTokenizerTest {
  @Test
  void lowerCaseWhitespaceSplitEdgePunctuationStripped() {
    assertEquals(List.of("sunset", "beach", "dog", "360", "c", "blue-sea", "城市", "don't"),
        BundleTokenizer.tokens("  Sunset,\tBEACH!  “dog” 360° c++ (blue-sea)\u3000城市 -- ... Don't\n"));
    assertEquals(List.of(), BundleTokenizer.tokens(" \t "));
    assertEquals(List.of("icône", "straße"), BundleTokenizer.tokens("Icône STRASSE".replace("SS", "ß")));
  }
}
