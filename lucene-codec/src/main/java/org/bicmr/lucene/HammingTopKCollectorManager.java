package org.bicmr.lucene;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;
import org.bicmr.codes.HashCode;

/**
 * Ranks whatever a query matches by Hamming distance: {@code searcher.search(query, manager)} returns the k matching
 * documents whose code is closest to the query code (within {@code maxDistance}), ties by ascending doc id, as
 * {@link HammingScoreDoc}s carrying the distance; {@code totalHits} counts every matching document with a code within
 * the radius. Works with an executor and with segments split into partitions. The segments' codes are held by the
 * {@link HashCodeCache} given to the manager, or, without one, loaded per collector and segment.
 */
public final class HammingTopKCollectorManager implements CollectorManager<HammingTopKCollector, TopDocs> {
  private final String field;
  private final HashCode code;
  private final int k;
  private final int maxDistance;
  private final HashCodeCache cache;

  /** The k closest, at any distance, without a cache. */
  public HammingTopKCollectorManager(String field, HashCode code, int k) {
    this(field, code, k, Objects.requireNonNull(code, "code").bits());
  }

  /** The k closest within {@code maxDistance} ({@link HammingDistanceQuery#ALL} as k for all of them), without a cache. */
  public HammingTopKCollectorManager(String field, HashCode code, int k, int maxDistance) {
    this(field, code, k, maxDistance, null);
  }

  /**
   * The k closest within {@code maxDistance}, the codes held by {@code cache} (null: loaded per collector). Collecting
   * through a cache that has no room for a segment's codes fails with {@link HashCodeCache.LimitExceededException} (or
   * whatever the cache's accounting throws).
   */
  public HammingTopKCollectorManager(String field, HashCode code, int k, int maxDistance, HashCodeCache cache) {
    // the query validates the same arguments with the same messages
    HammingDistanceQuery valid = new HammingDistanceQuery(field, code, k, maxDistance, null);
    this.field = valid.getField();
    this.code = valid.getCode();
    this.k = k;
    this.maxDistance = maxDistance;
    this.cache = cache;
  }

  @Override
  public HammingTopKCollector newCollector() {
    return new HammingTopKCollector(field, code, k, maxDistance, cache);
  }

  @Override
  public TopDocs reduce(Collection<HammingTopKCollector> collectors) {
    List<long[]> lists = new ArrayList<>(collectors.size());
    long total = 0;
    for (HammingTopKCollector collector : collectors) {
      lists.add(collector.sortedKeys());
      total += collector.totalHits();
    }
    return toTopDocs(HammingDistanceQuery.merge(lists, k), total);
  }

  static TopDocs toTopDocs(long[] sortedKeys, long totalHits) {
    ScoreDoc[] hits = new ScoreDoc[sortedKeys.length];
    for (int i = 0; i < hits.length; i++) {
      hits[i] = new HammingScoreDoc(HammingTopK.docOf(sortedKeys[i]), HammingTopK.distanceOf(sortedKeys[i]));
    }
    return new TopDocs(new TotalHits(totalHits, TotalHits.Relation.EQUAL_TO), hits);
  }
}
