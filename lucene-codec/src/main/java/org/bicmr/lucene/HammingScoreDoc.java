package org.bicmr.lucene;

import org.apache.lucene.search.ScoreDoc;

/** A hit of a Hamming search: the document, its score {@code 1/(1+d)} and its Hamming distance d. */
public final class HammingScoreDoc extends ScoreDoc {
  /** The Hamming distance between the document's code and the query code. */
  public final int distance;

  /** A hit on global doc {@code doc} at distance {@code distance}, scored {@code 1/(1+distance)}. */
  public HammingScoreDoc(int doc, int distance) {
    super(doc, HammingDistanceQuery.score(distance));
    this.distance = distance;
  }

  @Override
  public String toString() {
    return "doc=" + doc + " distance=" + distance + " score=" + score + " shardIndex=" + shardIndex;
  }
}
