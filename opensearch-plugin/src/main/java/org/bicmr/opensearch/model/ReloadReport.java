package org.bicmr.opensearch.model;

import java.util.List;
import java.util.Map;

/**
 * What a reload did on one node.
 *
 * @param generation the registry now serving (one more than before)
 * @param models every model now served: {@code loaded} (read from its files by this reload), {@code kept} (the
 *     previous bundle keeps serving because the files failed or were refused: see {@code failed}) or {@code shipped}
 *     (the default bundle, never reloaded)
 * @param removed models served before whose entry is gone from the models directory
 * @param failed entries not loaded, by name, with the reason
 */
public record ReloadReport(long generation, Map<String, Model> models, List<String> removed,
    Map<String, String> failed) {
  /** A served model: how it came to be served, its version and code length. */
  public record Model(String status, String version, int bits) {}
}
