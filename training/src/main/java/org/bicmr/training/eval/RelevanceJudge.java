package org.bicmr.training.eval;

import org.bicmr.training.data.PairedDataset;

/**
 * Answers relevance for one query against a whole database at a time, from a per-item key: the label set packed into
 * 64-bit words (S: relevant iff the sets intersect) or the relevance group (G: relevant iff equal).
 */
final class RelevanceJudge {
  private final int wordsPerItem;
  /** Labels packed per item (S), or null. */
  private final long[] labelWords;
  /** The group of each item (G), or null. */
  private final int[] groups;

  private RelevanceJudge(int wordsPerItem, long[] labelWords, int[] groups) {
    this.wordsPerItem = wordsPerItem;
    this.labelWords = labelWords;
    this.groups = groups;
  }

  static RelevanceJudge sharedLabel(PairedDataset data) {
    int w = Math.max(1, (data.labelCount() + 63) >>> 6);
    long[] words = new long[data.size() * w];
    for (int i = 0; i < data.size(); i++) {
      for (int c = 0; c < data.labelCount(); c++) {
        if (data.hasLabel(i, c)) {
          words[i * w + (c >>> 6)] |= 1L << (c & 63);
        }
      }
    }
    return new RelevanceJudge(w, words, null);
  }

  static RelevanceJudge sameGroup(int[] groups) {
    return new RelevanceJudge(0, null, groups);
  }

  /**
   * Sets {@code relevant[j]} to whether database item {@code database[j]} is relevant to item {@code query}.
   *
   * @return the number of relevant database items
   */
  int judge(int query, int[] database, boolean[] relevant) {
    int count = 0;
    if (groups != null) {
      int group = groups[query];
      for (int j = 0; j < database.length; j++) {
        boolean r = groups[database[j]] == group;
        relevant[j] = r;
        count += r ? 1 : 0;
      }
    } else if (wordsPerItem == 1) {
      long labels = labelWords[query];
      for (int j = 0; j < database.length; j++) {
        boolean r = (labelWords[database[j]] & labels) != 0;
        relevant[j] = r;
        count += r ? 1 : 0;
      }
    } else {
      for (int j = 0; j < database.length; j++) {
        boolean r = false;
        for (int k = 0; k < wordsPerItem && r == false; k++) {
          r = (labelWords[database[j] * wordsPerItem + k] & labelWords[query * wordsPerItem + k]) != 0;
        }
        relevant[j] = r;
        count += r ? 1 : 0;
      }
    }
    return count;
  }
}
