package org.bicmr.training.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.bicmr.training.data.PairedDataset;

/**
 * The training pairs as the trained baselines (DCMH, PRDH, SSAH, AGAH) step through them: every step a fresh random
 * batch of distinct items, ⌈n / batch⌉ steps per net and epoch, the batch's image or text rows and labels as arrays,
 * and the per-item buffers of outputs that start from N(0, 1).
 */
final class TrainingItems {
  private final PairedDataset data;
  private final int[] pool;

  /** The pairs of {@code data}; {@code method} names the baseline in the error when there are fewer than two. */
  TrainingItems(String method, PairedDataset data) {
    if (data.size() < 2) {
      throw new IllegalArgumentException(method + " needs at least 2 training items, got " + data.size());
    }
    this.data = data;
    this.pool = new int[data.size()];
    for (int i = 0; i < pool.length; i++) {
      pool[i] = i;
    }
  }

  PairedDataset data() {
    return data;
  }

  int size() {
    return data.size();
  }

  /** Steps of one net per epoch at {@code batchSize}: ⌈n / batch⌉. */
  int steps(int batchSize) {
    return (data.size() + batchSize - 1) / batchSize;
  }

  /** A batch of {@code batchSize} distinct items (all of them when there are fewer), uniformly at random. */
  int[] sample(int batchSize, SplittableRandom random) {
    return sample(pool, Math.min(batchSize, data.size()), random);
  }

  /** {@code size} distinct items, uniformly (a partial Fisher–Yates shuffle of {@code pool}). */
  static int[] sample(int[] pool, int size, SplittableRandom random) {
    for (int i = 0; i < size; i++) {
      int j = i + random.nextInt(pool.length - i);
      int t = pool[i];
      pool[i] = pool[j];
      pool[j] = t;
    }
    return Arrays.copyOf(pool, size);
  }

  /** The image ({@code image}) or text rows of {@code rows} in {@code scope}. */
  NDArray input(NDManager scope, boolean image, int[] rows) {
    int dim = image ? data.imageDim() : data.textDim();
    return scope.create(PairedDataset.rows(image ? data.image() : data.text(), dim, rows),
        new Shape(rows.length, dim));
  }

  /** The labels of {@code rows} (all items when null) in {@code scope}. */
  NDArray labels(NDManager scope, int[] rows) {
    int c = data.labelCount();
    if (rows == null) {
      return scope.create(data.labels(), new Shape(data.size(), c));
    }
    return scope.create(PairedDataset.rows(data.labels(), c, rows), new Shape(rows.length, c));
  }

  /** Copies the batch's {@code values} ({@code rows.length} rows of {@code width}) into their rows of a buffer. */
  static void store(float[] buffer, int width, int[] rows, NDArray values) {
    float[] v = values.toFloatArray();
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(v, i * width, buffer, rows[i] * width, width);
    }
  }

  /** {@code count} draws from N(0, 1), as every buffer starts. */
  static float[] gaussian(SplittableRandom random, int count) {
    float[] out = new float[count];
    for (int i = 0; i < count; i++) {
      out[i] = (float) random.nextGaussian();
    }
    return out;
  }
}
