package org.bicmr.lucene;

import java.io.IOException;
import java.util.Arrays;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.TermState;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.ArrayUtil;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.SparseFixedBitSet;

/**
 * Exact top k / radius search of one segment from the substring postings of a {@link HashCodeSubstringsField}
 * (Norouzi et al.'s k-NN search): probe every substring within r' of the query's, for r' = 0, 1, …; after round r'
 * every document within m(r' + 1) − 1 of the query has been seen, so the search stops when that bound covers the
 * radius or k documents lie within it. Candidates are verified with their full codes.
 *
 * <p>The choice against the scan is made by cost, in units of one code scanned: a term lookup costs
 * {@link #PROBE_COST}, a candidate read from the postings and verified {@link #CANDIDATE_COST}, and the scan the
 * segment's codes times their words. Before a round the search gives up ({@code null}, the caller scans) if its
 * lookups would take the total past the scan; after the lookups, which give the terms' document counts, it gives up
 * if reading their postings would. A round whose bound does not yet cover the radius is started only if the next
 * round looks affordable too (its lookups, and as many documents per lookup as so far), so that a top-k search on
 * codes without near neighbours gives up early instead of after paying for rounds it cannot finish; a round is known
 * to be the last when k of the candidates already seen lie within its bound (on clustered codes, after round 0).
 */
