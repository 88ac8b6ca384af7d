package org.bicmr.training.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/** Building blocks of the pairwise baselines' objectives, on matrices whose rows are items. */
final class Pairwise {
  private Pairwise() {}

  /**
   * Σ_ij log(1 + e^Θ_ij) − S_ij Θ_ij with Θ = ½ a bᵀ: the negative log-likelihood of the similarities S under
   * p(S_ij = 1) = σ(Θ_ij) (DCMH's first term).
   */
  static NDArray likelihood(NDArray a, NDArray b, NDArray s) {
    NDArray theta = a.matMul(b.transpose()).mul(0.5);
    return softplus(theta).sub(s.mul(theta)).sum();
  }

  /**
   * {@link #likelihood(NDArray, NDArray, NDArray)} of whole matrices with S from label overlap, {@code chunk} rows of
   * {@code a} at a time, so that S (n × n) is never held whole.
   */
  static NDArray likelihood(NDArray a, NDArray b, NDArray labelsA, NDArray labelsB, int chunk) {
    if (chunk < 1) {
      throw new IllegalArgumentException("chunk must be at least 1 row, got " + chunk);
    }
    long n = a.getShape().get(0);
    NDArray sum = null;
    for (long from = 0; from < n; from += chunk) {
      NDIndex rows = new NDIndex("{}:{}", from, Math.min(n, from + chunk));
      NDArray part = likelihood(a.get(rows), b, similarity(labelsA.get(rows), labelsB));
      sum = sum == null ? part : sum.add(part);
    }
    return sum;
  }

  /** S_ij = 1 iff row i of {@code labelsA} and row j of {@code labelsB} share a label, else 0 (same type as the labels). */
  static NDArray similarity(NDArray labelsA, NDArray labelsB) {
    return labelsA.matMul(labelsB.transpose()).gt(0).toType(labelsA.getDataType(), false);
  }

  /** log(1 + e^x) without overflow: max(x, 0) + log(1 + e^−|x|). */
  static NDArray softplus(NDArray x) {
    return x.maximum(0).add(x.abs().neg().exp().add(1).log());
  }

  /** ‖x‖²: the sum of squares of every entry. */
  static NDArray squaredNorm(NDArray x) {
    return x.square().sum();
  }

  /** sign with sign(0) = +1 (DESIGN §3), as ±1 of the same type. */
  static NDArray sign(NDArray x) {
    return x.gte(0).toType(x.getDataType(), false).mul(2).sub(1);
  }
}
