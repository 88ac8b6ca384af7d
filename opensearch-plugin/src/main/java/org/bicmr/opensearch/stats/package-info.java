/**
 * {@code GET _plugins/bicmr/stats}: a nodes-level transport action whose answer holds, per node, the code cache
 * (bytes held, limit, segments, loads, evictions, refusals), the {@code bicmr_codes} circuit breaker (limit, bytes
 * charged, trips) and each model's encode calls (count, inputs, failures, time; in all and per source: query rewrite,
 * ingest, {@code _encode}). Uses lucene-codec's cache, the model registry and OpenSearch's action framework.
 */
package org.bicmr.opensearch.stats;
