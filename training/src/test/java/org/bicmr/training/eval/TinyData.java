package org.bicmr.training.eval;

import org.bicmr.training.data.PairedDataset;

/** Hand-written datasets and codes for the tests: labels as letters, codes as "so many bits off an all-ones code". */
final class TinyData {
  private TinyData() {}

  /**
   * A dataset whose item i has the labels named by the letters of {@code labels[i]} (A, B, C, ...; "" for none), with
   * one-dimensional dummy features.
   */
  static PairedDataset labelled(String... labels) {
    int labelCount = 0;
    for (String s : labels) {
      for (char c : s.toCharArray()) {
        labelCount = Math.max(labelCount, c - 'A' + 1);
      }
    }
    labelCount = Math.max(labelCount, 1);
    float[] rows = new float[labels.length * labelCount];
    for (int i = 0; i < labels.length; i++) {
      for (char c : labels[i].toCharArray()) {
        rows[i * labelCount + c - 'A'] = 1f;
      }
    }
    return PairedDataset.builder("tiny", labels.length)
        .image(1, new float[labels.length])
        .text(1, new float[labels.length])
        .labels(labelCount, rows)
        .build();
  }

  /** Like {@link #labelled} but with relevance groups. */
  static PairedDataset grouped(int[] groups, String... labels) {
    PairedDataset d = labelled(labels);
    return PairedDataset.builder("tiny-groups", d.size())
        .image(1, d.image())
        .text(1, d.text())
        .labels(d.labelCount(), d.labels())
        .relevanceGroups(groups)
        .build();
  }

  /**
   * Codes of {@code bits} bits, one per entry: entry i is the all-ones code with its first {@code offBits[i]} bits
   * cleared, so its Hamming distance to the all-ones code is {@code offBits[i]} and to the all-zeros code
   * {@code bits - offBits[i]}.
   */
  static PackedCodes offBits(int bits, int... offBits) {
    float[] outputs = new float[offBits.length * bits];
    for (int i = 0; i < offBits.length; i++) {
      for (int b = 0; b < bits; b++) {
        outputs[i * bits + b] = b < offBits[i] ? -0.5f : 0.5f;
      }
    }
    return PackedCodes.fromOutputs(outputs, bits);
  }
}
