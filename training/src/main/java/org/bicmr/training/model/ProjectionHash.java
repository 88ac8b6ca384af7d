package org.bicmr.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Hash functions that are fixed linear maps, the codes of the simple baselines: each modality's input is first made a
 * feature vector (a binary bag of words becomes its tf-idf vector of unit length; other features are standardised),
 * then multiplied by an optional learnt map (the linear baseline's ridge regression to the labels, less the training
 * mean of its predictions), then by random hyperplanes; the signs are the code.
 */
public final class ProjectionHash implements HashFunctions {
  private static final String MAGIC = "BICMR-PROJECTION-1";

  /**
   * One modality's map: {@code code = sign(((prep(x) · W) − centre) · H)}, or {@code sign(prep(x) · H)} without W.
   *
   * @param idf the tf-idf weights of a bag of words (null: standardise with {@code mean} and {@code scale} instead)
   * @param mean the training mean of the features (standardisation; null with tf-idf)
   * @param scale the training standard deviation of the features, zeros replaced by 1 (null with tf-idf)
   * @param weights the learnt map, d × k row-major, or null (k = d)
   * @param centre the training mean of the learnt map's outputs (k values), or null without a map
   * @param hyperplanes k × l row-major
   */
  public record Projection(int dim, float[] idf, float[] mean, float[] scale, float[] weights, int width,
      float[] centre, float[] hyperplanes) {
    public Projection {
      if ((idf == null) == (mean == null || scale == null)) {
        throw new IllegalArgumentException("a projection takes tf-idf weights or a mean and a scale, not both");
      }
      int k = weights == null ? dim : width;
      if (weights != null && (weights.length != dim * width || centre == null || centre.length != width)) {
        throw new IllegalArgumentException("the learnt map must be " + dim + " × " + width + " with " + width
            + " centre values");
      }
      if (hyperplanes.length % k != 0) {
        throw new IllegalArgumentException("hyperplanes must be " + k + " × bits, got " + hyperplanes.length
            + " values");
      }
    }

    int bits() {
      return hyperplanes.length / (weights == null ? dim : width);
    }

    /** The features of a batch (b × d) before the learnt map. */
    public NDArray features(NDArray x) {
      NDManager m = x.getManager();
      if (idf != null) {
        NDArray w = x.mul(m.create(idf, new Shape(1, dim)));
        return w.div(w.square().sum(new int[] {1}, true).sqrt().maximum(1e-12));
      }
      return x.sub(m.create(mean, new Shape(1, dim))).div(m.create(scale, new Shape(1, dim)));
    }

    /** The real-valued outputs before the sign (b × l). */
    NDArray outputs(NDArray x) {
      NDManager m = x.getManager();
      NDArray z = features(x);
      int k = dim;
      if (weights != null) {
        z = z.matMul(m.create(weights, new Shape(dim, width))).sub(m.create(centre, new Shape(1, width)));
        k = width;
      }
      return z.matMul(m.create(hyperplanes, new Shape(k, hyperplanes.length / k)));
    }

    void save(DataOutputStream out) throws IOException {
      out.writeInt(dim);
      out.writeInt(width);
      for (float[] a : new float[][] {idf, mean, scale, weights, centre, hyperplanes}) {
        out.writeInt(a == null ? -1 : a.length);
        if (a != null) {
          for (float v : a) {
            out.writeFloat(v);
          }
        }
      }
    }

    static Projection load(DataInputStream in) throws IOException {
      int dim = in.readInt();
      int width = in.readInt();
      float[][] arrays = new float[6][];
      for (int i = 0; i < arrays.length; i++) {
        int n = in.readInt();
        if (n >= 0) {
          arrays[i] = new float[n];
          for (int j = 0; j < n; j++) {
            arrays[i][j] = in.readFloat();
          }
        }
      }
      return new Projection(dim, arrays[0], arrays[1], arrays[2], arrays[3], width, arrays[4], arrays[5]);
    }
  }

  private final Projection image;
  private final Projection text;

  public ProjectionHash(Projection image, Projection text) {
    if (image.bits() != text.bits()) {
      throw new IllegalArgumentException("both modalities need the same code length, got " + image.bits() + " and "
          + text.bits());
    }
    this.image = image;
    this.text = text;
  }

  @Override
  public int bits() {
    return image.bits();
  }

  public Projection image() {
    return image;
  }

  public Projection text() {
    return text;
  }

  @Override
  public NDArray imageHash(NDArray features) {
    return image.outputs(features);
  }

  @Override
  public NDArray textHash(NDArray bow) {
    return text.outputs(bow);
  }

  @Override
  public void save(DataOutputStream out) throws IOException {
    out.writeUTF(MAGIC);
    image.save(out);
    text.save(out);
  }

  /** Reads what {@link #save} wrote. */
  public static ProjectionHash load(DataInputStream in) throws IOException {
    String magic = in.readUTF();
    if (MAGIC.equals(magic) == false) {
      throw new IOException("not the parameters of a projection hash (header \"" + magic + "\")");
    }
    return new ProjectionHash(Projection.load(in), Projection.load(in));
  }
}
