package org.bicmr.training.data;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.Matrix;

/**
 * Reads a 2-D numeric variable from a MATLAB {@code .mat} file, the format of the cross-modal hashing datasets
 * ({@code mirflickr25k-iall.mat}: {@code IAll}, {@code -yall.mat}: {@code YAll}, {@code -lall.mat}: {@code LAll}).
 * Version 5 files are read with mfl-core, version 7.3 files (HDF5 inside) with jHDF; the version is told by the file's
 * signature. MATLAB stores matrices column-major, so in a v7.3 file an r × c matrix is an HDF5 dataset of shape
 * (c, r): it is transposed back here, and the result is always the matrix MATLAB shows.
 */
public final class MatFiles {
  private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

  private MatFiles() {}

  /** The r × c matrix {@code variable} of {@code file}. */
  public static NumericMatrix read(Path file, String variable) throws IOException {
    if (Files.isRegularFile(file) == false) {
      throw new NoSuchFileException(file.toString(), null, "MATLAB file not found (looking for variable " + variable + ")");
    }
    return isHdf5(file) ? readV73(file, variable) : readV5(file, variable);
  }

  /** True for HDF5 files (MATLAB v7.3 puts the HDF5 superblock after a 512-byte header). */
  static boolean isHdf5(Path file) throws IOException {
    byte[] head = new byte[520];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    }
    return startsWith(head, n, 0) || startsWith(head, n, 512);
  }

  private static boolean startsWith(byte[] head, int length, int offset) {
    if (length < offset + HDF5_SIGNATURE.length) {
      return false;
    }
    for (int i = 0; i < HDF5_SIGNATURE.length; i++) {
      if (head[offset + i] != HDF5_SIGNATURE[i]) {
        return false;
      }
    }
    return true;
  }

  private static NumericMatrix readV5(Path file, String variable) throws IOException {
    String source = file + " (MATLAB v5) variable " + variable;
    try (MatFile mat = Mat5.readFromFile(file.toFile())) {
      Matrix m;
      try {
        m = mat.getMatrix(variable);
      } catch (IllegalArgumentException | ClassCastException e) {
        throw new IOException(source + ": no numeric matrix of that name (" + e.getMessage() + ")", e);
      }
      if (m.getNumDimensions() != 2) {
        throw new IOException(source + ": " + m.getNumDimensions() + " dimensions, expected a 2-D matrix");
      }
      int rows = m.getNumRows();
      int cols = m.getNumCols();
      float[] values = new float[Math.multiplyExact(rows, cols)];
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          values[r * cols + c] = (float) m.getDouble(r, c);
        }
      }
      return new NumericMatrix(source, rows, cols, values);
    }
  }

  private static NumericMatrix readV73(Path file, String variable) throws IOException {
    String source = file + " (MATLAB v7.3 / HDF5) variable " + variable;
    try (HdfFile hdf = new HdfFile(file)) {
      Node node = hdf.getChildren().get(variable);
      if (node instanceof Dataset == false) {
        throw new IOException(source + ": no dataset of that name; the file has " + hdf.getChildren().keySet());
      }
      Dataset dataset = (Dataset) node;
      int[] dims = dataset.getDimensions();
      if (dims.length != 2) {
        throw new IOException(source + ": " + dims.length + " dimensions, expected a 2-D matrix");
      }
      int cols = dims[0]; // HDF5 shape (c, r) holds MATLAB's column-major r × c matrix
      int rows = dims[1];
      Object flat = dataset.getDataFlat();
      if (flat.getClass().isArray() == false || flat.getClass().getComponentType().isPrimitive() == false
          || flat.getClass().getComponentType() == boolean.class) {
        throw new IOException(source + ": element type " + dataset.getJavaType() + ", expected numbers");
      }
      float[] values = new float[Math.multiplyExact(rows, cols)];
      for (int c = 0; c < cols; c++) {
        for (int r = 0; r < rows; r++) {
          values[r * cols + c] = ((Number) Array.get(flat, c * rows + r)).floatValue();
        }
      }
      return new NumericMatrix(source, rows, cols, values);
    }
  }
}
