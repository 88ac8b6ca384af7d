package org.bicmr.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .npy files written byte by byte in the test (as NumPy writes them), CSV, and the writer's own output read back. */
class FeatureFilesTest {

  private static Path npy(Path dir, String name, String header, ByteBuffer body) throws IOException {
    String dict = header + " ".repeat(Math.max(0, 117 - header.length())) + "\n"; // 10 + 118 = 128 bytes
    ByteBuffer file = ByteBuffer.allocate(10 + dict.length() + body.capacity());
    file.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    file.put((byte) dict.length()).put((byte) 0);
    file.put(dict.getBytes(StandardCharsets.ISO_8859_1));
    file.put(body.array());
    Path path = dir.resolve(name);
    Files.write(path, file.array());
    return path;
  }

  @Test
  void npyInEveryOrderAndType(@TempDir Path dir) throws IOException {
    // the matrix [[1, 2, 3], [4, 5, 6]]
    ByteBuffer c = ByteBuffer.allocate(6 * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : new double[] {1, 2, 3, 4, 5, 6}) {
      c.putDouble(v);
    }
    NumericMatrix m = FeatureFiles.npy(npy(dir, "c.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", c));
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, m.values());

    ByteBuffer f = ByteBuffer.allocate(6 * 4).order(ByteOrder.BIG_ENDIAN);
    for (int v : new int[] {1, 4, 2, 5, 3, 6}) { // column after column
      f.putInt(v);
    }
    NumericMatrix fm = FeatureFiles.npy(npy(dir, "f.npy", "{'descr': '>i4', 'fortran_order': True, 'shape': (2, 3), }", f));
    assertEquals(2, fm.rows());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, fm.values());

    ByteBuffer u = ByteBuffer.wrap(new byte[] {(byte) 200, 7});
    NumericMatrix um = FeatureFiles.npy(npy(dir, "u.npy", "{'descr': '|u1', 'fortran_order': False, 'shape': (2,), }", u));
    assertArrayEquals(new float[] {200, 7}, um.values());

    IOException e = assertThrows(IOException.class, () -> FeatureFiles.npy(
        npy(dir, "c8.npy", "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", ByteBuffer.allocate(8))));
    assertTrue(e.getMessage().contains("<c8"), e.getMessage());
  }

  @Test
  void csvAndTheDatasetWriterReadBack(@TempDir Path dir) throws IOException {
    Path csv = dir.resolve("features.csv");
    Files.writeString(csv, "1.5,2\n-3,4e2\n");
    assertArrayEquals(new float[] {1.5f, 2, -3, 400}, FeatureFiles.read(csv, null).values());
    Files.writeString(csv, "1,2\n3\n");
    IOException e = assertThrows(IOException.class, () -> FeatureFiles.read(csv, null));
    assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("expected 2"), e.getMessage());

    PairedDataset data = PairedDataset.builder("d", 2).image(2, new float[] {1, 2, 3, 4.25f})
        .text(1, new float[] {0, 1}).labels(1, new float[] {1, 0}).vocabulary(List.of("w")).build();
    DatasetDirectory.write(data, dir.resolve("set"), "test");
    assertArrayEquals(new float[] {1, 2, 3, 4.25f}, FeatureFiles.read(dir.resolve("set/image.npy"), null).values());
    assertThrows(IOException.class, () -> FeatureFiles.read(dir.resolve("set/dataset.json"), null));
  }
}
