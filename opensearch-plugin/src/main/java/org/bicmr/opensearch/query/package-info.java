/**
 * The {@code bicmr_hamming} query: parsing (text, image features, image bytes or a code; k, max_distance, filter),
 * encoding once on the coordinating node in the rewrite, and the Lucene query of lucene-codec on each shard. Uses the
 * mapper and model packages, lucene-codec and OpenSearch's query framework.
 */
package org.bicmr.opensearch.query;
