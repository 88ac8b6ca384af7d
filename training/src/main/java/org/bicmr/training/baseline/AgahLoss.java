package org.bicmr.training.baseline;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * AGAH's losses (Gu et al., "Adversary Guided Asymmetric Hashing for Cross-Modal Retrieval", ICMR 2019). The paper's
 * text was not reachable when this was written; the terms, their weights and defaults follow its released PyTorch code
 * (WendellGul/AGAH, {@code main.py}, {@code config.py}, {@code models/triplet_loss.py}). For a batch of paired items
 * with image outputs X, text outputs Y (b × l, tanh), labels L (b × c), S_ij = 1 when i and j share a label, the
 * multi-label code map M (c × l, ±1) and d(u, v) = max(0, 1 − cos(u, v)):
 *
 * <pre>
 * L = T(X, Y) + T(Y, X)                                  triplet (below)
 *   + α Σ_i σ(−cos(|X_i|, 1)) + σ(−cos(|Y_i|, 1))      cosine quantisation (1 / (1 + e^cos))
 *   + β Σ BCE(label predictions, L) of both nets        classification
 *   + γ (‖X Mᵀ − l (2L − 1)‖² + ‖Y Mᵀ − l (2L − 1)‖²)   code map (the asymmetric multi-label codes)
 *   + η (‖X − sign(X)‖² + ‖Y − sign(Y)‖²)               quantisation (sign held fixed)
 *   − μ (mean D_t(F_x) + mean D_v(F_y))                 adversarial: each net's features should pass for the other's
 * </pre>
 *
 * with T(A, B) = Σ_ijk S_ij (1 − S_ik) [d(A_i, B_j) − d(A_i, B_k) + m]₊. The critics are Wasserstein critics with a gradient penalty: D_v learns −mean D_v(F_x) + mean D_v(F_y) + 10 mean
 * (‖∇D_v(x̂)‖ − 1)² on random mixtures x̂ of the two (D_t likewise with the roles swapped). Terms: triplet, cosine
 * quantisation, classification, code map, quantisation, adversarial (unweighted), then the total.
 */
final class AgahLoss {
  /** The weight of the critics' gradient penalty (fixed in the released code). */
  static final double PENALTY = 10;

  private final double alpha;
  private final double beta;
  private final double gamma;
  private final double eta;
  private final double mu;
  private final double margin;

  AgahLoss(double alpha, double beta, double gamma, double eta, double mu, double margin) {
    this.alpha = alpha;
    this.beta = beta;
    this.gamma = gamma;
    this.eta = eta;
    this.mu = mu;
    this.margin = margin;
  }

  AgahLoss(AgahConfig config) {
    this(config.alpha(), config.beta(), config.gamma(), config.eta(), config.mu(), config.margin());
  }

  static List<String> termNames() {
    return List.of("triplet", "cosine quantisation", "classification", "code map", "quantisation", "adversarial");
  }

  /**
   * The nets' loss on one batch.
   *
   * @param x image outputs (b × l)
   * @param y text outputs (b × l)
   * @param xLogits, yLogits the label predictors' logits (b × c)
   * @param xAsText the text critic's outputs on the image features (b)
   * @param yAsImage the image critic's outputs on the text features (b)
   * @param codeMap M (c × l, constant)
   * @param similarity S within the batch (b × b)
   * @param labels L (b × c)
   */
  LossTerms batch(NDArray x, NDArray y, NDArray xLogits, NDArray yLogits, NDArray xAsText, NDArray yAsImage,
      NDArray codeMap, NDArray similarity, NDArray labels) {
    NDArray triplet = triplet(x, y, similarity).add(triplet(y, x, similarity));
    NDArray cosine = cosineQuantisation(x).add(cosineQuantisation(y));
    NDArray classification = crossEntropy(xLogits, labels).add(crossEntropy(yLogits, labels));
    NDArray targets = labels.mul(2).sub(1).mul(x.getShape().get(1));
    NDArray codes = Pairwise.squaredNorm(x.matMul(codeMap.transpose()).sub(targets))
        .add(Pairwise.squaredNorm(y.matMul(codeMap.transpose()).sub(targets)));
    NDArray quantisation = Pairwise.squaredNorm(x.sub(Pairwise.sign(x.stopGradient())))
        .add(Pairwise.squaredNorm(y.sub(Pairwise.sign(y.stopGradient()))));
    NDArray adversarial = xAsText.mean().add(yAsImage.mean()).neg();
    NDArray total = triplet.add(cosine.mul(alpha)).add(classification.mul(beta)).add(codes.mul(gamma))
        .add(quantisation.mul(eta)).add(adversarial.mul(mu));
    return new LossTerms(new NDArray[] {triplet, cosine, classification, codes, quantisation, adversarial}, total);
  }

  /** Σ_ijk S_ij (1 − S_ik) [d(a_i, b_j) − d(a_i, b_k) + margin]₊ with d the clamped cosine distance. */
  NDArray triplet(NDArray a, NDArray b, NDArray s) {
    NDArray d = cosine(a, b).neg().add(1).maximum(0); // b × b
    NDArray gap = d.expandDims(2).sub(d.expandDims(1)).add(margin); // [i, j, k] = d_ij − d_ik + m
    NDArray mask = s.expandDims(2).mul(s.neg().add(1).expandDims(1));
    return gap.mul(mask).maximum(0).sum();
  }

  /** cos(a_i, b_j) for every pair (rows × rows). */
  static NDArray cosine(NDArray a, NDArray b) {
    NDArray an = a.div(a.square().sum(new int[] {1}, true).sqrt().maximum(1e-8));
    NDArray bn = b.div(b.square().sum(new int[] {1}, true).sqrt().maximum(1e-8));
    return an.matMul(bn.transpose());
  }

  /** Σ_i 1 / (1 + e^{cos(|h_i|, 1)}). */
  static NDArray cosineQuantisation(NDArray h) {
    double root = Math.sqrt(h.getShape().get(1));
    NDArray cos = h.abs().sum(new int[] {1}).div(h.square().sum(new int[] {1}).sqrt().maximum(1e-8).mul(root));
    return cos.exp().add(1).pow(-1).sum();
  }

  /** Σ binary cross-entropy of σ(z) against L, from the logits: softplus(z) − L z. */
  static NDArray crossEntropy(NDArray logits, NDArray labels) {
    return Pairwise.softplus(logits).sub(labels.mul(logits)).sum();
  }

  /**
   * A Wasserstein critic's loss: −mean D(real) + mean D(fake) + {@link #PENALTY} · mean (‖∇D(x̂)‖ − 1)², from its
   * outputs on real and fake features and its input gradients at the mixtures (rows × width).
   */
  static NDArray critic(NDArray real, NDArray fake, NDArray mixtureGradients) {
    // + 1e-24: the square root's derivative at a zero gradient (a mixture in a region where every unit of the
    // critic is off, as happens for the identical features of items without any input) would be infinite
    NDArray norms = mixtureGradients.square().sum(new int[] {1}).add(1e-24).sqrt();
    return real.mean().neg().add(fake.mean()).add(norms.sub(1).square().mean().mul(PENALTY));
  }
}
