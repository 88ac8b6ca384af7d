package org.bicmr.training.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files are drawings, their texts (a text file beside them, or their path's words), links and the limit. */
class ImageFolderTest {
  @Test
  void textsComeFromASidecarOrThePathsWordsAndLinksCountOnce(@TempDir Path tmp) throws Exception {
    Path root = tmp.resolve("png");
    Files.createDirectories(root.resolve("animals/birds"));
    Files.createDirectories(root.resolve("food"));
    Files.write(root.resolve("animals/birds/red_parrot_01.png"), new byte[] {1});
    Files.write(root.resolve("food/Apple-Pie.JPG"), new byte[] {1});
    Files.write(root.resolve("food/x.png"), new byte[] {1});
    Files.writeString(root.resolve("food/x.txt"), "  cake with cherries \n");
    Files.writeString(root.resolve("food/notes.txt"), "not a drawing");
    Files.createSymbolicLink(root.resolve("food/parrot_link.png"), root.resolve("animals/birds/red_parrot_01.png"));

    List<ImageFolder.Drawing> all = ImageFolder.scan(root, 100);
    assertEquals(List.of("animals birds red parrot", "food apple pie", "cake with cherries"),
        all.stream().map(ImageFolder.Drawing::text).toList());
    assertEquals(root.resolve("animals/birds/red_parrot_01.png"), all.get(0).file());
    assertEquals(2, ImageFolder.scan(root, 2).size());
    assertThrows(NoSuchFileException.class, () -> ImageFolder.scan(root.resolve("nope"), 10));
    assertEquals("limit must be at least 1, got 0",
        assertThrows(IllegalArgumentException.class, () -> ImageFolder.scan(root, 0)).getMessage());
  }
}
