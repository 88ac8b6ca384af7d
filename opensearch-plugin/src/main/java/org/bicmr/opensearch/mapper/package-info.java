/**
 * The {@code bicmr_code} field type: its parameters (bits, model, scan or multi-index hashing), reading codes as hex
 * or signs, indexing with lucene-codec's fields, and the action filter that checks a new mapping's model and bits
 * against the registry. Uses lucene-codec, the model package and OpenSearch's mapper framework.
 */
package org.bicmr.opensearch.mapper;
