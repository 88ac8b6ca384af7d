package org.bicmr.training.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** A baseline objective's terms (unweighted) and its weighted total, as scalars. */
record LossTerms(NDArray[] parts, NDArray total) {

  /** The terms, then the total, as doubles (for logs and {@code model.json}). */
  double[] values() {
    double[] out = new double[parts.length + 1];
    for (int i = 0; i < parts.length; i++) {
      out[i] = value(parts[i]);
    }
    out[parts.length] = value(total);
    return out;
  }

  /** A scalar as a double, whatever its type. */
  static double value(NDArray a) {
    return a.toType(DataType.FLOAT64, false).getDouble();
  }
}
