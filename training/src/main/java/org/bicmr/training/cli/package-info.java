/**
 * The {@code bicmr} command line (picocli): train, evaluate, export, index, search, experiment, the dataset and
 * feature commands, the converters, the demos and the benchmarks. The application layer: it may use every other
 * training package and onnx-models; nothing else uses it.
 */
package org.bicmr.training.cli;
