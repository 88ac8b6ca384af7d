/**
 * The node's models: the registry of bundles under {@code <config>/bicmr/models} plus the default bundle, and the
 * transport actions that encode texts, feature vectors and image bytes ({@code _encode}, query rewrite, ingest) and
 * list the models. Uses onnx-models, lucene-codec's {@code HashCode} and OpenSearch's action framework.
 */
package org.bicmr.opensearch.model;
