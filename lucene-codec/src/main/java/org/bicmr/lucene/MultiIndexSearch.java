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
import org.bicmr.codes.HashCode;

/**
 * Exact top k / radius search of one segment from the substring postings of a {@link HashCodeSubstringsField}
 * (Norouzi et al.'s k-NN search): probe substring 0 at distance r' of the query's, then substring 1, …, then all of
 * them at r' + 1; once substrings 0 … j have been probed at r' (and all of them at r' − 1), every document within
 * m·r' + j of the query has been seen (its substrings would otherwise be at least r' + 1 apart in j + 1 places and r'
 * in the others), so the search stops when that bound covers the radius or k documents lie within it. Candidates are
 * verified with their full codes, read in batches of a term's postings; a document found again through another
 * substring is recognised from its own substring distances (it is new only where the first of its smallest ones is
 * probed), which needs no set of the documents seen.
 *
 * <p>The choice against the scan is made by cost, in units of one code scanned: a term lookup costs
 * {@link #PROBE_COST}, reading a found term's postings {@link #TERM_COST} and each of their candidates
 * {@link #CANDIDATE_COST}, and the scan the segment's codes times their words. Before each substring's probe the
 * search gives up ({@code null}, the caller scans) if its lookups would take the total past the scan; after the
 * lookups, which give the terms found and their document counts, it gives up if reading their postings would. A
 * radius search knows its probes in advance (every one up to the radius) and scans at once if they cost more than the
 * scan. A top-k round whose bound does not yet cover the radius is started only if the next round looks affordable
 * too (its lookups, and as many terms and documents per lookup as so far), so that a search on codes without near
 * neighbours gives up early instead of after paying for rounds it cannot finish; a round is known to be the last when
 * k of the candidates already seen lie within its bound (on clustered codes, after round 0).
 */
final class MultiIndexSearch {
  /**
   * A term lookup, in codes scanned: 960–1,040 measured (about 0.3 µs against 0.29 ns a 64-bit code of 10M;
   * BENCHMARKS.md, "Scale", {@code MultiIndexCalibration}).
   */
  static final long PROBE_COST = 1_000;
  /** Opening a found term's postings, in codes scanned: about 700 measured (0.2 µs). */
  static final long TERM_COST = 700;
  /**
   * A candidate's postings entry, gathered code, duplicate check and distance, in codes scanned: 94–102 measured
   * (0.03 µs: a cache miss on the code array, overlapped with the other candidates' of its term).
   */
  static final long CANDIDATE_COST = 100;
  /**
   * Tests set a fixed cost budget here in place of the scan's cost (0: always scan; a huge value: always the
   * substrings), to reach either path on small segments; a negative value lets the cost model decide.
   */
  static volatile long budgetForTests = -1;
  /** Segments answered from the substrings, for tests to see which path ran. */
  static final java.util.concurrent.atomic.AtomicLong SEARCHES = new java.util.concurrent.atomic.AtomicLong();

  private MultiIndexSearch() {}

