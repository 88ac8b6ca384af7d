package org.bicmr.training.app;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@link Indexing#index} encodes and where it writes the index.
 *
 * @param bundle the model bundle (from {@link Export}): a directory or a {@code .zip}
 * @param data the dataset directory
 * @param out the index directory to write; it must not exist
 * @param databaseOf a model directory whose split's database items alone are indexed, or null for every item
 * @param quiet no progress bar
 */
public record IndexRequest(Path bundle, Path data, Path out, Path databaseOf, boolean quiet) {
  public IndexRequest {
    Objects.requireNonNull(bundle, "bundle");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(out, "out");
  }
}
