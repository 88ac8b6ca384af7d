package org.bicmr.lucene;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.Weight;

/**
 * What a {@link HammingDistanceQuery} rewrites to: a fixed set of hits (global doc ids of one reader) with their
 * Hamming distances, scored {@code boost/(1+d)}. Bound to the reader it was computed on.
 */
final class HammingHitsQuery extends Query {
  private final String field;
  /** Global doc ids, ascending. */
  private final int[] docs;
  private final int[] distances;
  /** Index in {@link #docs} of the first hit of each leaf, plus a final {@code docs.length}. */
  private final int[] segmentStarts;
  /** How each segment was searched (by leaf ord), for explain: "scan", "multi-index hashing, 34 probes", ... */
  private final String[] methods;
  private final Object contextIdentity;

  private HammingHitsQuery(String field, int[] docs, int[] distances, int[] segmentStarts, String[] methods,
      Object contextIdentity) {
    this.field = field;
    this.docs = docs;
    this.distances = distances;
    this.segmentStarts = segmentStarts;
    this.methods = methods;
    this.contextIdentity = contextIdentity;
  }

  /** The query over hits given as (distance, global doc) keys of {@link HammingTopK}. */
  static HammingHitsQuery create(IndexReader reader, String field, long[] keys, String[] methods) {
    long[] byDoc = new long[keys.length];
    for (int i = 0; i < keys.length; i++) {
      byDoc[i] = ((long) HammingTopK.docOf(keys[i]) << 32) | HammingTopK.distanceOf(keys[i]);
    }
    Arrays.sort(byDoc);
    int[] docs = new int[keys.length];
    int[] distances = new int[keys.length];
    for (int i = 0; i < byDoc.length; i++) {
      docs[i] = (int) (byDoc[i] >>> 32);
      distances[i] = (int) byDoc[i];
    }
    return new HammingHitsQuery(field, docs, distances, segmentStarts(reader.leaves(), docs), methods.clone(),
        reader.getContext().id());
  }

  private static int[] segmentStarts(List<LeafReaderContext> leaves, int[] docs) {
    int[] starts = new int[leaves.size() + 1];
    starts[leaves.size()] = docs.length;
    int from = 0;
    for (int i = 1; i < leaves.size(); i++) {
      int found = Arrays.binarySearch(docs, from, docs.length, leaves.get(i).docBase);
      from = found >= 0 ? found : -1 - found;
      starts[i] = from;
    }
    return starts;
  }

  @Override
  public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) throws IOException {
    if (searcher.getIndexReader().getContext().id() != contextIdentity) {
      throw new IllegalStateException("this Hamming query was rewritten against another reader; rewrite it again");
    }
    return new Weight(this) {
      @Override
      public Explanation explain(LeafReaderContext context, int doc) {
        int found = Arrays.binarySearch(docs, segmentStarts[context.ord], segmentStarts[context.ord + 1],
            context.docBase + doc);
        if (found < 0) {
          return Explanation.noMatch("not among the " + docs.length + " Hamming hits in field " + field);
        }
        int d = distances[found];
        Explanation distance = Explanation.match(d, "Hamming distance to the query code in field " + field
            + " (segment searched by " + methods[context.ord] + ")");
        if (boost == 1f) {
          return Explanation.match(HammingDistanceQuery.score(d), "score 1/(1+d), d = " + d, distance);
        }
        return Explanation.match(HammingDistanceQuery.score(d) * boost, "score boost/(1+d), d = " + d,
            distance, Explanation.match(boost, "boost"));
      }

      @Override
      public int count(LeafReaderContext context) {
        return segmentStarts[context.ord + 1] - segmentStarts[context.ord];
      }

      @Override
      public ScorerSupplier scorerSupplier(LeafReaderContext context) {
        int lower = segmentStarts[context.ord];
        int upper = segmentStarts[context.ord + 1];
        if (lower == upper) {
          return null;
        }
        return new DefaultScorerSupplier(new HitsScorer(context.docBase, lower, upper, boost));
      }

      @Override
      public boolean isCacheable(LeafReaderContext context) {
        return true;
      }
    };
  }

  /** Iterates one leaf's slice of the hits. */
  private final class HitsScorer extends Scorer {
    private final int docBase;
    private final int lower;
    private final int upper;
    private final float boost;
    private int index = -1;
    private int doc = -1;

    HitsScorer(int docBase, int lower, int upper, float boost) {
      this.docBase = docBase;
      this.lower = lower;
      this.upper = upper;
      this.boost = boost;
    }

    @Override
    public int docID() {
      return doc;
    }

    @Override
    public float score() {
      return HammingDistanceQuery.score(distances[index]) * boost;
    }

    @Override
    public float getMaxScore(int upTo) {
      return boost; // distance 0
    }

    @Override
    public DocIdSetIterator iterator() {
      return new DocIdSetIterator() {
        @Override
        public int docID() {
          return doc;
        }

        @Override
        public int nextDoc() {
          index = index < 0 ? lower : index + 1;
          return doc = index < upper ? docs[index] - docBase : NO_MORE_DOCS;
        }

        @Override
        public int advance(int target) {
          int from = index < 0 ? lower : index + 1;
          int found = Arrays.binarySearch(docs, from, upper, docBase + target);
          index = found >= 0 ? found : -1 - found;
          return doc = index < upper ? docs[index] - docBase : NO_MORE_DOCS;
        }

        @Override
        public long cost() {
          return upper - lower;
        }
      };
    }
  }

  @Override
  public void visit(QueryVisitor visitor) {
    if (visitor.acceptField(field)) {
      visitor.visitLeaf(this);
    }
  }

  /**
   * The field, the number of hits and how the segments were searched, e.g. {@code HammingHits(code:12 docs; scan 3,
   * multi-index hashing 1)}: what a profile of the rewritten query shows.
   */
  @Override
  public String toString(String defaultField) {
    Map<String, Integer> counts = new TreeMap<>();
    for (String method : methods) {
      if (method != null) {
        counts.merge(method, 1, Integer::sum);
      }
    }
    StringBuilder searched = new StringBuilder();
    counts.forEach((method, n) -> searched.append(searched.length() == 0 ? "; " : ", ").append(method).append(' ')
        .append(n));
    return "HammingHits(" + (field.equals(defaultField) ? "" : field + ":") + docs.length + " docs" + searched + ")";
  }

  @Override
  public boolean equals(Object other) {
    if (sameClassAs(other) == false) {
      return false;
    }
    HammingHitsQuery that = (HammingHitsQuery) other;
    return contextIdentity == that.contextIdentity
        && field.equals(that.field)
        && Arrays.equals(docs, that.docs)
        && Arrays.equals(distances, that.distances)
        && Arrays.equals(methods, that.methods);
  }

  @Override
  public int hashCode() {
    return Objects.hash(classHash(), contextIdentity, field, Arrays.hashCode(docs), Arrays.hashCode(distances),
        Arrays.hashCode(methods));
  }
}
