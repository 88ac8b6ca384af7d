package org.bicmr.training.baseline;

import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.model.EpochSelection;
import org.bicmr.training.model.NetShape;
import org.bicmr.training.model.Trainer;

/**
 * SSAH's settings (Li et al., "Self-Supervised Adversarial Hashing Networks for Cross-Modal Retrieval", CVPR 2018):
 * the loss weights, the label net's width and the learning rates of its four kinds of nets.
 *
 * <p>The paper's text was not reachable when this was written; the weights, their roles and the defaults follow its
 * released TensorFlow code (lelan-li/SSAH, {@code setting.py} and {@code SSAH.py}), where every weight is 1 and each
 * net is trained with Adam: label net 10^−2, image net 10^−4.5, text net 10^−3.5, discriminators 10^−3. The released
 * code lowers each rate by 10^0.5 every epoch inside repeated, early-stopped passes; here each epoch is one pass per
 * net and the rates fall geometrically from the schedule's first to its last (constant by default). As for the other
 * baselines, the image and text nets are Bi-CMR's ({@link NetShape}) with a tanh hash layer; their last hidden layer
 * is SSAH's semantic feature layer (the paper's is 512 wide on CNN-F / a multi-scale text net), so it must be as wide
 * in both nets as the label net's feature layer.
 *
 * @param nets the image and text hash nets; {@code imageHidden} must equal {@code textHidden2} (the feature width)
 * @param schedule batches, epochs, optimizer (Adam, the code's), the image net's rate and its fall, weight decay
 * @param labelHidden width of the label net's hidden layer (code: 4,096); its feature layer has the nets' width (512)
 * @param alpha weight α of the feature-pair likelihood (1)
 * @param gamma weight γ of the code-pair likelihood (1)
 * @param beta weight β of quantisation ‖H − sign(H)‖² (1)
 * @param eta weight η of label prediction ‖L̂ − L‖² (1)
 * @param delta weight δ of the adversarial term of the image and text nets (1)
 * @param labelRate the label net's first learning rate (10^−2)
 * @param textRate the text net's first learning rate (10^−3.5)
 * @param discriminatorRate the discriminators' first learning rate (10^−3)
 */
public record SsahConfig(NetShape nets, Schedule schedule, int labelHidden, double alpha, double gamma, double beta,
    double eta, double delta, double labelRate, double textRate, double discriminatorRate)
    implements NetworkBaselineConfig {

  /** The method's name in {@code model.json} and {@code bicmr train --method}. */
  public static final String METHOD = "ssah";

  /** Widths of the discriminators' hidden layers (the released code's). */
  static final int[] DISCRIMINATOR_HIDDEN = {512, 256};

  public SsahConfig {
    if (nets == null || schedule == null) {
      throw new IllegalArgumentException("nets and schedule are required, got " + nets + " and " + schedule);
    }
    if (nets.output() != NetShape.Output.TANH) {
      throw new IllegalArgumentException("SSAH's hash layer is tanh, got nets with output " + nets.output());
    }
    if (nets.imageHidden() != nets.textHidden2()) {
      throw new IllegalArgumentException("SSAH compares the image and text nets' last hidden layers: imageHidden ("
          + nets.imageHidden() + ") must equal textHidden2 (" + nets.textHidden2() + ")");
    }
    if (labelHidden < 1) {
      throw new IllegalArgumentException("labelHidden must be at least 1, got " + labelHidden);
    }
    if (!(alpha >= 0) || !(gamma >= 0) || !(beta >= 0) || !(eta >= 0) || !(delta >= 0)) {
      throw new IllegalArgumentException("alpha, gamma, beta, eta and delta must be at least 0, got " + alpha + ", "
          + gamma + ", " + beta + ", " + eta + " and " + delta);
    }
    if (!(labelRate > 0) || !(textRate > 0) || !(discriminatorRate > 0)) {
      throw new IllegalArgumentException("labelRate, textRate and discriminatorRate must be positive, got "
          + labelRate + ", " + textRate + " and " + discriminatorRate);
    }
  }

  /** The released code's semantic feature width ({@code SEMANTIC_EMBED}): every net's last hidden layer. */
  static final int SEMANTIC_FEATURES = 512;

  /** The released code's text net's first hidden width, and its label net's hidden width. */
  static final int WIDE_HIDDEN = 4096;

  /**
   * The released code's settings at {@code bits} bits, on its widths: the image net's trainable top (CNN-F's fc7
   * features → 512 → l; our image features stand for fc7), the text net BoW → 4,096 → 512 → l, the label net labels →
   * 4,096 → 512 → l. With Bi-CMR's widths instead (4,096-wide features) the feature-pair term, inner products of
   * 4,096-wide ReLU features, diverges on MIRFlickr-25K's tags (EXPERIMENTS.md, issue 18).
   */
  public static SsahConfig paper(int bits) {
    NetShape nets = new NetShape(bits, SEMANTIC_FEATURES, WIDE_HIDDEN, SEMANTIC_FEATURES, NetShape.Output.TANH);
    return new SsahConfig(nets, paperSchedule(), WIDE_HIDDEN, 1, 1, 1, 1, 1, 1e-2, Math.pow(10, -3.5), 1e-3);
  }

  /** Batch 128, 500 epochs, Adam at 10^−4.5 throughout (the image net's first rate), no weight decay. */
  public static Schedule paperSchedule() {
    return new Schedule(128, 500, Schedule.Optimizer.ADAM, Math.pow(10, -4.5), Math.pow(10, -4.5), 0, 42L);
  }

  @Override
  public String method() {
    return METHOD;
  }

  /** SSAH's trainer. */
  @Override
  public Trainer trainer(PairedDataset training, EpochSelection selection) {
    return new SsahTrainer(this, training, selection);
  }
}
