/**
 * The OpenSearch plugin's entry point: {@link org.bicmr.opensearch.BiCmrPlugin} registers the {@code bicmr_code}
 * field, the {@code bicmr_hamming} query, the {@code bicmr_hash} ingest processor, the encode and models actions with
 * their REST handlers, the node settings, the mapping check, and routes onnx-models' log records to Log4j. Uses the
 * plugin's own packages, onnx-models and OpenSearch; never DJL's training code or the training module.
 */
package org.bicmr.opensearch;
