package org.bicmr.training.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MatFilesTest {

  @Test
  void readsV73WrittenTheWayMatlabWritesIt(@TempDir Path dir) throws IOException {
    // a 2 × 3 matrix [[1 2 3]; [4 5 6]] as MATLAB v7.3 stores it: column-major, so an HDF5 dataset of shape (3, 2)
    double[][] columnMajor = {{1, 4}, {2, 5}, {3, 6}};
    Path file = dir.resolve("small-iall.mat");
    try (WritableHdfFile hdf = HdfFile.write(file)) {
      hdf.putDataset("IAll", columnMajor);
    }
    assertTrue(MatFiles.isHdf5(file));
    NumericMatrix m = MatFiles.read(file, "IAll");
    assertEquals(2, m.rows());
    assertEquals(3, m.cols());
    assertEquals(2f, m.get(0, 1));
    assertEquals(4f, m.get(1, 0));
    assertEquals(6f, m.get(1, 2));
    IOException e = assertThrows(IOException.class, () -> MatFiles.read(file, "YAll"));
    assertTrue(e.getMessage().contains("YAll") && e.getMessage().contains("IAll"), e.getMessage());
  }

  @Test
  void readsV5WithItsOrientation() throws IOException {
    Path lall = RealData.mirflickr().resolve("mirflickr25k-lall.mat");
    assertTrue(MatFiles.isHdf5(lall) == false);
    NumericMatrix m = MatFiles.read(lall, "LAll");
    // the first line of mir_label.txt: labels 7, 14, 16, 19, 20 (1-based) are on
    float[] first = new float[24];
    for (int c : new int[] {6, 13, 15, 18, 19}) {
      first[c] = 1f;
    }
    for (int c = 0; c < 24; c++) {
      assertEquals(first[c], m.get(0, c), "column " + c);
    }
    IOException missing = assertThrows(IOException.class, () -> MatFiles.read(lall, "Nope"));
    assertTrue(missing.getMessage().contains("Nope"), missing.getMessage());
    assertThrows(java.nio.file.NoSuchFileException.class, () -> MatFiles.read(lall.resolveSibling("none.mat"), "X"));
  }
}
