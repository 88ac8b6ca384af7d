package org.bicmr.opensearch.model;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The node's encode calls per model name and source, from the node's start: they outlive reloads, so a model that is
 * reloaded keeps counting.
 */
final class EncodeCounters {
  private final LongAdder requests = new LongAdder();
  private final Map<String, Map<EncodeRequest.Source, Counters>> byModel = new ConcurrentHashMap<>();

  /** One model's calls from one source; adders, since ingest threads encode at once. */
  private static final class Counters {
    final LongAdder calls = new LongAdder();
    final LongAdder inputs = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder nanos = new LongAdder();

    EncodeStats snapshot() {
      return new EncodeStats(calls.sum(), inputs.sum(), failures.sum(), nanos.sum());
    }
  }

  void recordRequest() {
    requests.increment();
  }

  long requests() {
    return requests.sum();
  }

  /** Counts one call of {@code model} for {@code source}: {@code inputs} inputs, {@code nanos}, failed or not. */
  void record(String model, EncodeRequest.Source source, int inputs, long nanos, boolean failed) {
    Counters c = forModel(model).get(source);
    c.calls.increment();
    c.inputs.add(inputs);
    c.nanos.add(nanos);
    if (failed) {
      c.failures.increment();
    }
  }

  /** Per model of {@code models}, per source key: the calls so far (zero for a model never called). */
  Map<String, Map<String, EncodeStats>> snapshot(Collection<String> models) {
    Map<String, Map<String, EncodeStats>> stats = new TreeMap<>();
    for (String model : models) {
      Map<String, EncodeStats> m = new TreeMap<>();
      forModel(model).forEach((source, c) -> m.put(source.key(), c.snapshot()));
      stats.put(model, m);
    }
    return stats;
  }

  private Map<EncodeRequest.Source, Counters> forModel(String model) {
    return byModel.computeIfAbsent(model, name -> {
      Map<EncodeRequest.Source, Counters> bySource = new EnumMap<>(EncodeRequest.Source.class);
      for (EncodeRequest.Source source : EncodeRequest.Source.values()) {
        bySource.put(source, new Counters());
      }
      return Collections.unmodifiableMap(bySource);
    });
  }
}
