package org.bicmr.lucene;

import java.io.IOException;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.CollectionTerminatedException;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.TopDocs;
import org.bicmr.codes.HashCode;

/**
 * Ranks the documents that any query matches by the Hamming distance of their code in a {@link HashCodeField} to a
 * query code, keeping the k closest within a radius (ties by ascending doc id). Documents without a code are skipped.
 * Made and merged by {@link HammingTopKCollectorManager}; one collector serves one search slice, which may hold whole
 * segments or partitions of one. A segment's codes are held (from the manager's {@link HashCodeCache}, or loaded for the
 * collector when there is none) from {@code getLeafCollector} until the leaf collector's {@code finish}.
 */
public final class HammingTopKCollector implements Collector {
  private final String field;
  private final HashCode code;
  private final int maxDistance;
  private final HashCodeCache cache;
  /** The codes of the segment being collected, or null. */
  private HashCodeCache.Lease lease;
  /** The buffers' first size: a collector does not know how many documents it will see, so they grow as needed. */
  private static final int INITIAL_CAPACITY = 4096;

  private final HammingTopK top;
  private int totalHits;

  HammingTopKCollector(String field, HashCode code, int k, int maxDistance, HashCodeCache cache) {
    this.field = field;
    this.code = code;
    this.maxDistance = maxDistance;
    this.cache = cache;
    this.top = new HammingTopK(k, maxDistance, INITIAL_CAPACITY);
  }

  @Override
  public LeafCollector getLeafCollector(LeafReaderContext context) throws IOException {
    releaseCodes(); // a leaf that ended without finish (collection terminated early)
    lease = HashCodeCache.acquire(cache, context.reader(), field);
    if (lease == null) {
      throw new CollectionTerminatedException(); // no document of this segment has a code
    }
    SegmentCodes codes = lease.codes();
    try {
      codes.checkQuery(code);
    } catch (RuntimeException e) {
      releaseCodes();
      throw e;
    }
    top.startRange(context.docBase); // slices may hold segments out of doc-base order
    return new Leaf(codes, code.words(), context.docBase);
  }

  private void releaseCodes() {
    if (lease != null) {
      lease.close();
      lease = null;
    }
  }

  private final class Leaf implements LeafCollector {
    private final SegmentCodes codes;
    private final long[] query;
    private final int docBase;

    Leaf(SegmentCodes codes, long[] query, int docBase) {
      this.codes = codes;
      this.query = query;
      this.docBase = docBase;
    }

    @Override
    public void setScorer(Scorable scorer) {}

    @Override
    public void finish() {
      releaseCodes();
    }

    @Override
    public void collect(int doc) {
      if (codes.hasCode(doc) == false) {
        return;
      }
      int d = codes.distance(doc, query);
      if (d <= maxDistance) {
        totalHits++;
        if (d < top.limit()) {
          top.add(docBase + doc, d);
        }
      }
    }
  }

  @Override
  public ScoreMode scoreMode() {
    return ScoreMode.COMPLETE_NO_SCORES;
  }

  /** The number of collected documents with a code within the radius. */
  int totalHits() {
    return totalHits;
  }

  /** This collector's best hits as sorted (distance, global doc) keys. */
  long[] sortedKeys() {
    return top.sortedKeys();
  }

  /** This collector's hits alone: {@link HammingScoreDoc}s by distance, then doc. */
  public TopDocs topDocs() {
    return HammingTopKCollectorManager.toTopDocs(top.sortedKeys(), totalHits);
  }
}
