package org.bicmr.lucene;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.FixedBitSet;
import org.bicmr.codes.HashCode;

/**
 * Exact Hamming search over a {@link HashCodeField}: the k documents whose code is closest to a query code, or every
 * document within {@code maxDistance} of it, or the k closest within {@code maxDistance}; optionally only among the
 * documents matching a filter query. Deleted documents and documents without a code in the field never match.
 *
 * <p>Like Lucene's kNN queries, the search runs in {@link #rewrite(IndexSearcher)} (one task per segment on the
 * searcher's executor, then a merge) and the query becomes one over the hits with fixed scores, so it composes with
 * {@code BooleanQuery}, sorting and paging. A hit at distance d scores {@code 1/(1+d)} (times the boost); equal
 * distances are ordered by ascending doc id. {@link #distance(float)} turns an unboosted score back into d, and
 * {@code explain} states it.
 *
 * <p>The codes of each segment are scanned from an in-memory array: held by the {@link HashCodeCache} given to the
 * query, which keeps them for later searches within its byte limit, or, without a cache, loaded for this search alone.
 */
public final class HammingDistanceQuery extends Query {
  /** The k of a pure radius search: every document within {@code maxDistance}. */
  public static final int ALL = HammingTopK.UNBOUNDED;

  private final String field;
  private final HashCode code;
  private final int k;
  private final int maxDistance;
  private final Query filter;
  private final boolean approximate;
  private final HashCodeCache cache;

  /**
   * The exact search, without a cache: each segment's codes are loaded for this search and dropped after it.
   *
   * @param field the {@link HashCodeField} to search
   * @param code the query code; its length must be the field's
   * @param k how many documents at most, at least 1 ({@link #ALL} for no limit)
   * @param maxDistance the radius, from 0 to {@code code.bits()} ({@code code.bits()} for no limit)
   * @param filter only documents matching it can match, or null
   */
  public HammingDistanceQuery(String field, HashCode code, int k, int maxDistance, Query filter) {
    this(field, code, k, maxDistance, filter, false, null);
  }

  /**
   * The exact search, with the segments' codes held by {@code cache} (null: none, as above). A search through a cache
   * that has no room for a segment's codes fails with {@link HashCodeCache.LimitExceededException} (or whatever the
   * cache's accounting throws).
   */
  public HammingDistanceQuery(String field, HashCode code, int k, int maxDistance, Query filter, HashCodeCache cache) {
    this(field, code, k, maxDistance, filter, false, cache);
  }

  /** The exact or (with {@code approximate}) the approximate search, without a cache. */
  public HammingDistanceQuery(String field, HashCode code, int k, int maxDistance, Query filter, boolean approximate) {
    this(field, code, k, maxDistance, filter, approximate, null);
  }

  /**
   * The exact search, or with {@code approximate} the approximate one: candidates from the HNSW graph of the field's
   * {@link HashCodeGraphField}s (the k nearest the graph search finds, among the filter's documents), kept if within
   * {@code maxDistance} and scored by their exact distance like the exact search's hits. It may miss documents the
   * exact search returns; it needs a k ({@link #ALL} is refused). The codes come from {@code cache}, or without one
   * (null) are loaded for this search alone.
   *
   * @throws NullPointerException if {@code field} or {@code code} is null, naming it (as Lucene's own queries do)
   */
  public HammingDistanceQuery(String field, HashCode code, int k, int maxDistance, Query filter, boolean approximate,
      HashCodeCache cache) {
    this.field = Objects.requireNonNull(field, "field");
    this.code = Objects.requireNonNull(code, "code");
    if (k < 1) {
      throw new IllegalArgumentException("field \"" + field + "\": k must be at least 1, got " + k);
    }
    if (maxDistance < 0 || maxDistance > code.bits()) {
      throw new IllegalArgumentException(
          "field \"" + field + "\": maxDistance must be between 0 and " + code.bits() + " (the code length), got "
              + maxDistance);
    }
    if (approximate && k == ALL) {
      throw new IllegalArgumentException(
          "field \"" + field + "\": an approximate search needs a k (the graph search finds the k nearest), got ALL");
    }
    this.k = k;
    this.maxDistance = maxDistance;
    this.filter = filter;
    this.approximate = approximate;
    this.cache = cache;
  }

  /** The score of a hit at Hamming distance {@code distance}: {@code 1/(1+distance)}. */
  public static float score(int distance) {
    return 1f / (1 + distance);
  }

