package org.bicmr.training.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import org.bicmr.training.model.BiCmrConfig;

/**
 * The Bi-CMR objective on a mini-batch (Li et al., AAAI 2022, Eqs. 1–7), summed over the batch's items and pairs:
 *
 * <ul>
 *   <li>L_ssr = Σ_i ‖f^I_i − f'^I_i‖² + ‖f^T_i − f'^T_i‖² (Eq. 1);
 *   <li>L_m2l = Σ_ij η a^I_ij / a^L_ij + (1 − η) a^T_ij / a^L_ij with a^X_ij = exp(cos(h^X_i, h^X_j)) (Eq. 2);
 *   <li>L_l2m = Σ_ij a^L_ij / a^I_ij + a^L_ij / a^T_ij + a^L_ij / a^{I&amp;T}_ij, a^{I&amp;T}_ij = exp(cos(h^I_i, h^T_j))
 *       (Eq. 3);
 *   <li>L_cor = Σ_ij Σ_{X ∈ {L, (L,I), (L,T)}} log(1 + e^{Ω^X_ij}) − S_ij Ω^X_ij with Ω^{L,X}_ij = ½ h^L_iᵀ h^X_j
 *       (Eq. 5), S the adjusted similarity S_ij = [cos(concat(y_i, δ h^L_i), concat(y_j, δ h^L_j)) &gt; λ];
 *   <li>L_c = Σ_i −(log I^i + log T^i)ᵀ y_i, I^i and T^i the sigmoid class outputs (Eq. 6, as printed: the positive
 *       labels' terms only);
 *   <li>L = α L_ssr + β L_m2l + γ L_l2m + L_cor + L_c (Eq. 7), each term switched by the config (ablations).
 * </ul>
 *
 * The h are the tanh hash-layer outputs (the relaxation of the codes). Nothing is detached: the gradient is that of L
 * with respect to every parameter, as Eq. 7's argmin over θ reads; S, a 0/1 threshold, carries no gradient.
 */
public final class BiCmrLoss {
  private final BiCmrConfig config;

  public BiCmrLoss(BiCmrConfig config) {
    this.config = config;
  }

  /** Every term and the weighted total of one batch. */
  public record Terms(NDArray ssr, NDArray m2l, NDArray l2m, NDArray cor, NDArray classification, NDArray total) {
    /** The terms as doubles, for logs and reports: ssr, m2l, l2m, cor, c, total. */
    public double[] values() {
      return new double[] {
        value(ssr), value(m2l), value(l2m), value(cor), value(classification), value(total)
      };
    }

    private static double value(NDArray a) {
      return a.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
    }
  }

  /**
   * The loss of a batch.
   *
   * @param batch the network outputs of {@code BiCmrNetwork.forward}
   * @param features image features, text vectors and labels of the batch
   */
  public Terms compute(Outputs batch, Inputs features) {
    NDArray hI = batch.imageHash();
    NDArray hT = batch.textHash();
    NDArray hL = batch.labelHash();
    NDArray y = features.labels();

    NDArray ssr = features.image().sub(batch.imageReconstruction()).square().sum()
        .add(features.text().sub(batch.textReconstruction()).square().sum());

    NDArray aI = cosine(hI, hI).exp();
    NDArray aT = cosine(hT, hT).exp();
    NDArray aL = cosine(hL, hL).exp();
    NDArray aIT = cosine(hI, hT).exp();
    double eta = config.eta();
    NDArray m2l = aI.mul(eta).add(aT.mul(1 - eta)).div(aL).sum();
    NDArray l2m = aL.div(aI).add(aL.div(aT)).add(aL.div(aIT)).sum();

    NDArray s = similarity(y, hL);
    NDArray cor = likelihood(hL, hL, s).add(likelihood(hL, hI, s)).add(likelihood(hL, hT, s));

    // log sigmoid(z) = -softplus(-z), stable for any z
    NDArray logI = softplus(batch.imageLogits().neg()).neg();
    NDArray logT = softplus(batch.textLogits().neg()).neg();
    NDArray classification = logI.add(logT).mul(y).sum().neg();

    NDArray total = ssr.zerosLike();
    if (config.useSsr()) {
      total = total.add(ssr.mul(config.alpha()));
    }
    if (config.useM2l()) {
      total = total.add(m2l.mul(config.beta()));
    }
    if (config.useL2m()) {
      total = total.add(l2m.mul(config.gamma()));
    }
    if (config.useCor()) {
      total = total.add(cor);
    }
    if (config.useClassification()) {
      total = total.add(classification);
    }
    return new Terms(ssr, m2l, l2m, cor, classification, total);
  }

  /** S_ij: the adjusted similarity (or plain label overlap when the config says so), as 0/1 values. */
  public NDArray similarity(NDArray labels, NDArray labelHash) {
    if (config.adjustSimilarity() == false) {
      return labels.matMul(labels.transpose()).gt(0).toType(labels.getDataType(), false);
    }
    NDArray measure = NDArrays.concat(new NDList(labels, labelHash.mul(config.delta())), 1);
    return cosine(measure, measure).gt(config.lambda()).toType(labels.getDataType(), false);
  }

  /** Σ_ij log(1 + e^Ω) − S Ω with Ω = ½ a bᵀ. */
  static NDArray likelihood(NDArray a, NDArray b, NDArray s) {
    NDArray omega = a.matMul(b.transpose()).mul(0.5);
    return softplus(omega).sub(s.mul(omega)).sum();
  }

  /** log(1 + e^x) without overflow: max(x, 0) + log(1 + e^−|x|). */
  static NDArray softplus(NDArray x) {
    return x.maximum(0).add(x.abs().neg().exp().add(1).log());
  }

  /** Pairwise cosine similarities of the rows of a and b. */
  static NDArray cosine(NDArray a, NDArray b) {
    return normalize(a).matMul(normalize(b).transpose());
  }

  private static NDArray normalize(NDArray rows) {
    return rows.div(rows.square().sum(new int[] {1}, true).add(1e-12).sqrt());
  }

  /** What the loss needs from the networks for one batch. */
  public record Outputs(NDArray imageHash, NDArray textHash, NDArray labelHash, NDArray imageReconstruction,
      NDArray textReconstruction, NDArray imageLogits, NDArray textLogits) {}

  /** What the loss needs from the data for one batch: image features, text vectors, multi-hot labels. */
  public record Inputs(NDArray image, NDArray text, NDArray labels) {}
}
