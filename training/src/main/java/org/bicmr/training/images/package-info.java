/**
 * The image side of the datasets, a tree of its own: image model converters ({@code vision}), image features
 * ({@code features}) and the image datasets built from them ({@code clipart}, {@code pictures}). The tree may use the
 * data package below it, the ONNX writer ({@code org.bicmr.training.onnx}) and onnx-models; nothing in it uses the nets, the baselines, evaluation, export, the
 * application layer or the command line, and the data package never uses it (an architecture test checks both).
 */
package org.bicmr.training.images;
