package org.bicmr.training.baseline;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * DCMH's objective (Jiang and Li, CVPR 2017, Eq. 1), with F, G (n × l here: one row per item) the image and text
 * nets' outputs and B ∈ {−1, +1}^{n×l}:
 *
 * <pre>
 * J = −Σ_ij (S_ij Θ_ij − log(1 + e^Θ_ij)) + γ (‖B − F‖² + ‖B − G‖²) + η (‖Fᵀ1‖² + ‖Gᵀ1‖²),  Θ_ij = ½ F_iᵀ G_j
 * </pre>
 *
 * S_ij = 1 when items i and j share a label. Terms: likelihood, quantisation, balance (unweighted), then J. A step's
 * loss (the image net's; the text net's swaps F and G) is the part of J that depends on the batch rows of F:
 * Σ_{i ∈ batch, j} (log(1 + e^Θ_ij) − S_ij Θ_ij) + γ Σ_{i ∈ batch} ‖B_i − F_i‖² + η ‖Σ_{i ∈ batch} F_i + Σ_{j ∉ batch}
 * F_j‖², whose gradient is the paper's Eq. 2, as in its released code.
 */
final class DcmhLoss implements AlternatingObjective {
  static final int CHUNK = 1024;

  private final double gamma;
  private final double eta;

  DcmhLoss(double gamma, double eta) {
    this.gamma = gamma;
    this.eta = eta;
  }

  DcmhLoss(DcmhConfig config) {
    this(config.gamma(), config.eta());
  }

  @Override
  public List<String> termNames() {
    return List.of("likelihood", "quantisation", "balance");
  }

  @Override
  public LossTerms objective(NDArray f, NDArray g, NDArray b, NDArray labels) {
    return objective(f, g, b, labels, CHUNK);
  }

  /** {@link #objective(NDArray, NDArray, NDArray, NDArray)} with S built {@code chunk} rows at a time. */
  LossTerms objective(NDArray f, NDArray g, NDArray b, NDArray labels, int chunk) {
    NDArray likelihood = Pairwise.likelihood(f, g, labels, labels, chunk);
    NDArray quantisation = Pairwise.squaredNorm(b.sub(f)).add(Pairwise.squaredNorm(b.sub(g)));
    NDArray balance = Pairwise.squaredNorm(f.sum(new int[] {0})).add(Pairwise.squaredNorm(g.sum(new int[] {0})));
    return terms(likelihood, quantisation, balance);
  }

  @Override
  public LossTerms step(Step step) {
    NDArray x = step.outputs();
    NDArray likelihood = Pairwise.likelihood(x, step.other(), step.similarity());
    NDArray quantisation = Pairwise.squaredNorm(step.codes().sub(x));
    NDArray balance = Pairwise.squaredNorm(columnSum(x, step.own()));
    return terms(likelihood, quantisation, balance);
  }

  /** Σ_i of all rows of {@code own} with the batch rows taken from {@code x} (which carries the gradient). */
  static NDArray columnSum(NDArray x, NDArray own) {
    NDArray rest = own.sum(new int[] {0}).sub(x.stopGradient().sum(new int[] {0}));
    return x.sum(new int[] {0}).add(rest);
  }

  private LossTerms terms(NDArray likelihood, NDArray quantisation, NDArray balance) {
    NDArray total = likelihood.add(quantisation.mul(gamma)).add(balance.mul(eta));
    return new LossTerms(new NDArray[] {likelihood, quantisation, balance}, total);
  }
}
