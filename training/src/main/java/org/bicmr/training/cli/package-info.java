/**
 * The {@code bicmr} command line (picocli): train, evaluate, export, index, search, experiment, the dataset and
 * feature commands, the converters, the demos and the benchmarks. The commands {@code train}, {@code evaluate},
 * {@code export} and {@code index} are thin adapters that turn options into the application layer's typed requests
 * ({@link org.bicmr.training.cli.TrainOptions} for every way of training); the demos, {@code experiment} and {@code
 * bench} call the same operations. May use every other training package and onnx-models; nothing else uses it.
 */
package org.bicmr.training.cli;
