package org.bicmr.training.eval;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One evaluated setting and its numbers: a method's codes of one length, searched in one direction, judged under one
 * relevance on one dataset split. The unit of the JSON report, the MAP tables and the plots.
 *
 * @param dataset the dataset's name
 * @param method the method, e.g. "Bi-CMR", "DCMH", "Bi-CMR4"
 * @param bits the code length l; must equal {@code metrics.bits()}
 * @param direction IQT or TQI
 * @param relevance S or G
 * @param splitSeed the seed of the dataset split the queries and database come from
 * @param settings anything else worth keeping (hyper-parameters, model file, epochs), sorted by key; may be empty
 * @param metrics the numbers
 */
public record EvaluationRun(
    String dataset,
    String method,
    int bits,
    Direction direction,
    Relevance relevance,
    long splitSeed,
    Map<String, String> settings,
    RetrievalMetrics metrics) {

  /** Checks the parts and copies {@code settings} into an unmodifiable sorted map (null means none). */
  public EvaluationRun {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(relevance, "relevance");
    Objects.requireNonNull(metrics, "metrics");
    if (method.isBlank()) {
      throw new IllegalArgumentException("method: expected a name, got \"" + method + "\"");
    }
    if (bits != metrics.bits()) {
      throw new IllegalArgumentException("bits is " + bits + " but the metrics are of " + metrics.bits()
          + "-bit codes; expected the same");
    }
    settings = Collections.unmodifiableMap(new TreeMap<>(settings == null ? Map.of() : settings));
  }
}
