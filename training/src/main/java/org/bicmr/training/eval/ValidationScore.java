package org.bicmr.training.eval;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Locale;
import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.model.EpochSelection;
import org.bicmr.training.model.HashFunctions;
import org.bicmr.training.model.HashOutputs;

/**
 * The score of model selection: MAP of the validation items (held out of the training items, never the queries) as
 * queries against the items trained on as database, by Hamming ranking, in the given directions and relevance,
 * averaged over the directions.
 */
public final class ValidationScore implements EpochSelection.Score {
  private final PairedDataset items;
  private final int[] validation;
  private final int[] fit;
  private final List<Direction> directions;
  private final Relevance relevance;

  /**
   * @param items the training items (those trained on and the validation items)
   * @param validation the validation items' indices in {@code items}
   * @param fit the indices of the items trained on
   */
  public ValidationScore(PairedDataset items, int[] validation, int[] fit, List<Direction> directions,
      Relevance relevance) {
    if (validation.length == 0 || fit.length == 0) {
      throw new IllegalArgumentException("validation needs validation items and items trained on, got "
          + validation.length + " and " + fit.length);
    }
    if (directions.isEmpty()) {
      throw new IllegalArgumentException("validation needs at least one direction");
    }
    this.items = items;
    this.validation = validation.clone();
    this.fit = fit.clone();
    this.directions = List.copyOf(directions);
    this.relevance = relevance;
  }

  @Override
  public double of(HashFunctions nets) {
    int[] all = new int[items.size()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    PackedCodes image = null;
    PackedCodes text;
    boolean needsImages = directions.stream().anyMatch(d -> d != Direction.TQT);
    try (NDManager manager = NDManager.newBaseManager()) {
      if (needsImages) {
        image = PackedCodes.fromOutputs(HashOutputs.images(nets, manager, items.image(), items.imageDim(), all),
            nets.bits());
      }
      text = PackedCodes.fromOutputs(HashOutputs.texts(nets, manager, items.text(), items.textDim(), all),
          nets.bits());
    }
    double sum = 0;
    for (Direction d : directions) {
      sum += RetrievalEvaluation.evaluate(items, relevance, d.queryCodes(image, text), validation,
          d.databaseCodes(image, text), fit, new int[] {1}).map();
    }
    return sum / directions.size();
  }

  @Override
  public String description() {
    return String.format(Locale.ROOT, "validation MAP (%s, %s): %d validation queries against %d items trained on",
        String.join("+", directions.stream().map(Enum::name).toList()), relevance, validation.length, fit.length);
  }
}
