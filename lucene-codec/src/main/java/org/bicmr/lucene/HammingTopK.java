package org.bicmr.lucene;

import java.util.Arrays;
import org.apache.lucene.util.ArrayUtil;

/**
 * Selects the k (doc, distance) pairs of smallest distance, ties by ascending doc, among those within a radius.
 *
 * <p>Distances are integers in [0, l], so selection counts per distance instead of keeping a heap: candidates go into
 * a buffer of twice k; when it fills, a histogram of its distances gives the k-th smallest distance t, the buffer keeps
 * only its best k, and from then on only candidates below {@link #limit()} are offered. Adding allocates nothing once
 * the buffer exists. With no k (radius search), every candidate within the radius is kept.
 *
 * <p>Callers offer a candidate only if its distance is below {@link #limit()}; {@link #add} returns the new limit.
 * Candidates come in increasing doc order, except that {@link #startRange(int)} may announce a range that starts
 * below docs already offered (a collector visiting segments out of doc-base order); from then on ties at the threshold
 * stay admissible until the next compaction settles them.
 */
final class HammingTopK {
  /** k for a radius search that keeps every document within the radius. */
  static final int UNBOUNDED = Integer.MAX_VALUE;

  private final int k;
  private final int[] histogram;
  private int[] docs;
  private int[] distances;
  private int size;
  private int limit;
  /** True while docs have come in increasing order, which lets ties at the threshold be refused at once. */
  private boolean increasing = true;
  /** True when the limit excludes the threshold distance itself (ties lose to the docs already kept). */
  private boolean strict;
  private int lastDoc = -1;

  HammingTopK(int k, int maxDistance) {
    this(k, maxDistance, Integer.MAX_VALUE);
  }

  /**
   * @param expected at most this many candidates will be offered (a segment's document count), so the buffers start
   *     no larger: a huge k over many small segments costs what the segments hold, not k each
   */
  HammingTopK(int k, int maxDistance, int expected) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    if (maxDistance < 0) {
      throw new IllegalArgumentException("maxDistance must be at least 0, got " + maxDistance);
    }
    this.k = k;
    this.limit = maxDistance + 1;
    this.histogram = k == UNBOUNDED ? null : new int[maxDistance + 1];
    int capacity = k == UNBOUNDED ? 64 : (int) Math.min(Math.min(2L * k, 1 << 20), Math.max(expected, 1));
    // grows past the cap only if it must
    this.docs = new int[capacity];
    this.distances = new int[capacity];
  }

  /** The buffers' current size, in candidates. */
  int capacity() {
    return docs.length;
  }

  /** Candidates must have a distance below this. */
  int limit() {
    return limit;
  }

  /** Announces that the next candidates have doc ids from {@code minDoc} on, in increasing order. */
  void startRange(int minDoc) {
    if (minDoc <= lastDoc && increasing) {
      increasing = false;
      if (strict) {
        strict = false;
        limit++;
      }
    }
  }

  /** Offers a candidate whose distance is below {@link #limit()}; returns the new limit. */
  int add(int doc, int distance) {
    assert distance < limit : distance + " >= " + limit;
    assert doc > lastDoc || increasing == false : "doc " + doc + " after " + lastDoc + " without startRange";
    lastDoc = Math.max(lastDoc, doc);
    if (size == docs.length) {
      if (histogram == null) {
        docs = ArrayUtil.grow(docs, size + 1);
        distances = ArrayUtil.growExact(distances, docs.length);
      } else {
        compact();
        if (distance >= limit) {
          return limit;
        }
        if (size == docs.length) { // only when 2k exceeds the buffer cap and ties stay unresolved
          docs = ArrayUtil.grow(docs, size + 1);
          distances = ArrayUtil.growExact(distances, docs.length);
        }
      }
    }
    docs[size] = doc;
    distances[size] = distance;
    size++;
    return limit;
  }

  /** Keeps the best k of the buffer and lowers the limit to what can still enter. */
  private void compact() {
    if (size <= k) {
      return;
    }
    int min = Integer.MAX_VALUE, max = 0;
    for (int i = 0; i < size; i++) {
      int d = distances[i];
      histogram[d]++;
      min = Math.min(min, d);
      max = Math.max(max, d);
    }
    int threshold = min, below = 0; // below: candidates with distance < threshold
    while (below + histogram[threshold] < k) {
      below += histogram[threshold];
      threshold++;
    }
    int tiesToKeep = k - below;
    boolean tiesInOrder = increasing;
    Arrays.fill(histogram, min, max + 1, 0);

    int kept = 0;
    int tieStart;
    if (tiesInOrder) {
      // docs are in increasing order: the first ties are the smallest doc ids
      for (int i = 0; i < size; i++) {
        int d = distances[i];
        if (d < threshold || (d == threshold && tiesToKeep-- > 0)) {
          docs[kept] = docs[i];
          distances[kept] = d;
          kept++;
        }
      }
    } else {
      // keep everything below the threshold, then the ties, then sort the ties by doc and cut
      for (int i = 0; i < size; i++) {
        if (distances[i] < threshold) {
          swap(kept++, i);
        }
      }
      tieStart = kept;
      for (int i = kept; i < size; i++) {
        if (distances[i] == threshold) {
          swap(kept++, i);
        }
      }
      Arrays.sort(docs, tieStart, kept);
      kept = tieStart + tiesToKeep;
    }
    size = kept;
    // with increasing docs a later tie always loses to the ones kept
    strict = tiesInOrder;
    limit = strict ? threshold : threshold + 1;
  }

  private void swap(int i, int j) {
    int d = docs[i];
    docs[i] = docs[j];
    docs[j] = d;
    int t = distances[i];
    distances[i] = distances[j];
    distances[j] = t;
  }

  /**
   * The selected candidates ordered by distance then doc, as {@code (distance << 32) | doc} keys. Ends the selection.
   */
  long[] sortedKeys() {
    if (histogram != null && size > k) {
      compact();
    }
    long[] keys = new long[size];
    for (int i = 0; i < size; i++) {
      keys[i] = ((long) distances[i] << 32) | docs[i];
    }
    Arrays.sort(keys);
    return keys;
  }

  static int docOf(long key) {
    return (int) key;
  }

  static int distanceOf(long key) {
    return (int) (key >>> 32);
  }
}
