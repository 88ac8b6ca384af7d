package org.bicmr.training.eval;

import java.util.List;
import java.util.Objects;
import org.bicmr.training.data.PairedDataset;

/** When a database item is relevant to a query item (DESIGN §6, the paper's Table 3). */
public enum Relevance {
  /** The two items share at least one label: the paper's similarity matrix S, defined for every dataset. */
  S("share at least one label"),
  /** The two items are in the same relevance group: the judgements G, defined when the dataset has them. */
  G("same relevance group");

  private final String description;

  Relevance(String description) {
    this.description = description;
  }

  /** What makes two items relevant, in words. */
  public String description() {
    return description;
  }

  /** The relevances {@code data} defines: S always, and G when it has judgements. */
  public static List<Relevance> available(PairedDataset data) {
    return data.hasJudgements() ? List.of(S, G) : List.of(S);
  }

  /**
   * The judge of this relevance on {@code data}.
   *
   * @throws IllegalArgumentException for G on a dataset without judgements
   */
  RelevanceJudge judge(PairedDataset data) {
    Objects.requireNonNull(data, "data");
    return switch (this) {
      case S -> RelevanceJudge.sharedLabel(data);
      case G -> {
        if (data.hasJudgements() == false) {
          throw new IllegalArgumentException("relevance G needs relevance judgements, but dataset \"" + data.name()
              + "\" has none; expected relevance S");
        }
        yield RelevanceJudge.sameGroup(data.relevanceGroups());
      }
    };
  }
}
