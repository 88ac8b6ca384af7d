/**
 * What the demos show: a Lucene index of item codes searched with {@code HammingDistanceQuery}, example queries, the
 * HTML report and the thumbnail pages. Uses lucene-codec, onnx-models' encoder, and the data and eval packages.
 */
package org.bicmr.training.demo;