final class MultiIndexSearch {
  /**
   * A term lookup, in codes scanned: 1,500–3,500 measured (about 0.4 µs against 0.12 ns a 64-bit code; BENCHMARKS.md,
   * "Scale", {@code MultiIndexCalibration}).
   */
  static final long PROBE_COST = 2_500;
  /**
   * A candidate's postings entry, duplicate check and distance on its full code, in codes scanned: 250–1,000 measured
   * (a cache miss on the code array, which the scan streams instead).
   */
  static final long CANDIDATE_COST = 500;
  /**
   * Tests set a fixed cost budget here in place of the scan's cost (0: always scan; a huge value: always the
   * substrings), to reach either path on small segments; a negative value lets the cost model decide.
   */
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
    if (terms == null || terms.getDocCount() != codes.count()) {
      return null; // some documents have a code but no substrings (or the reverse): only the scan sees them all
    }
    long budget = budgetForTests >= 0 ? budgetForTests : (long) codes.count() * codes.words();
    Search search = new Search(layout, terms.iterator(), codes, query.words(), maxDistance, accept, reader.maxDoc());
    long spent = 0;
    long lookedUp = 0;
    long docsFound = 0;
    for (int r = 0; ; r++) {
      long lookups = lookups(layout, r);
      if (lookups > (budget - spent) / PROBE_COST) {
        return null;
      }
      long roundBound = (long) m * (r + 1) - 1;
      // this round ends the search if its bound covers the radius, or if k candidates already seen lie within it
      boolean last = roundBound >= maxDistance
          || (k != HammingTopK.UNBOUNDED && search.within(Math.min(roundBound, maxDistance)) >= k);
      if (r > 0 && last == false) {
        // unless this round ends the search, it is worth its cost only if the next one is affordable too
        double docsPerLookup = docsFound / (double) lookedUp;
        double next = lookups(layout, r + 1);
        double estimate = (lookups + next) * (PROBE_COST + docsPerLookup * CANDIDATE_COST);
        if (spent + estimate > budget) {
          return null;
        }
      }
      spent += lookups * PROBE_COST;
      long postings = search.lookUp(r);
      if (postings > (budget - spent) / CANDIDATE_COST) {
        return null;
      }
      spent += postings * CANDIDATE_COST;
      lookedUp += lookups;
      docsFound += postings;
      search.readPostings();
      long bound = Math.min((long) m * (r + 1) - 1, maxDistance);
      if (bound >= maxDistance || r >= codes.bits()) {
        break;
      }
      if (k != HammingTopK.UNBOUNDED && search.within(bound) >= k) {
        break;
      }
    }
    SEARCHES.incrementAndGet();
    return search.best(k);
  }

  /** The substring values at exactly distance r from the query's, over all m substrings. */
  private static long lookups(MultiIndexHashing layout, int r) {
    long lookups = 0;
    for (int j = 0; j < layout.substrings(); j++) {
      lookups += layout.neighbours(j, r); // each at most Long.MAX_VALUE / 64, m at most 255: no overflow
    }
    return lookups;
  }

  /** The state of one segment's search: the query's substrings, the terms found in a round, the candidates seen. */
  private static final class Search {
    private final MultiIndexHashing layout;
    private final TermsEnum termsEnum;
    private final SegmentCodes codes;
    private final long[] words;
    private final long[] values;
    private final int maxDistance;
    private final Bits accept;
    private final SparseFixedBitSet seen;
    private final int[] atDistance;
    private TermState[] found = new TermState[8];
    private byte[] foundTerms = new byte[8 * 9];
    private int foundCount;
    private long[] keys = new long[16];
    private int keyCount;
    private PostingsEnum postings;

    Search(MultiIndexHashing layout, TermsEnum termsEnum, SegmentCodes codes, long[] words, int maxDistance,
        Bits accept, int maxDoc) {
      this.layout = layout;
      this.termsEnum = termsEnum;
      this.codes = codes;
      this.words = words;
      this.maxDistance = maxDistance;
      this.accept = accept;
      this.seen = new SparseFixedBitSet(maxDoc);
      this.atDistance = new int[codes.bits() + 1];
      this.values = new long[layout.substrings()];
      for (int j = 0; j < values.length; j++) {
        values[j] = layout.substring(words, j);
      }
    }

    /** Looks up every substring value at exactly distance r from the query's; returns their document count. */
    long lookUp(int r) throws IOException {
      foundCount = 0;
      long docs = 0;
      byte[] term = new byte[9];
      BytesRef ref = new BytesRef(term);
      int[] flip = new int[r];
      for (int j = 0; j < values.length; j++) {
        int n = layout.length(j);
        if (r > n) {
          continue;
        }
        for (int i = 0; i < r; i++) {
          flip[i] = i;
        }
        while (true) {
          long value = values[j];
          for (int i = 0; i < r; i++) {
            value ^= 1L << (n - 1 - flip[i]);
          }
          layout.term(j, value, term);
          if (termsEnum.seekExact(ref)) {
            docs += termsEnum.docFreq();
            found = ArrayUtil.grow(found, foundCount + 1);
            foundTerms = ArrayUtil.grow(foundTerms, (foundCount + 1) * 9);
            System.arraycopy(term, 0, foundTerms, foundCount * 9, 9);
            found[foundCount++] = termsEnum.termState();
          }
          if (nextCombination(flip, n) == false) {
            break;
          }
        }
      }
      return docs;
    }

    /** The next r positions out of n in lexicographic order; false after the last. */
    private static boolean nextCombination(int[] flip, int n) {
      int r = flip.length;
      int i = r - 1;
      while (i >= 0 && flip[i] == n - r + i) {
        i--;
      }
      if (i < 0) {
        return false;
      }
      flip[i]++;
      for (int t = i + 1; t < r; t++) {
        flip[t] = flip[t - 1] + 1;
      }
      return true;
    }

    /** Reads the postings of the terms the last lookup found, verifying each new document once. */
    void readPostings() throws IOException {
      BytesRef term = new BytesRef(foundTerms, 0, 9);
      for (int t = 0; t < foundCount; t++) {
        term.offset = t * 9;
        termsEnum.seekExact(term, found[t]); // the state found by the lookup: no second seek
        postings = termsEnum.postings(postings, PostingsEnum.NONE);
        for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
          if (seen.getAndSet(doc) || (accept != null && accept.get(doc) == false) || codes.hasCode(doc) == false) {
            continue;
          }
          int d = codes.distance(doc, words);
          atDistance[d]++;
          if (d <= maxDistance) {
            keys = ArrayUtil.grow(keys, keyCount + 1);
            keys[keyCount++] = ((long) d << 32) | doc;
          }
        }
      }
    }

    /** The number of accepted documents seen within {@code bound}. */
    long within(long bound) {
      long n = 0;
      for (int d = 0; d <= bound; d++) {
        n += atDistance[d];
      }
      return n;
    }

    /** The k best (distance, doc) keys seen, sorted. */
    long[] best(int k) {
      Arrays.sort(keys, 0, keyCount);
      return Arrays.copyOf(keys, Math.min(k, keyCount));
    }
  }
}
