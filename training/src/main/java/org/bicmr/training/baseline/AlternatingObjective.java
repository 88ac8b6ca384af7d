package org.bicmr.training.baseline;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * The objective J(F, G, B) of a baseline trained like DCMH: real-valued outputs F (images) and G (texts) of the whole
 * training set, binary codes B, similarities S from label overlap; the image net learns with G fixed, the text net
 * with F fixed, then B is updated in closed form.
 */
interface AlternatingObjective {
  /** Names of the (unweighted) terms, in the order of {@link LossTerms#parts()}. */
  List<String> termNames();

  /** J's terms over the whole training set (rows of f, g, b and labels are items). */
  LossTerms objective(NDArray f, NDArray g, NDArray b, NDArray labels);

  /**
   * The loss of one mini-batch of one modality: a function of {@code step.outputs()} whose gradient is ∂J/∂(those
   * rows of F, or of G) with everything else fixed.
   */
  LossTerms step(Step step);

  /** B for the current F and G: DCMH's Eq. 5, sign(γ(F + G)) = sign(F + G) for γ &gt; 0, with sign(0) = +1. */
  default NDArray codes(NDArray f, NDArray g) {
    return Pairwise.sign(f.add(g));
  }

  /**
   * What one step sees. For an image step: outputs = the batch's rows of F (with a gradient), own = F (n × l, the
   * batch rows already holding the outputs' values, no gradient), other = G, codes = the batch's rows of B,
   * similarity = S between the batch and every item (b × n), batchSimilarity = S within the batch (b × b). A text step
   * swaps F and G (S is symmetric).
   */
  record Step(NDArray outputs, NDArray own, NDArray other, NDArray codes, NDArray similarity,
      NDArray batchSimilarity) {}
}
