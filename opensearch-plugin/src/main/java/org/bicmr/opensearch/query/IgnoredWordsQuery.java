package org.bicmr.opensearch.query;

import java.io.IOException;
import java.util.List;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.FilterWeight;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Weight;

/**
 * A Hamming query whose text a bag-of-words model read only in part: it matches and scores exactly as the wrapped
 * query, and its explanation and description (what {@code explain} and the profile show) name the words the model
 * ignored, so "a giraffe on the beach" searched as "beach" says so.
 */
final class IgnoredWordsQuery extends Query {
  private final Query in;
  private final List<String> ignored;

  IgnoredWordsQuery(Query in, List<String> ignored) {
    this.in = in;
    this.ignored = List.copyOf(ignored);
  }

  private String note() {
    return "; the model ignored the words " + ignored + " (not in its vocabulary)";
  }

  @Override
  public Query rewrite(IndexSearcher searcher) throws IOException {
    Query rewritten = in.rewrite(searcher);
    return rewritten == in ? this : new IgnoredWordsQuery(rewritten, ignored);
  }

  @Override
  public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) throws IOException {
    return new FilterWeight(this, in.createWeight(searcher, scoreMode, boost)) {
      @Override
      public Explanation explain(LeafReaderContext context, int doc) throws IOException {
        Explanation e = in.explain(context, doc);
        return e.isMatch() ? Explanation.match(e.getValue(), e.getDescription() + note(), e.getDetails())
            : Explanation.noMatch(e.getDescription() + note(), e.getDetails());
      }
    };
  }

  @Override
  public void visit(QueryVisitor visitor) {
    in.visit(visitor.getSubVisitor(BooleanClause.Occur.MUST, this));
  }

  @Override
  public String toString(String field) {
    return in.toString(field) + note();
  }

  @Override
  public boolean equals(Object other) {
    return sameClassAs(other) && in.equals(((IgnoredWordsQuery) other).in)
        && ignored.equals(((IgnoredWordsQuery) other).ignored);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * classHash() + in.hashCode()) + ignored.hashCode();
  }
}
