package org.bicmr.lucene;

import java.io.IOException;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.FixedBitSet;

/**
 * Exact top k / radius search of one segment from the substring postings of a {@link HashCodeSubstringsField}
 * (Norouzi et al.'s k-NN search): probe every substring within r' of the query's, for r' = 0, 1, …; after round r'
 * every document within m(r' + 1) − 1 of the query has been seen, so the search stops when that bound covers the
 * radius or k documents lie within it. Candidates are verified with their full codes. When the probes would cost more
 * than scanning the segment, it gives up before probing ({@code null}) and the caller scans.
 */
final class MultiIndexSearch {
  /**
   * Probes allowed per document of the segment: a term lookup costs about as much as scanning a few thousand codes
   * (0.1–0.7 ns each here against about 1 µs a lookup).
   */
  static final double PROBES_PER_DOC = 1.0 / 2000;
  /** Tests set a fixed probe budget here (a negative value: the cost model decides), to reach this path on small segments. */
  static volatile long budgetForTests = -1;
  /** Segments answered from the substrings, for tests to see which path ran. */
  static final java.util.concurrent.atomic.AtomicLong SEARCHES = new java.util.concurrent.atomic.AtomicLong();

  private MultiIndexSearch() {}

  /** The segment's best (distance, doc) keys, sorted, or null when scanning is cheaper. */
  static long[] search(LeafReader reader, FieldInfo info, SegmentCodes codes, HashCode query, int k, int maxDistance,
      Bits accept) throws IOException {
    int m = Integer.parseInt(info.getAttribute(HashCodeSubstringsField.SUBSTRINGS_ATTRIBUTE));
    MultiIndexHashing layout = new MultiIndexHashing(codes.bits(), m);
    Terms terms = reader.terms(info.name);
    FixedBitSet withCode = codes.docsWithCode();
    int coded = withCode == null ? reader.maxDoc() : withCode.cardinality();
    if (terms == null || terms.getDocCount() != coded) {
      return null; // some documents have a code but no substrings (or the reverse): only the scan sees them all
    }
    long budget = budgetForTests >= 0 ? budgetForTests : (long) Math.max(8, reader.maxDoc() * PROBES_PER_DOC);
    long[] words = query.words();
    long[] values = new long[m];
    for (int j = 0; j < m; j++) {
      values[j] = layout.substring(words, j);
    }
    int[] atDistance = new int[codes.bits() + 1];
    FixedBitSet seen = new FixedBitSet(reader.maxDoc());
    TermsEnum termsEnum = terms.iterator();
    PostingsEnum postings = null;
    long probes = 0;
    for (int r = 0; ; r++) {
      long next = 0;
      for (int j = 0; j < m; j++) {
        next += layout.neighbours(j, r);
      }
      if (probes + next > budget) {
        return null;
      }
      probes += next;
      for (int j = 0; j < m; j++) {
        postings = probe(layout, j, values[j], r, termsEnum, postings, seen, codes, words, accept, atDistance);
      }
      long bound = Math.min((long) m * (r + 1) - 1, maxDistance);
      if (bound >= maxDistance || r >= codes.bits()) {
        break;
      }
      if (k != HammingTopK.UNBOUNDED) {
        long within = 0;
        for (int d = 0; d <= bound; d++) {
          within += atDistance[d];
        }
        if (within >= k) {
          break;
        }
      }
    }
    SEARCHES.incrementAndGet();
    HammingTopK top = new HammingTopK(k, maxDistance);
    for (int doc = seen.nextSetBit(0); doc != DocIdSetIterator.NO_MORE_DOCS;
        doc = doc + 1 < seen.length() ? seen.nextSetBit(doc + 1) : DocIdSetIterator.NO_MORE_DOCS) {
      if ((accept == null || accept.get(doc)) && codes.hasCode(doc)) {
        int d = codes.distance(doc, words);
        if (d < top.limit()) {
          top.add(doc, d);
        }
      }
    }
    return top.sortedKeys();
  }

  /** Looks up every value at exactly distance r from v in substring j, marking and counting the new documents. */
  private static PostingsEnum probe(MultiIndexHashing layout, int j, long v, int r, TermsEnum termsEnum,
      PostingsEnum reuse, FixedBitSet seen, SegmentCodes codes, long[] words, Bits accept, int[] atDistance)
      throws IOException {
    int n = layout.length(j);
    int[] flip = new int[r];
    for (int i = 0; i < r; i++) {
      flip[i] = i;
    }
    PostingsEnum postings = reuse;
    while (true) {
      long value = v;
      for (int i = 0; i < r; i++) {
        value ^= 1L << (n - 1 - flip[i]);
      }
      if (termsEnum.seekExact(new BytesRef(layout.term(j, value)))) {
        postings = termsEnum.postings(postings, PostingsEnum.NONE);
        for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
          if (seen.getAndSet(doc) == false && (accept == null || accept.get(doc)) && codes.hasCode(doc)) {
            atDistance[codes.distance(doc, words)]++;
          }
        }
      }
      // next combination of r positions out of n
      int i = r - 1;
      while (i >= 0 && flip[i] == n - r + i) {
        i--;
      }
      if (i < 0) {
        return postings;
      }
      flip[i]++;
      for (int t = i + 1; t < r; t++) {
        flip[t] = flip[t - 1] + 1;
      }
    }
  }
}
