/**
 * Writing ONNX models: {@link org.bicmr.training.onnx.OnnxGraph} builds a graph (initializers, nodes, inputs and outputs
 * with a symbolic batch dimension) with the ONNX protobuf classes and serialises it. The image converters and the
 * hash-net export both write through it. Uses the ONNX protobuf classes alone, no other training package.
 */
package org.bicmr.training.onnx;