  /** The Hamming distance of a hit from its unboosted score. */
  public static int distance(float score) {
    return Math.round(1f / score - 1f);
  }

  public String getField() {
    return field;
  }

  public HashCode getCode() {
    return code;
  }

  public int getK() {
    return k;
  }

  public int getMaxDistance() {
    return maxDistance;
  }

  public Query getFilter() {
    return filter;
  }

  /** The cache that holds the segments' codes, or null when each search loads its own. */
  public HashCodeCache getCache() {
    return cache;
  }

  /** Whether candidates come from the HNSW graph ({@link HashCodeGraphField}) instead of an exact search. */
  public boolean isApproximate() {
    return approximate;
  }

  @Override
  public Query rewrite(IndexSearcher searcher) throws IOException {
    if (approximate) {
      return GraphSearch.rewrite(searcher, this);
    }
    IndexReader reader = searcher.getIndexReader();
    Weight filterWeight = null;
    if (filter != null) {
      Query rewrittenFilter = searcher.rewrite(filter);
      if (rewrittenFilter instanceof MatchNoDocsQuery) {
        return new MatchNoDocsQuery("the filter of a Hamming query matches nothing");
      }
      if (rewrittenFilter instanceof MatchAllDocsQuery == false) {
        filterWeight = searcher.createWeight(rewrittenFilter, ScoreMode.COMPLETE_NO_SCORES, 1f);
      }
    }
    List<Callable<long[]>> tasks = new ArrayList<>(reader.leaves().size());
    final Weight leafFilter = filterWeight;
    String[] methods = new String[reader.leaves().size()];
    for (LeafReaderContext context : reader.leaves()) {
      tasks.add(() -> searchLeaf(context, leafFilter, methods));
    }
    List<long[]> perLeaf = searcher.getTaskExecutor().invokeAll(tasks);
    long[] top = merge(perLeaf, k);
    if (top.length == 0) {
      return new MatchNoDocsQuery("no document within Hamming distance " + maxDistance);
    }
    return HammingHitsQuery.create(reader, field, top, methods);
  }

  /** The leaf's best hits as (distance, global doc) keys, sorted. */
  private long[] searchLeaf(LeafReaderContext context, Weight filterWeight, String[] methods) throws IOException {
    LeafReader reader = context.reader();
    if (maxDistance == 0) {
      FieldInfo info = reader.getFieldInfos().fieldInfo(field);
      if (info != null && info.getIndexOptions() != IndexOptions.NONE && HashCodeField.bitsOf(info) > 0) {
        methods[context.ord] = "the postings of the code's term";
        return exactMatches(context, info, filterWeight);
      }
    }
    methods[context.ord] = "scan";
    try (HashCodeCache.Lease lease = HashCodeCache.acquire(cache, reader, field)) {
      return lease == null ? new long[0] : searchCodes(context, lease.codes(), filterWeight, methods);
    }
  }

  /** The leaf's hits among its codes, held for the search. */
  private long[] searchCodes(LeafReaderContext context, SegmentCodes codes, Weight filterWeight, String[] methods)
      throws IOException {
    LeafReader reader = context.reader();
    codes.checkQuery(code);
    Bits accept;
    if (filterWeight != null) {
      Scorer scorer = filterWeight.scorer(context);
      if (scorer == null) {
        return new long[0];
      }
      accept = acceptedByFilter(scorer.iterator(), reader.getLiveDocs(), codes.docsWithCode(), reader.maxDoc());
    } else {
      accept = both(reader.getLiveDocs(), codes.docsWithCode());
    }
    long[] keys = null;
    FieldInfo substrings = reader.getFieldInfos().fieldInfo(field + HashCodeSubstringsField.SUFFIX);
    if (substrings != null && substrings.getAttribute(HashCodeSubstringsField.SUBSTRINGS_ATTRIBUTE) != null) {
      keys = MultiIndexSearch.search(reader, substrings, codes, code, k, maxDistance, accept); // null: scan is cheaper
      if (keys != null) {
        methods[context.ord] = "multi-index hashing";
      }
    }
    if (keys == null) {
      HammingTopK top = new HammingTopK(k, maxDistance, reader.maxDoc());
      HammingScanner.INSTANCE.scan(codes, code.words(), 0, reader.maxDoc(), accept, top);
      keys = top.sortedKeys();
    }
    for (int i = 0; i < keys.length; i++) {
      keys[i] += context.docBase; // the doc is the low half of the key
    }
    return keys;
  }

