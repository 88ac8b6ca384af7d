package org.bicmr.training.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.bicmr.training.data.DatasetSplit;
import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.eval.Direction;
import org.bicmr.training.eval.EvaluationRun;
import org.bicmr.training.eval.PackedCodes;
import org.bicmr.training.eval.Relevance;
import org.bicmr.training.eval.RetrievalEvaluation;
import org.bicmr.training.eval.RetrievalMetrics;

/**
 * Uniformly random codes, seeded: the reference a learned hash must beat on the same split. A random code ranks the
 * database in random order, up to the ties of Hamming distance.
 */
public final class RandomCodes {
  private RandomCodes() {}

  /** {@code count} random codes of {@code bits} bits. */
  public static PackedCodes of(int count, int bits, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] signs = new float[Math.multiplyExact(count, bits)];
    for (int i = 0; i < signs.length; i++) {
      signs[i] = random.nextBoolean() ? 1f : -1f;
    }
    return PackedCodes.fromOutputs(signs, bits);
  }

  /**
   * The evaluation runs of random codes ("random codes") on {@code split} of {@code data}, both cross-modal directions
   * under every relevance the data has: the row a demo prints beside the learned codes.
   */
  public static List<EvaluationRun> runs(PairedDataset data, DatasetSplit split, int bits) {
    PackedCodes image = of(data.size(), bits, split.seed() + 1);
    PackedCodes text = of(data.size(), bits, split.seed() + 2);
    List<EvaluationRun> runs = new ArrayList<>();
    for (Direction d : Direction.CROSS_MODAL) {
      for (Relevance r : Relevance.available(data)) {
        RetrievalMetrics m = RetrievalEvaluation.evaluate(data, r, d.queryCodes(image, text), split.query(),
            d.databaseCodes(image, text), split.database());
        runs.add(new EvaluationRun(data.name(), "random codes", bits, d, r, split.seed(), null, m));
      }
    }
    return runs;
  }
}
