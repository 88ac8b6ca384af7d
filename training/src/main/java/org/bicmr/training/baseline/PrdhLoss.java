package org.bicmr.training.baseline;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * PRDH's objective (Yang et al., AAAI 2017): DCMH's inter-modal pairwise likelihood, the same likelihood within each
 * modality, a decorrelation term on each modality's outputs, quantisation and bit balance. With F, G (n × l, one row
 * per item), B ∈ {−1, +1}^{n×l}, S_ij = 1 when items i and j share a label and L(Θ, S) = Σ_ij log(1 + e^Θ_ij) − S_ij
 * Θ_ij:
 *
 * <pre>
 * J = L(½ F Gᵀ, S)                               inter-modal
 *   + L(½ F Fᵀ, S) + L(½ G Gᵀ, S)               intra-modal
 *   + λ (D(F) + D(G))                            decorrelation, D(X) = ½ (‖C_X‖² − ‖diag C_X‖²)
 *   + γ (‖B − F‖² + ‖B − G‖²) + η (‖Fᵀ1‖² + ‖Gᵀ1‖²)
 * </pre>
 *
 * C_X = (1/n) Σ_i (X_i − μ)(X_i − μ)ᵀ is the covariance of the outputs over the training set; D is the DeCov penalty
 * (Cogswell et al., ICLR 2016): the squared off-diagonal covariances, so that bits carry different information.
 * Terms: inter, intra, decorrelation, quantisation, balance (unweighted), then J.
 *
 * <p>A step's loss (image step; a text step swaps F and G) is the part of J that depends on the batch rows of F, with
 * F_cur = F whose batch rows are the outputs: L(½ F_b Gᵀ) + 2 L(½ F_b F_restᵀ) + L(½ F_b F_bᵀ) (the intra-modal sum
 * counts a pair (i, j) and (j, i)) + λ D(F_cur) + γ ‖B_b − F_b‖² + η ‖F_curᵀ1‖²; its gradient is ∂J/∂F_b exactly.
 */
final class PrdhLoss implements AlternatingObjective {
  private final double gamma;
  private final double eta;
  private final double lambda;

  PrdhLoss(double gamma, double eta, double lambda) {
    this.gamma = gamma;
    this.eta = eta;
    this.lambda = lambda;
  }

  PrdhLoss(PrdhConfig config) {
    this(config.gamma(), config.eta(), config.lambda());
  }

  @Override
  public List<String> termNames() {
    return List.of("inter", "intra", "decorrelation", "quantisation", "balance");
  }

  @Override
  public LossTerms objective(NDArray f, NDArray g, NDArray b, NDArray labels) {
    return objective(f, g, b, labels, DcmhLoss.CHUNK);
  }

  /** {@link #objective(NDArray, NDArray, NDArray, NDArray)} with S built {@code chunk} rows at a time. */
  LossTerms objective(NDArray f, NDArray g, NDArray b, NDArray labels, int chunk) {
    NDArray inter = Pairwise.likelihood(f, g, labels, labels, chunk);
    NDArray intra = Pairwise.likelihood(f, f, labels, labels, chunk)
        .add(Pairwise.likelihood(g, g, labels, labels, chunk));
    NDArray decorrelation = decorrelation(f.sum(new int[] {0}), f.transpose().matMul(f),
        f.square().sum(new int[] {0}), f.getShape().get(0))
        .add(decorrelation(g.sum(new int[] {0}), g.transpose().matMul(g), g.square().sum(new int[] {0}),
            g.getShape().get(0)));
    NDArray quantisation = Pairwise.squaredNorm(b.sub(f)).add(Pairwise.squaredNorm(b.sub(g)));
    NDArray balance = Pairwise.squaredNorm(f.sum(new int[] {0})).add(Pairwise.squaredNorm(g.sum(new int[] {0})));
    return terms(inter, intra, decorrelation, quantisation, balance);
  }

  @Override
  public LossTerms step(Step step) {
    NDArray x = step.outputs();
    NDArray fixed = x.stopGradient();
    NDArray own = step.own();
    NDArray inter = Pairwise.likelihood(x, step.other(), step.similarity());
    NDArray rest = Pairwise.likelihood(x, own, step.similarity())
        .sub(Pairwise.likelihood(x, fixed, step.batchSimilarity()));
    NDArray intra = rest.mul(2).add(Pairwise.likelihood(x, x, step.batchSimilarity()));
    // sums over all n rows of the current outputs: own's, with the batch rows' constant copies swapped for x
    NDArray sum = DcmhLoss.columnSum(x, own);
    NDArray outer = own.transpose().matMul(own).sub(fixed.transpose().matMul(fixed)).add(x.transpose().matMul(x));
    NDArray squares = own.square().sum(new int[] {0}).sub(fixed.square().sum(new int[] {0}))
        .add(x.square().sum(new int[] {0}));
    NDArray decorrelation = decorrelation(sum, outer, squares, own.getShape().get(0));
    NDArray quantisation = Pairwise.squaredNorm(step.codes().sub(x));
    NDArray balance = Pairwise.squaredNorm(sum);
    return terms(inter, intra, decorrelation, quantisation, balance);
  }

  /**
   * D = ½ (‖C‖² − ‖diag C‖²) with C = outer / n − μ μᵀ, μ = sum / n, from the column sums (l), Σ_i x_i x_iᵀ (l × l)
   * and the column sums of squares (l, the diagonal of the latter).
   */
  static NDArray decorrelation(NDArray sum, NDArray outer, NDArray squares, long n) {
    NDArray mean = sum.div(n).reshape(-1, 1);
    NDArray covariance = outer.div(n).sub(mean.matMul(mean.transpose()));
    NDArray variance = squares.div(n).sub(mean.reshape(-1).square());
    return Pairwise.squaredNorm(covariance).sub(Pairwise.squaredNorm(variance)).mul(0.5);
  }

  private LossTerms terms(NDArray inter, NDArray intra, NDArray decorrelation, NDArray quantisation,
      NDArray balance) {
    NDArray total = inter.add(intra).add(decorrelation.mul(lambda)).add(quantisation.mul(gamma))
        .add(balance.mul(eta));
    return new LossTerms(new NDArray[] {inter, intra, decorrelation, quantisation, balance}, total);
  }
}
