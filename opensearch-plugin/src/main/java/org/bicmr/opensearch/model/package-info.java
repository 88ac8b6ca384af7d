/**
 * The node's models: {@code Models}, which reads the bundles under {@code <config>/bicmr/models} plus the default
 * bundle into an immutable {@code ModelRegistry} and swaps it whole at a reload (a bundle is closed only when no
 * request holds a registry serving it); the transport actions that encode texts, feature vectors and image bytes
 * ({@code _encode}, query rewrite) and list the models; and the encode calls counted and timed per model and source
 * for {@code _plugins/bicmr/stats}. Uses onnx-models, lucene-codec's {@code HashCode} and OpenSearch's action
 * framework.
 */
package org.bicmr.opensearch.model;
