package org.bicmr.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.bicmr.training.data.FeatureMoments;
import org.bicmr.training.data.PairedDataset;

/**
 * What a batch's items are to each other apart from their labels ({@link BiCmrLoss.Affinities}), from every training
 * item's data: for L_nbr the input features, dense ones standardised per dimension (a bag of words kept as it is, as
 * the nets keep it), then scaled to unit length, so a batch's affinities are the cosines of its rows (an all-zero row
 * has affinity 0 with everything); for L_inst the split groups (every style of one emoji is one thing; without split
 * groups every item is its own).
 */
final class InputAffinities {
  private final float[] image;
  private final float[] text;
  private final int imageDim;
  private final int textDim;
  private final int[] groups;

  /**
   * @param neighbours whether L_nbr needs the features (else the affinities' image and text parts are null)
   * @param instances whether L_inst needs the groups (else the same-item part is null)
   */
  InputAffinities(PairedDataset data, boolean neighbours, boolean instances) {
    this.imageDim = data.imageDim();
    this.textDim = data.textDim();
    this.image = neighbours ? unitRows(data.image(), imageDim) : null;
    this.text = neighbours ? unitRows(data.text(), textDim) : null;
    this.groups = instances ? groups(data) : null;
  }

  /** The affinities of the given training items, in that order. */
  BiCmrLoss.Affinities of(NDManager batch, int[] rows) {
    NDArray i = null;
    NDArray t = null;
    if (image != null) {
      NDArray x = batch.create(PairedDataset.rows(image, imageDim, rows), new Shape(rows.length, imageDim));
      NDArray y = batch.create(PairedDataset.rows(text, textDim, rows), new Shape(rows.length, textDim));
      i = x.matMul(x.transpose());
      t = y.matMul(y.transpose());
    }
    NDArray same = null;
    if (groups != null) {
      float[] p = new float[rows.length * rows.length];
      for (int a = 0; a < rows.length; a++) {
        for (int b = 0; b < rows.length; b++) {
          p[a * rows.length + b] = groups[rows[a]] == groups[rows[b]] ? 1f : 0f;
        }
      }
      same = batch.create(p, new Shape(rows.length, rows.length));
    }
    return new BiCmrLoss.Affinities(i, t, same);
  }

  private static int[] groups(PairedDataset data) {
    if (data.splitGroups() != null) {
      return data.splitGroups();
    }
    int[] own = new int[data.size()];
    java.util.Arrays.setAll(own, k -> k);
    return own;
  }

  static float[] unitRows(float[] rows, int dim) {
    float[] out = rows.clone();
    if (FeatureMoments.isBagOfWords(rows) == false) {
      FeatureMoments moments = FeatureMoments.of(rows, dim);
      for (int r = 0; r < out.length; r += dim) {
        for (int d = 0; d < dim; d++) {
          double sd = moments.deviation()[d];
          out[r + d] = (float) ((out[r + d] - moments.mean()[d]) / (sd > 1e-8 ? sd : 1));
        }
      }
    }
    for (int r = 0; r < out.length; r += dim) {
      double norm = 0;
      for (int d = 0; d < dim; d++) {
        norm += (double) out[r + d] * out[r + d];
      }
      if (norm > 0) {
        float inv = (float) (1 / Math.sqrt(norm));
        for (int d = 0; d < dim; d++) {
          out[r + d] *= inv;
        }
      }
    }
    return out;
  }
}
