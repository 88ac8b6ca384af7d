package org.bicmr.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.bicmr.training.data.FeatureMoments;
import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.loss.BiCmrLoss;

/**
 * Every training item's input features made ready for L_nbr's affinities: dense features standardised per dimension
 * (a bag of words kept as it is, as the nets keep it), then scaled to unit length, so a batch's affinities are the
 * cosines of its rows. An all-zero row stays zero and has affinity 0 with everything.
 */
final class InputAffinities {
  private final float[] image;
  private final float[] text;
  private final int imageDim;
  private final int textDim;

  InputAffinities(PairedDataset data) {
    this.imageDim = data.imageDim();
    this.textDim = data.textDim();
    this.image = unitRows(data.image(), imageDim);
    this.text = unitRows(data.text(), textDim);
  }

  /** The b × b cosines of the given training items' image features and of their text vectors. */
  BiCmrLoss.Affinities of(NDManager batch, int[] rows) {
    NDArray i = batch.create(PairedDataset.rows(image, imageDim, rows), new Shape(rows.length, imageDim));
    NDArray t = batch.create(PairedDataset.rows(text, textDim, rows), new Shape(rows.length, textDim));
    return new BiCmrLoss.Affinities(i.matMul(i.transpose()), t.matMul(t.transpose()));
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
