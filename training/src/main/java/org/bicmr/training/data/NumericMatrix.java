package org.bicmr.training.data;

/**
 * A 2-D numeric matrix read from a file, as row-major floats: element (r, c) at {@code values[r * cols + c]}.
 *
 * @param source where it came from (file and variable), for messages
 */
public record NumericMatrix(String source, int rows, int cols, float[] values) {
  public NumericMatrix {
    if ((long) rows * cols != values.length) {
      throw new IllegalArgumentException(source + ": " + values.length + " values for " + rows + " × " + cols);
    }
  }

  public float get(int row, int col) {
    return values[row * cols + col];
  }

  /** Checks the row count against what another file or the caller expects. */
  public NumericMatrix requireRows(int expected, String what) {
    if (rows != expected) {
      throw new IllegalArgumentException(source + " has " + rows + " rows, expected " + expected
          + " (the number of items in " + what + ")");
    }
    return this;
  }
}
