/**
 * The OpenSearch plugin's entry point: {@link org.bicmr.opensearch.BiCmrPlugin} registers the {@code bicmr_code}
 * field, the {@code bicmr_hamming} query, the {@code bicmr_hash} ingest processor, the encode, models and stats
 * actions with their REST handlers, the node settings, the mapping check, the {@code bicmr_codes} circuit breaker,
 * and routes onnx-models' log records to Log4j; {@code CodesMemory} owns the node's code cache (lucene-codec's
 * {@code HashCodeCache}, bounded by {@code bicmr.codes.cache.limit} and charged to the breaker). Uses the plugin's own
 * packages, lucene-codec, onnx-models and OpenSearch; never DJL's training code or the training module.
 */
package org.bicmr.opensearch;