  /** Radius 0 from the postings of the code's term: the first k live (and filtered) docs holding exactly the code. */
  private long[] exactMatches(LeafReaderContext context, FieldInfo info, Weight filterWeight) throws IOException {
    SegmentCodes.checkQuery(field, HashCodeField.bitsOf(info), code);
    LeafReader reader = context.reader();
    Terms terms = reader.terms(field);
    TermsEnum termsEnum = terms == null ? null : terms.iterator();
    if (termsEnum == null || termsEnum.seekExact(new BytesRef(code.toBytes())) == false) {
      return new long[0];
    }
    int holders = termsEnum.docFreq(); // deleted documents included: at most this many hits
    PostingsEnum postings = termsEnum.postings(null, PostingsEnum.NONE);
    DocIdSetIterator filterDocs = null;
    if (filterWeight != null) {
      Scorer scorer = filterWeight.scorer(context);
      if (scorer == null) {
        return new long[0];
      }
      filterDocs = scorer.iterator();
    }
    Bits live = reader.getLiveDocs();
    long[] keys = new long[Math.min(k, holders)]; // not k: a radius search's k is unbounded
    int n = 0;
    for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS && n < keys.length;
        doc = postings.nextDoc()) {
      if (live != null && live.get(doc) == false) {
        continue;
      }
      if (filterDocs != null && (filterDocs.docID() < doc ? filterDocs.advance(doc) : filterDocs.docID()) != doc) {
        continue;
      }
      keys[n++] = context.docBase + doc; // distance 0
    }
    return Arrays.copyOf(keys, n);
  }

  private static Bits acceptedByFilter(DocIdSetIterator filter, Bits live, FixedBitSet withCode, int maxDoc)
      throws IOException {
    FixedBitSet accepted = new FixedBitSet(maxDoc);
    for (int doc = filter.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = filter.nextDoc()) {
      if ((live == null || live.get(doc)) && (withCode == null || withCode.get(doc))) {
        accepted.set(doc);
      }
    }
    return accepted;
  }

  private static Bits both(Bits live, FixedBitSet withCode) {
    if (live == null) {
      return withCode;
    }
    if (withCode == null) {
      return live;
    }
    return new Bits() {
      @Override
      public boolean get(int index) {
        return live.get(index) && withCode.get(index);
      }

      @Override
      public int length() {
        return live.length();
      }
    };
  }

  /** The k smallest keys of sorted lists. */
  static long[] merge(List<long[]> sortedLists, int k) {
    long total = 0;
    for (long[] list : sortedLists) {
      total += list.length;
    }
    long[] all = new long[Math.toIntExact(total)];
    int n = 0;
    for (long[] list : sortedLists) {
      System.arraycopy(list, 0, all, n, list.length);
      n += list.length;
    }
    Arrays.sort(all);
    return all.length <= k ? all : Arrays.copyOf(all, k);
  }

  @Override
  public void visit(QueryVisitor visitor) {
    if (visitor.acceptField(field)) {
      visitor.visitLeaf(this);
    }
    if (filter != null) {
      filter.visit(visitor.getSubVisitor(BooleanClause.Occur.FILTER, this));
    }
  }

  @Override
  public String toString(String defaultField) {
    StringBuilder b = new StringBuilder("HammingDistanceQuery(");
    if (field.equals(defaultField) == false) {
      b.append(field).append(':');
    }
    b.append(code.toHex());
    if (k != ALL) {
      b.append(", k=").append(k);
    }
    if (maxDistance != code.bits()) {
      b.append(", maxDistance=").append(maxDistance);
    }
    if (filter != null) {
      b.append(", filter=").append(filter.toString(defaultField));
    }
    if (approximate) {
      b.append(", approximate");
    }
    return b.append(')').toString();
  }

  @Override
  public boolean equals(Object other) {
    return sameClassAs(other) && equalsTo(getClass().cast(other));
  }

  private boolean equalsTo(HammingDistanceQuery other) {
    return field.equals(other.field)
        && code.equals(other.code)
        && k == other.k
        && maxDistance == other.maxDistance
        && Objects.equals(filter, other.filter)
        && approximate == other.approximate
        && cache == other.cache;
  }

  @Override
  public int hashCode() {
    return Objects.hash(classHash(), field, code, k, maxDistance, filter, approximate, System.identityHashCode(cache));
  }
}
