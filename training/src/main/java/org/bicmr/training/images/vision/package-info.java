/**
 * Converters of npm image models to ONNX: nsfwjs' MobileNetV2 (Keras layers) and @vladmandic/human's CenterNet
 * backbone (a TF.js graph with float16 weights), the ONNX graph writer and the npm package reader. Part of the image
 * tree; uses Gson, the ONNX protobuf classes and onnx-models' preprocessing contract, no other training package.
 */
package org.bicmr.training.images.vision;
