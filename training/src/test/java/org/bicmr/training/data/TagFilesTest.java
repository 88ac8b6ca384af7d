package org.bicmr.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TagFilesTest {

  @Test
  void tagsSplitOnAnyWhitespaceAndBagOfWordsByHand(@TempDir Path dir) throws IOException {
    Path tags = dir.resolve("tags.txt");
    // NUS-WIDE separates some tags with U+3000 (ideographic space) and U+00A0 (no-break space)
    Files.writeString(tags, "sea sky\u3000beach\n\nsunset\u00A0sea unknown\n");
    Path vocabulary = dir.resolve("vocab.txt");
    Files.writeString(vocabulary, "sea 10\nsunset 5\nbeach 2\n");
    assertEquals(List.of(List.of("sea", "sky", "beach"), List.of(), List.of("sunset", "sea", "unknown")),
        TagFiles.tags(tags));
    NumericMatrix bow = TagFiles.bagOfWords(TagFiles.tags(tags), TagFiles.vocabulary(vocabulary), "test");
    assertArrayEquals(new float[] {1, 0, 1, 0, 0, 0, 1, 1, 0}, bow.values());
  }

  @Test
  void malformedFilesAreNamed(@TempDir Path dir) throws IOException {
    Path vocabulary = dir.resolve("vocab.txt");
    Files.writeString(vocabulary, "sea\nsky\nsea\n");
    IOException e = assertThrows(IOException.class, () -> TagFiles.vocabulary(vocabulary));
    assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("line 1"), e.getMessage());
    Path labels = dir.resolve("labels.txt");
    Files.writeString(labels, "0 1\n1 x\n");
    e = assertThrows(IOException.class, () -> TagFiles.numbers(labels));
    assertTrue(e.getMessage().contains("line 2, column 2") && e.getMessage().contains("\"x\""), e.getMessage());
  }
}
