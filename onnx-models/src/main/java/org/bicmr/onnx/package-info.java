/**
 * Model bundles and inference: {@link org.bicmr.onnx.ModelBundle} reads and checks a bundle (manifest, checksums,
 * graph shapes, vocabulary or sentence encoder, image extractor), {@link org.bicmr.onnx.HashEncoder} turns texts, image
 * features and image bytes into codes with ONNX Runtime (CUDA when present, CPU otherwise). Uses ONNX Runtime, Gson,
 * DJL's HuggingFace tokenizer (for the packaged sentence encoder) and lucene-codec's {@code HashCode}; never DJL's
 * training engine.
 */
package org.bicmr.onnx;