  /**
   * The segment's best (distance, doc) keys, sorted, or null when scanning is cheaper.
   *
   * @throws IllegalStateException if a document's substrings were not taken from its code
   */
  static long[] search(LeafReader reader, FieldInfo info, SegmentCodes codes, HashCode query, int k, int maxDistance,
      Bits accept) throws IOException {
    int m = Integer.parseInt(info.getAttribute(HashCodeSubstringsField.SUBSTRINGS_ATTRIBUTE));
    MultiIndexHashing layout = new MultiIndexHashing(codes.bits(), m);
    Terms terms = reader.terms(info.name);
    if (terms == null || terms.getDocCount() != codes.count()) {
      return null; // some documents have a code but no substrings (or the reverse): only the scan sees them all
    }
    long budget = budgetForTests >= 0 ? budgetForTests : (long) codes.count() * codes.words();
    // errors name the user's code field, not the internal substrings field ("code$mih")
    String field = info.name.endsWith(HashCodeSubstringsField.SUFFIX)
        ? info.name.substring(0, info.name.length() - HashCodeSubstringsField.SUFFIX.length()) : info.name;
    Search search = new Search(field, layout, terms.iterator(), codes, query.words(), k, maxDistance, accept);
    if (k == HammingTopK.UNBOUNDED && probes(layout, maxDistance) > budget / PROBE_COST) {
      return null; // a radius search runs every probe up to its radius: too many to beat the scan
    }
    long spent = 0;
    long lookedUp = 0;
    long termsFound = 0;
    long docsFound = 0;
    search:
    for (int r = 0; r <= codes.bits(); r++) {
      long roundBound = (long) m * (r + 1) - 1;
      // this round ends the search if its bound covers the radius, or if k candidates already seen lie within it
      boolean last = roundBound >= maxDistance
          || (k != HammingTopK.UNBOUNDED && search.within(Math.min(roundBound, maxDistance)) >= k);
      if (r > 0 && last == false && k != HammingTopK.UNBOUNDED) {
        // unless this round ends the search, it is worth its cost only if the next one is affordable too, with as
        // many terms and documents per lookup as so far (on random codes a round without near neighbours finds few
        // terms, each with a few documents, and the next round's lookups are what it cannot afford)
        double perLookup = PROBE_COST + termsFound * TERM_COST / (double) lookedUp
            + docsFound * CANDIDATE_COST / (double) lookedUp;
        double probes = (double) probes(layout, r, maxDistance) + probes(layout, r + 1, maxDistance);
        if (spent + probes * perLookup > budget) {
          return null;
        }
      }
      for (int j = 0; j < m; j++) {
        long lookups = layout.neighbours(j, r);
        if (lookups > (budget - spent) / PROBE_COST) {
          return null;
        }
        spent += lookups * PROBE_COST;
        long postings = search.lookUp(j, r);
        long reading = search.terms() * TERM_COST + postings * CANDIDATE_COST; // at most 2^31 · 800: no overflow
        if (reading > budget - spent) {
          return null;
        }
        spent += reading;
        lookedUp += lookups;
        termsFound += search.terms();
        docsFound += postings;
        search.readPostings(j, r);
        long bound = Math.min((long) m * r + j, maxDistance); // every document within it has been seen
        if (bound >= maxDistance || (k != HammingTopK.UNBOUNDED && search.within(bound) >= k)) {
          break search;
        }
      }
    }
    SEARCHES.incrementAndGet();
    return search.best();
  }

  /**
   * The lookups of round r up to the probe whose bound covers {@code maxDistance} (the search's last): the substring
   * values at exactly distance r from the query's, over substrings 0 … min(m − 1, maxDistance − m·r).
   */
  static long probes(MultiIndexHashing layout, int r, int maxDistance) {
    int m = layout.substrings();
    long last = maxDistance - (long) m * r; // the last substring probed in round r, if below m - 1
    long lookups = 0;
    for (int j = 0; j <= Math.min(m - 1, last); j++) {
      lookups += layout.neighbours(j, r); // each at most Long.MAX_VALUE / 64, m at most 255: no overflow
    }
    return lookups;
  }

  /** All the lookups of a search to {@code maxDistance} that does not stop early (a radius search). */
  static long probes(MultiIndexHashing layout, int maxDistance) {
    long lookups = 0;
    for (int r = 0; (long) layout.substrings() * r <= maxDistance; r++) {
      lookups = Math.min(Long.MAX_VALUE / 2, lookups + probes(layout, r, maxDistance)); // saturates, never wraps
    }
    return lookups;
  }

  /** The state of one segment's search: the query's substrings, the terms found by a probe, the candidates kept. */
  static final class Search {
    private final String field;
    private final MultiIndexHashing layout;
    private final TermsEnum termsEnum;
    private final SegmentCodes codes;
    private final long[] words;
    private final long[] xor;
    private final long[] values;
    private final int k;
    private final int maxDistance;
    private final Bits accept;
    /** Accepted documents seen, by distance. */
    private final int[] atDistance;
    /** Candidates farther than this cannot be among the best k: k seen ones are at most this far. */
    private int cutoff;
    private TermState[] found = new TermState[8];
    private byte[] foundTerms = new byte[8 * 9];
    private int foundCount;
    private long[] probes = new long[8];
    private int[] docs = new int[128];
    private long[] gathered = new long[128];
    private long[] keys = new long[16];
    private int keyCount;
    private PostingsEnum postings;

    Search(String field, MultiIndexHashing layout, TermsEnum termsEnum, SegmentCodes codes, long[] words, int k,
        int maxDistance, Bits accept) {
      this.field = field;
      this.layout = layout;
      this.termsEnum = termsEnum;
      this.codes = codes;
      this.words = words;
      this.xor = new long[words.length];
      this.k = k;
      this.maxDistance = maxDistance;
      this.cutoff = maxDistance;
      this.accept = accept;
      this.atDistance = new int[codes.bits() + 1];
      this.values = new long[layout.substrings()];
      for (int j = 0; j < values.length; j++) {
        values[j] = layout.substring(words, j);
      }
    }

