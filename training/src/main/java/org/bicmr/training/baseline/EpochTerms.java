package org.bicmr.training.baseline;

import java.util.ArrayList;
import java.util.List;

/**
 * An adversarial baseline's (SSAH's, AGAH's) report of one epoch: the mean step terms of its nets, then the mean loss
 * of its adversaries (discriminators, critics), then the nets' mean weighted total.
 */
final class EpochTerms {
  private final double[] terms;
  private final int steps;

  /** An epoch of {@code steps} steps per net whose loss has {@code lossTerms} named terms besides the total. */
  EpochTerms(int lossTerms, int steps) {
    this.terms = new double[lossTerms + 2];
    this.steps = steps;
  }

  /** The names of the reported terms: the loss's, the adversaries', and the total. */
  static List<String> names(List<String> lossTerms, String adversaries) {
    List<String> names = new ArrayList<>(lossTerms);
    names.add(adversaries);
    names.add("total");
    return names;
  }

  /** Adds one step of the nets: its terms, the weighted total last. */
  void addNets(double[] values) {
    for (int k = 0; k < values.length - 1; k++) {
      terms[k] += values[k] / steps;
    }
    terms[terms.length - 1] += values[values.length - 1] / steps;
  }

  /** Adds one step of the adversaries. */
  void addAdversaries(double loss) {
    terms[terms.length - 2] += loss / steps;
  }

  double total() {
    return terms[terms.length - 1];
  }

  double adversaries() {
    return terms[terms.length - 2];
  }

  /** Whether the nets' total and the adversaries' loss are both finite. */
  boolean finite() {
    return Double.isFinite(total()) && Double.isFinite(adversaries());
  }

  /** The reported terms. */
  double[] values() {
    return terms;
  }
}
