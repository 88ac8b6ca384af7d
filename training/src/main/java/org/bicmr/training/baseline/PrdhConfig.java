package org.bicmr.training.baseline;

import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.model.EpochSelection;
import org.bicmr.training.model.NetShape;
import org.bicmr.training.model.Trainer;

/**
 * PRDH's settings (Yang et al., "Pairwise Relationship Guided Deep Hashing for Cross-Modal Retrieval", AAAI 2017):
 * the objective's weights and the training schedule. The paper's text was not at hand when this was written; the
 * defaults (γ = η = λ = 1, DCMH's schedule) are those of the public re-implementation in WangGodder/deep-cross-modal-hashing
 * (its {@code gamma} weighs quantisation and balance together, {@code lambda} the decorrelation term). The nets differ
 * from the paper's (CNN-F on pixels, an MLP on BoW) as {@link DcmhConfig} describes for DCMH.
 *
 * @param nets the two hash nets (linear hash layer, as DCMH's, on which PRDH builds)
 * @param schedule the optimiser and its schedule
 * @param gamma weight γ of the quantisation term ‖B − F‖² + ‖B − G‖² (1)
 * @param eta weight η of the bit-balance term ‖Fᵀ1‖² + ‖Gᵀ1‖² (1)
 * @param lambda weight λ of the decorrelation term (1)
 */
public record PrdhConfig(NetShape nets, Schedule schedule, double gamma, double eta, double lambda)
    implements NetworkBaselineConfig {

  /** The method's name in {@code model.json} and {@code bicmr train --method}. */
  public static final String METHOD = "prdh";

  public PrdhConfig {
    if (nets == null || schedule == null) {
      throw new IllegalArgumentException("nets and schedule are required, got " + nets + " and " + schedule);
    }
    if (!(gamma >= 0) || !(eta >= 0) || !(lambda >= 0)) {
      throw new IllegalArgumentException("gamma, eta and lambda must be at least 0, got " + gamma + ", " + eta
          + " and " + lambda);
    }
  }

  /** The defaults at {@code bits} bits on Bi-CMR's layer widths: γ = η = λ = 1, DCMH's released schedule. */
  public static PrdhConfig paper(int bits) {
    return new PrdhConfig(NetShape.paper(bits, NetShape.Output.LINEAR), Schedule.dcmh(), 1, 1, 1);
  }

  @Override
  public String method() {
    return METHOD;
  }

  /** PRDH's alternating trainer. */
  @Override
  public Trainer trainer(PairedDataset training, EpochSelection selection) {
    return AlternatingTrainer.prdh(this, training, selection);
  }
}
