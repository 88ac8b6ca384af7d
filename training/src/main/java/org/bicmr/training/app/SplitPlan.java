package org.bicmr.training.app;

import org.bicmr.training.data.DatasetSplit;
import org.bicmr.training.data.PairedDataset;

/**
 * How a dataset is split for training: query items held out, training items drawn from the database, and of those
 * the items held out for model selection.
 *
 * @param queries query items held out
 * @param trainSize training items drawn from the database
 * @param validation training items held out to choose the epoch (0: keep the last epoch), or null for a tenth of the
 *     training items
 * @param seed the seed of the split
 */
public record SplitPlan(int queries, int trainSize, Integer validation, long seed) {

  /** The default of {@code bicmr train}: 2,000 queries, 10,000 training items, a tenth of them for validation. */
  public static final SplitPlan DEFAULT = new SplitPlan(2000, 10_000, null, 42);

  /**
   * The split of {@code all}, with the validation items held out of the training items; on a dataset with split
   * groups (every style of one emoji), whole groups on each side.
   */
  public DatasetSplit of(PairedDataset all) {
    int[] groups = all.splitGroups();
    DatasetSplit split = groups == null ? DatasetSplit.random(all.size(), queries, trainSize, seed)
        : DatasetSplit.grouped(groups, queries, trainSize, seed);
    int held = validation == null ? split.train().length / 10 : validation;
    return held == 0 ? split : split.withValidation(held, groups);
  }
}
