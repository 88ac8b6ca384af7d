/**
 * Export of trained hash nets to a model bundle: the nets' inference path as ONNX graphs (input standardisation folded
 * in), the manifest with checksums, the vocabulary or the sentence encoder's reference, an image extractor. Uses DJL
 * to read the nets, the model and eval packages, the ONNX writer ({@code org.bicmr.training.onnx}), and onnx-models'
 * names and preprocessing contract.
 */
package org.bicmr.training.export;
