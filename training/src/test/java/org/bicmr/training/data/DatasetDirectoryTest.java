package org.bicmr.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetDirectoryTest {

  private static PairedDataset sample() {
    return PairedDataset.builder("sample", 2)
        .image(3, new float[] {1, 2, 3, 4, 5, 6.5f})
        .text(2, new float[] {1, 0, 0, 1})
        .labels(2, new float[] {1, 1, 0, 1})
        .relevanceGroups(new int[] {7, 3})
        .vocabulary(List.of("sea", "sky"))
        .labelNames(List.of("water", "clouds"))
        .build();
  }

  @Test
  void roundTrip(@TempDir Path dir) throws IOException {
    PairedDataset data = sample();
    DatasetDirectory.write(data, dir, "test");
    PairedDataset back = DatasetDirectory.read(dir);
    assertEquals(data, back);
    assertEquals(List.of("sea", "sky"), back.vocabulary());
    assertEquals(List.of("water", "clouds"), back.labelNames());
    assertArrayEquals(new int[] {7, 3}, back.relevanceGroups());
  }

  @Test
  void writesStandardNpy(@TempDir Path dir) throws IOException {
    DatasetDirectory.write(sample(), dir, "test");
    byte[] bytes = Files.readAllBytes(dir.resolve("image.npy"));
    // magic, version 1.0, header length; header padded so the data starts at a multiple of 64
    assertEquals((byte) 0x93, bytes[0]);
    assertEquals("NUMPY", new String(bytes, 1, 5, java.nio.charset.StandardCharsets.US_ASCII));
    int headerLength = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
    assertEquals(0, (10 + headerLength) % 64);
    String header = new String(bytes, 10, headerLength, java.nio.charset.StandardCharsets.US_ASCII);
    assertTrue(header.contains("'descr': '<f4'") && header.contains("'shape': (2, 3)") && header.endsWith("\n"), header);
    ByteBuffer body = ByteBuffer.wrap(bytes, 10 + headerLength, 24).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(1f, body.getFloat());
    body.position(10 + headerLength + 20);
    assertEquals(6.5f, body.getFloat());
  }

  @Test
  void inconsistentFilesAreNamed(@TempDir Path dir) throws IOException {
    DatasetDirectory.write(sample(), dir, "test");
    Files.writeString(dir.resolve("dataset.json"),
        Files.readString(dir.resolve("dataset.json")).replace("\"imageDim\": 3", "\"imageDim\": 4"));
    IOException e = assertThrows(IOException.class, () -> DatasetDirectory.read(dir));
    assertTrue(e.getMessage().contains("image.npy") && e.getMessage().contains("(2, 4)") && e.getMessage().contains("(2, 3)"), e.getMessage());
    IOException missing = assertThrows(IOException.class, () -> DatasetDirectory.read(dir.resolve("nope")));
    assertTrue(missing.getMessage().contains("dataset.json"), missing.getMessage());
  }
}
