/**
 * Converters of npm image models to ONNX: nsfwjs' MobileNetV2 (Keras layers) and @vladmandic/human's CenterNet
 * backbone (a TF.js graph with float16 weights), written through {@code org.bicmr.training.onnx}, and the npm package
 * reader. Part of the image tree; uses Gson, the ONNX protobuf classes, onnx-models' preprocessing contract and the
 * ONNX writer, no other training package.
 */
package org.bicmr.training.images.vision;
