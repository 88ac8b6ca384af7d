package org.bicmr.training.baseline;

import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.model.EpochSelection;
import org.bicmr.training.model.NetShape;
import org.bicmr.training.model.Trainer;

/**
 * DCMH's settings (Jiang and Li, CVPR 2017): the objective's weights and the training schedule.
 *
 * <p>Where this harness differs from the paper, on purpose ("baselines on the same nets"): the image net is Bi-CMR's
 * MLP on a given feature vector (features → 4,096 → l), not CNN-F on raw pixels fine-tuned from ImageNet weights; the
 * text net is Bi-CMR's (BoW → 1,024 → 4,096 → l), not DCMH's BoW → 8,192 → l; both are initialised by Xavier, not
 * from pre-trained weights or 0.01·N(0, 1). The hash layer stays linear, as DCMH's. Following the released TensorFlow
 * code, F and G start from N(0, 1) (the MATLAB release starts from zeros) and the image net trains first in each epoch
 * (Algorithm 1's order; the MATLAB release trains the text net first). sign(0) is +1 (DESIGN §3).
 *
 * @param nets the two hash nets (DCMH's hash layer is linear: F and G are real-valued)
 * @param schedule the optimiser and its schedule (DCMH's released code: SGD)
 * @param gamma weight γ of the quantisation term ‖B − F‖² + ‖B − G‖² (paper: 1)
 * @param eta weight η of the bit-balance term ‖F1‖² + ‖G1‖² (paper: 1)
 */
public record DcmhConfig(NetShape nets, Schedule schedule, double gamma, double eta)
    implements NetworkBaselineConfig {

  /** The method's name in {@code model.json} and {@code bicmr train --method}. */
  public static final String METHOD = "dcmh";

  public DcmhConfig {
    if (nets == null || schedule == null) {
      throw new IllegalArgumentException("nets and schedule are required, got " + nets + " and " + schedule);
    }
    if (!(gamma >= 0) || !(eta >= 0)) {
      throw new IllegalArgumentException("gamma and eta must be at least 0, got " + gamma + " and " + eta);
    }
  }

  /** The paper's settings at {@code bits} bits on Bi-CMR's layer widths: γ = η = 1, DCMH's released schedule. */
  public static DcmhConfig paper(int bits) {
    return new DcmhConfig(NetShape.paper(bits, NetShape.Output.LINEAR), Schedule.dcmh(), 1, 1);
  }

  @Override
  public String method() {
    return METHOD;
  }

  /** DCMH's alternating trainer. */
  @Override
  public Trainer trainer(PairedDataset training, EpochSelection selection) {
    return AlternatingTrainer.dcmh(this, training, selection);
  }
}
