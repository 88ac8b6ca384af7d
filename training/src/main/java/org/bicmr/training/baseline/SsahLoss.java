package org.bicmr.training.baseline;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * SSAH's losses (Li et al., CVPR 2018, as its released code lelan-li/SSAH computes them). With L the labels, S_ij = 1
 * when items i and j share a label, F^l, H^l the label net's semantic features and codes of every training item,
 * ℓ(θ, s) = log(1 + e^θ) − s θ, and a batch of one net's features F, codes H (tanh), label predictions L̂ (sigmoid):
 *
 * <pre>
 * L = α Σ_{i ∈ batch, j} ℓ(½ F_i · F^l_j, S_ij)     feature pairs
 *   + γ Σ_{i ∈ batch, j} ℓ(½ H_i · H^l_j, S_ij)     code pairs
 *   + β ‖H − sign(H)‖²                            quantisation (sign(H) held fixed, as the code feeds it)
 *   + η ‖L̂ − L‖²                                  label prediction
 *   + δ Σ_{i ∈ batch} −log σ(D(F_i))              adversarial (image and text nets only)
 * </pre>
 *
 * The label net's loss is the same with its own batch outputs for F, H, L̂ (the pairs are then within the label net)
 * and no adversarial term. Each modality's discriminator D, on semantic features, learns to tell the label net's
 * (target 1) from its modality's (target 0): Σ −log σ(D(F^l_i)) + Σ −log(1 − σ(D(F_i))), the code's sigmoid
 * cross-entropy. Where the code differs from a likelihood it is followed only in form, not in its slips: its pairwise
 * terms are ½ (S θ − log(1 + e^θ))² (a squared error, not the likelihood the paper writes), its S is 0.999 for a
 * shared label, its adversarial terms are batch means beside sums; here all are sums of the likelihood, with
 * S ∈ {0, 1}. (Another public TensorFlow version of SSAH, not the authors' release, scores the discriminators by
 * squared error ‖D(x) − y‖² instead of cross-entropy.)
 * Terms: feature pairs, code pairs, quantisation, label prediction, adversarial (unweighted), then the total.
 */
final class SsahLoss {
  private final double alpha;
  private final double gamma;
  private final double beta;
  private final double eta;
  private final double delta;

  SsahLoss(double alpha, double gamma, double beta, double eta, double delta) {
    this.alpha = alpha;
    this.gamma = gamma;
    this.beta = beta;
    this.eta = eta;
    this.delta = delta;
  }

  SsahLoss(SsahConfig config) {
    this(config.alpha(), config.gamma(), config.beta(), config.eta(), config.delta());
  }

  static List<String> termNames() {
    return List.of("feature pairs", "code pairs", "quantisation", "label prediction", "adversarial");
  }

  /**
   * One batch of a net's outputs against the label net's features and codes of every item.
   *
   * @param features the batch's semantic features (b × e)
   * @param codes the batch's codes H (b × l, tanh)
   * @param predicted the batch's label predictions L̂ (b × c, sigmoid)
   * @param logits the discriminator's logits on the batch's features (b), or null for the label net
   * @param labelFeatures F^l of every training item (n × e, constant)
   * @param labelCodes H^l of every training item (n × l, constant)
   * @param similarity S between the batch and every item (b × n)
   * @param labels the batch's labels (b × c)
   */
  LossTerms batch(NDArray features, NDArray codes, NDArray predicted, NDArray logits, NDArray labelFeatures,
      NDArray labelCodes, NDArray similarity, NDArray labels) {
    NDArray featurePairs = Pairwise.likelihood(features, labelFeatures, similarity);
    NDArray codePairs = Pairwise.likelihood(codes, labelCodes, similarity);
    NDArray quantisation = Pairwise.squaredNorm(codes.sub(Pairwise.sign(codes.stopGradient())));
    NDArray prediction = Pairwise.squaredNorm(predicted.sub(labels));
    NDArray adversarial = logits == null ? codes.getManager().zeros(new ai.djl.ndarray.types.Shape(),
        codes.getDataType()) : Pairwise.softplus(logits.neg()).sum();
    NDArray total = featurePairs.mul(alpha).add(codePairs.mul(gamma)).add(quantisation.mul(beta))
        .add(prediction.mul(eta)).add(adversarial.mul(delta));
    return new LossTerms(new NDArray[] {featurePairs, codePairs, quantisation, prediction, adversarial}, total);
  }

  /** A discriminator's loss: label-net features are real (1), a modality's features fake (0); logits of each. */
  static NDArray discriminator(NDArray labelLogits, NDArray modalityLogits) {
    return Pairwise.softplus(labelLogits.neg()).sum().add(Pairwise.softplus(modalityLogits).sum());
  }
}
