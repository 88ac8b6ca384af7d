package org.bicmr.training.eval;

import java.util.List;
import java.util.Objects;

/**
 * A retrieval direction: which modality queries and which one is searched. IQT and TQI are the paper's cross-modal
 * directions; TQT (text query, text database) judges a text net alone, where a dataset has no real image side.
 */
public enum Direction {
  /** Image query, text database. */
  IQT("image", "text"),
  /** Text query, image database. */
  TQI("text", "image"),
  /** Text query, text database. */
  TQT("text", "text");

  /** The paper's two cross-modal directions, IQT then TQI. */
  public static final List<Direction> CROSS_MODAL = List.of(IQT, TQI);

  private final String queryModality;
  private final String databaseModality;

  Direction(String queryModality, String databaseModality) {
    this.queryModality = queryModality;
    this.databaseModality = databaseModality;
  }

  /** "image" or "text". */
  public String queryModality() {
    return queryModality;
  }

  /** "image" or "text". */
  public String databaseModality() {
    return databaseModality;
  }

  /** The codes the queries use: {@code image} for IQT, {@code text} for TQI and TQT. */
  public PackedCodes queryCodes(PackedCodes image, PackedCodes text) {
    return Objects.requireNonNull(this == IQT ? image : text, queryModality + " codes");
  }

  /** The codes the database holds: {@code text} for IQT and TQT, {@code image} for TQI. */
  public PackedCodes databaseCodes(PackedCodes image, PackedCodes text) {
    return Objects.requireNonNull(this == TQI ? image : text, databaseModality + " codes");
  }
}
