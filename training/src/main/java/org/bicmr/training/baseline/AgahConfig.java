package org.bicmr.training.baseline;

import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.model.EpochSelection;
import org.bicmr.training.model.NetShape;
import org.bicmr.training.model.TrainedModel;
import org.bicmr.training.model.Trainer;

/**
 * AGAH's settings (Gu et al., ICMR 2019). The paper's text was not reachable when this was written; names and defaults
 * are those of its released code (WendellGul/AGAH, {@code config.py} and {@code main.py}): Adamax at 10^−3 (the
 * pre-trained CNN at 10^−4) with weight decay 5·10^−4, the rate ×0.6 at epochs 1, 101 and 201 of 300, batch 128,
 * critics at 10^−3 with weight decay 10^−4. Here: Adam (β 0.9, 0.999, not Adamax with the critics' β 0.5, 0.9), the
 * rate falling geometrically from 10^−3 to 10^−3 · 0.6³, one rate for both nets (ours are not pre-trained). The
 * image and text nets are Bi-CMR's ({@link NetShape}, tanh hash layer); their last hidden layer is AGAH's semantic
 * feature layer (the code's is 512 wide), so it must be as wide in both nets.
 *
 * @param nets the image and text hash nets; {@code imageHidden} must equal {@code textHidden2} (the feature width)
 * @param schedule batches, epochs, optimizer and the nets' learning rates, weight decay
 * @param alpha weight α of the cosine quantisation (1)
 * @param beta weight β of label classification (0: off in the released code)
 * @param gamma weight γ of the code-map term (0.001)
 * @param eta weight η of quantisation ‖H − sign(H)‖² (1)
 * @param mu weight μ of the adversarial term (1)
 * @param lambda the features' share in the attended features, 1 − λ the attention's (0.8)
 * @param margin the triplet margin m on cosine distances (0.3)
 * @param criticRate the critics' first learning rate (10^−3; it falls as the nets' does)
 * @param criticDecay the critics' weight decay (10^−4)
 */
public record AgahConfig(NetShape nets, Schedule schedule, double alpha, double beta, double gamma, double eta,
    double mu, double lambda, double margin, double criticRate, double criticDecay)
    implements NetworkBaselineConfig {

  /** The method's name in {@code model.json} and {@code bicmr train --method}. */
  public static final String METHOD = TrainedModel.AGAH;

  /**
   * Widths of the critics' hidden layers: the released code's are (feature width, 256) with its 512-wide features;
   * here 512 stays fixed, because beside 4,096-wide features a 4,096-wide critic layer made an epoch ten times slower.
   */
  static final int[] CRITIC_HIDDEN = {512, 256};

  public AgahConfig {
    if (nets == null || schedule == null) {
      throw new IllegalArgumentException("nets and schedule are required, got " + nets + " and " + schedule);
    }
    if (nets.output() != NetShape.Output.TANH) {
      throw new IllegalArgumentException("AGAH's hash layer is tanh, got nets with output " + nets.output());
    }
    if (nets.imageHidden() != nets.textHidden2()) {
      throw new IllegalArgumentException("AGAH's feature map serves both nets' last hidden layers: imageHidden ("
          + nets.imageHidden() + ") must equal textHidden2 (" + nets.textHidden2() + ")");
    }
    if (!(alpha >= 0) || !(beta >= 0) || !(gamma >= 0) || !(eta >= 0) || !(mu >= 0)) {
      throw new IllegalArgumentException("alpha, beta, gamma, eta and mu must be at least 0, got " + alpha + ", "
          + beta + ", " + gamma + ", " + eta + " and " + mu);
    }
    if (!(lambda >= 0 && lambda <= 1)) {
      throw new IllegalArgumentException("lambda must be in [0, 1], got " + lambda);
    }
    if (!(margin >= 0)) {
      throw new IllegalArgumentException("margin must be at least 0, got " + margin);
    }
    if (!(criticRate > 0) || !(criticDecay >= 0)) {
      throw new IllegalArgumentException("criticRate must be positive and criticDecay at least 0, got " + criticRate
          + " and " + criticDecay);
    }
  }

  /** The released code's settings at {@code bits} bits on Bi-CMR's layer widths (feature width 4,096). */
  public static AgahConfig paper(int bits) {
    return new AgahConfig(NetShape.paper(bits, NetShape.Output.TANH), paperSchedule(), 1, 0, 0.001, 1, 1, 0.8, 0.3,
        1e-3, 1e-4);
  }

  /** Batch 128, 300 epochs, Adam from 10^−3 to 10^−3 · 0.6³, weight decay 5·10^−4. */
  public static Schedule paperSchedule() {
    return new Schedule(128, 300, Schedule.Optimizer.ADAM, 1e-3, 1e-3 * 0.216, 5e-4, 42L);
  }

  @Override
  public String method() {
    return METHOD;
  }

  /** AGAH's trainer. */
  @Override
  public Trainer trainer(PairedDataset training, EpochSelection selection) {
    return new AgahTrainer(this, training, selection);
  }
}
