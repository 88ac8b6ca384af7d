package org.bicmr.training.eval;

import java.util.Objects;

/** A cross-modal retrieval direction: which modality queries and which one is searched (the paper's IQT and TQI). */
public enum Direction {
  /** Image query, text database. */
  IQT("image", "text"),
  /** Text query, image database. */
  TQI("text", "image");

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

  /** The codes the queries use: {@code image} for IQT, {@code text} for TQI. */
  public PackedCodes queryCodes(PackedCodes image, PackedCodes text) {
    return Objects.requireNonNull(this == IQT ? image : text, queryModality + " codes");
  }

  /** The codes the database holds: {@code text} for IQT, {@code image} for TQI. */
  public PackedCodes databaseCodes(PackedCodes image, PackedCodes text) {
    return Objects.requireNonNull(this == IQT ? text : image, databaseModality + " codes");
  }
}
