package org.bicmr.training.model;

import ai.djl.ndarray.NDArray;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The two hash functions of a trained cross-modal model, whatever method trained them: what evaluation needs. The
 * signs of the outputs are the hash codes (DESIGN §3: bit i is 1 iff output i ≥ 0).
 */
public interface HashFunctions {
  /** Code length l: the width of both outputs. */
  int bits();

  /** The image net's outputs (batch × l) for a batch of image features. */
  NDArray imageHash(NDArray features);

  /** The text net's outputs (batch × l) for a batch of text vectors. */
  NDArray textHash(NDArray text);

  /** Writes every parameter, in a fixed order ({@code parameters.bin} of a model directory). */
  void save(DataOutputStream out) throws IOException;
}
