/**
 * The picture benchmark: importers of the emoji image sets on npm (names and keywords from emojibase, groups and
 * subgroups as labels, each style drawn to PNG) and of Tux Paint's stamps, the picture catalog, and its turning into a
 * dataset with image features and sentence encodings. Part of the image tree; uses the data and features packages and
 * onnx-models' sentence encoder.
 */
package org.bicmr.training.images.pictures;
