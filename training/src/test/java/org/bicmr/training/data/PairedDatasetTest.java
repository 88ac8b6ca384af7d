package org.bicmr.training.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PairedDatasetTest {

  private static PairedDataset.Builder twoItems() {
    return PairedDataset.builder("two", 2)
        .image(1, new float[] {1, 2})
        .text(3, new float[] {1, 0, 1, 0, 1, 0})
        .labels(1, new float[] {1, 1});
  }

  @Test
  void aBagOfWordsIsWrittenOutAsItsVocabularyWords() {
    PairedDataset data = twoItems().vocabulary(List.of("sea", "sky", "sand")).build();
    assertEquals("sea sand", data.words(0));
    assertEquals("sky", data.words(1));
  }

  @Test
  void aSentenceEncodedDatasetShowsItsOwnTexts() {
    // the text vectors stand for sentence encodings here: the written texts win over any vocabulary
    PairedDataset data = twoItems().texts(List.of("A brown hen.", "grinning face")).build();
    assertEquals("A brown hen.", data.words(0));
    assertEquals("grinning face", data.words(1));
  }

  @Test
  void withNeitherTheErrorSaysWhy() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> twoItems().build().words(0));
    assertTrue(e.getMessage().contains("two has no vocabulary and no texts"), e.getMessage());
  }
}
