package org.bicmr.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.function.Function;

/**
 * Runs a trained hash net over many items in batches and returns its outputs (row-major n × l): the relaxed codes
 * (tanh outputs for Bi-CMR), whose signs are the hash codes (DESIGN §3).
 */
public final class HashOutputs {
  private static final int BATCH = 512;

  private HashOutputs() {}

  /** The image net's outputs for the image rows at {@code indices} of a row-major matrix with {@code dim} columns. */
  public static float[] images(HashFunctions net, NDManager manager, float[] rows, int dim, int[] indices) {
    return run(manager, rows, dim, indices, net.bits(), net::imageHash);
  }

  /** The text net's outputs for the text rows at {@code indices}. */
  public static float[] texts(HashFunctions net, NDManager manager, float[] rows, int dim, int[] indices) {
    return run(manager, rows, dim, indices, net.bits(), net::textHash);
  }

  private static float[] run(NDManager manager, float[] rows, int dim, int[] indices, int bits,
      Function<NDArray, NDArray> net) {
    float[] out = new float[indices.length * bits];
    for (int from = 0; from < indices.length; from += BATCH) {
      int count = Math.min(BATCH, indices.length - from);
      float[] batch = new float[count * dim];
      for (int i = 0; i < count; i++) {
        System.arraycopy(rows, indices[from + i] * dim, batch, i * dim, dim);
      }
      try (NDManager scope = manager.newSubManager()) {
        float[] hash = net.apply(scope.create(batch, new Shape(count, dim))).toFloatArray();
        System.arraycopy(hash, 0, out, from * bits, hash.length);
      }
    }
    return out;
  }
}
