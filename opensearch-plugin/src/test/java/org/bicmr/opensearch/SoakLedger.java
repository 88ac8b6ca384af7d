package org.bicmr.opensearch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the soak sent and what the cluster acknowledged, with times ({@link System#nanoTime}): every document sent
 * (its inputs and its bulk), the acknowledgement time of each acknowledged document, every bulk, every completed
 * refresh, and every error with when it happened. Thread-safe; appended to by the soak's workers.
 */
final class SoakLedger {
  /** A document's inputs: its filter group, its caption (default model), its tags and image features (tiny model). */
  record Doc(String id, int group, String caption, String tags, float[] features, int bulk) {}

  /** A bulk request: its documents, when it was sent and answered, and whether every item was acknowledged. */
  record Bulk(int id, List<String> docs, long sent, long answered, boolean allAcked) {}

  /** A refresh of the index that succeeded: documents acknowledged before {@code start} are searchable after it. */
  record Refresh(long start, long end) {}

  /** Something that went wrong: when, where and what. */
  record Error(long time, String what) {}

  final Map<String, Doc> sent = new ConcurrentHashMap<>();
  /** Document id → when its bulk answered with 200/201 for it. */
  final Map<String, Long> acked = new ConcurrentHashMap<>();
  /** Document id → whether the replica acknowledged it too ({@code _shards.successful} = 2). */
  final Map<String, Boolean> replicated = new ConcurrentHashMap<>();
  final List<Bulk> bulks = Collections.synchronizedList(new ArrayList<>());
  final List<Refresh> refreshes = Collections.synchronizedList(new ArrayList<>());
  final List<Error> errors = Collections.synchronizedList(new ArrayList<>());
  private final java.util.concurrent.atomic.AtomicInteger nextBulk = new java.util.concurrent.atomic.AtomicInteger();

  int newBulk() {
    return nextBulk.getAndIncrement();
  }

  void error(String what) {
    errors.add(new Error(System.nanoTime(), what));
  }

  /**
   * The start of the latest refresh that ended before {@code time}: documents acknowledged before it are certainly
   * searchable at {@code time}; {@link Long#MIN_VALUE} when there is none.
   */
  long visibleBefore(long time) {
    long best = Long.MIN_VALUE;
    synchronized (refreshes) {
      for (Refresh r : refreshes) {
        if (r.end() < time && r.start() > best) {
          best = r.start();
        }
      }
    }
    return best;
  }
}
