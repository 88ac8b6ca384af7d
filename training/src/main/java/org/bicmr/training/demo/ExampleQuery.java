package org.bicmr.training.demo;

import java.util.List;

/**
 * One query the demo ran through the exported models and the Lucene index, with its hits as a reader sees them.
 *
 * @param kind "text → image" or "image → text"
 * @param query what was asked: the text, or a description of the query image
 * @param queryTopic the query item's main topic, or null for a typed text
 * @param hits the hits, best first
 */
public record ExampleQuery(String kind, String query, String queryTopic, List<Hit> hits) {

  /**
   * A hit as shown: the item, its distance, what it is about, and whether it is relevant.
   *
   * @param item dataset item number
   * @param distance Hamming distance to the query
   * @param content the item's text (its tags) or a description of its image
   * @param mainTopic the item's main topic
   * @param labels every label of the item
   * @param relevantG same main topic as the query (null for a typed text: no judgement exists)
   * @param relevantS shares a label with the query (null for a typed text)
   */
  public record Hit(int item, int distance, String content, String mainTopic, List<String> labels, Boolean relevantG,
      Boolean relevantS) {}
}
