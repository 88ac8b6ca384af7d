/**
 * Image features for datasets: runs an ONNX extractor over image files in batches, with a content-addressed cache
 * so that a picture is never extracted twice. Part of the image tree; uses onnx-models and the data package.
 */
package org.bicmr.training.images.features;
