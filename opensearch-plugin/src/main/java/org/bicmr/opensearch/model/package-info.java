/**
 * The node's models: the registry of bundles under {@code <config>/bicmr/models} plus the default bundle, the
 * transport actions that encode texts, feature vectors and image bytes ({@code _encode}, query rewrite, ingest) and
 * list the models, and the encode calls counted and timed per model and source for {@code _plugins/bicmr/stats}.
 * Uses onnx-models, lucene-codec's {@code HashCode} and OpenSearch's action framework.
 */
package org.bicmr.opensearch.model;