    /**
     * Looks up every value of substring j at exactly distance r from the query's, in increasing order (neighbouring
     * terms share the dictionary's blocks); returns their document count.
     */
    long lookUp(int j, int r) throws IOException {
      foundCount = 0;
      int n = layout.length(j);
      if (r > n) {
        return 0;
      }
      int count = Math.toIntExact(layout.neighbours(j, r));
      probes = ArrayUtil.grow(probes, count);
      int[] flip = new int[r];
      for (int i = 0; i < r; i++) {
        flip[i] = i;
      }
      for (int p = 0; p < count; p++) {
        long value = values[j];
        for (int i = 0; i < r; i++) {
          value ^= 1L << flip[i];
        }
        probes[p] = value;
        nextCombination(flip, n);
      }
      Arrays.sort(probes, 0, count);
      long docCount = 0;
      byte[] term = new byte[9];
      BytesRef ref = new BytesRef(term);
      for (int p = 0; p < count; p++) {
        layout.term(j, probes[p], term);
        if (termsEnum.seekExact(ref)) {
          docCount += termsEnum.docFreq();
          found = ArrayUtil.grow(found, foundCount + 1);
          foundTerms = ArrayUtil.grow(foundTerms, (foundCount + 1) * 9);
          System.arraycopy(term, 0, foundTerms, foundCount * 9, 9);
          found[foundCount++] = termsEnum.termState();
        }
      }
      return docCount;
    }

    /** The number of terms the last lookup found. */
    int terms() {
      return foundCount;
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

    /**
     * Reads the postings of the terms the last lookup (substring j at distance r) found, each term's documents first
     * into a buffer and then verified in one loop, whose independent reads of the code array overlap.
     */
    void readPostings(int j, int r) throws IOException {
      BytesRef term = new BytesRef(foundTerms, 0, 9);
      for (int t = 0; t < foundCount; t++) {
        term.offset = t * 9;
        termsEnum.seekExact(term, found[t]); // the state found by the lookup: no second seek
        docs = ArrayUtil.grow(docs, termsEnum.docFreq());
        postings = termsEnum.postings(postings, PostingsEnum.NONE);
        int n = 0;
        for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
          docs[n++] = doc; // at most docFreq postings, deleted documents included
        }
        gathered = ArrayUtil.grow(gathered, n * words.length);
        codes.gather(docs, n, gathered);
        verify(n, j, r);
        if (k != HammingTopK.UNBOUNDED) {
          tighten();
        }
      }
    }

    private void verify(int n, int j, int r) {
      for (int i = 0; i < n; i++) {
        int doc = docs[i];
        if ((accept != null && accept.get(doc) == false) || codes.hasCode(doc) == false) {
          continue;
        }
        int d = 0;
        for (int w = 0, o = i * words.length; w < words.length; w++) {
          long x = gathered[o + w] ^ words[w];
          xor[w] = x;
          d += Long.bitCount(x);
        }
        if (firstFound(doc, j, r) == false) {
          continue; // seen before, through a substring probed earlier
        }
        atDistance[d]++;
        if (d <= cutoff) {
          keys = ArrayUtil.grow(keys, keyCount + 1);
          keys[keyCount++] = ((long) d << 32) | doc;
        }
      }
    }

    /**
     * Whether a document found by probing substring j at distance r is found for the first time: the probes run
     * through (r, j) in increasing order, so it is first found at its smallest substring distance, in the first
     * substring that has it.
     */
    private boolean firstFound(int doc, int j, int r) {
      for (int s = 0; s < values.length; s++) {
        int d = layout.distance(xor, s);
        if (s == j) {
          if (d != r) {
            throw new IllegalStateException("field \"" + field + "\": document " + doc + " is indexed under substring "
                + j + " at distance " + r + " from the query's, but its code's substring " + j + " is at distance " + d
                + ": its substrings were not taken from its code");
          }
        } else if (d < r || (d == r && s < j)) {
          return false;
        }
      }
      return true;
    }

    /** Lowers the cutoff to the distance of the k-th candidate kept, and drops the candidates beyond it. */
    private void tighten() {
      long n = 0;
      int d = 0;
      while (d < cutoff && (n += atDistance[d]) < k) {
        d++;
      }
      if (d >= cutoff) {
        return;
      }
      cutoff = d;
      if (keyCount > 2 * k + 64) {
        int kept = 0;
        for (int i = 0; i < keyCount; i++) {
          if ((int) (keys[i] >>> 32) <= cutoff) {
            keys[kept++] = keys[i];
          }
        }
        keyCount = kept;
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
    long[] best() {
      Arrays.sort(keys, 0, keyCount);
      return Arrays.copyOf(keys, Math.min(k, keyCount));
    }
  }
}
