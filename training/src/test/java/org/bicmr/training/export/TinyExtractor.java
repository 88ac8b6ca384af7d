package org.bicmr.training.export;

import java.util.Map;
import java.util.Random;
import org.bicmr.training.onnx.OnnxGraph;

/**
 * A tiny seeded image feature extractor for tests, in the shape of the converted MobileNetV2: {@code image[batch, 3,
 * size, size] → AveragePool(size/4) → Flatten → 48 → Gemm → features[batch, dim]}: a 4 × 4 grid of mean colours,
 * mixed linearly, so images of different colours or layouts give different features.
 */
public final class TinyExtractor {
  static final int GRID = 4;

  private TinyExtractor() {}

  public static byte[] model(int size, int dim, long seed) {
    if (size % GRID != 0) {
      throw new IllegalArgumentException("size must be a multiple of " + GRID + ", got " + size);
    }
    int cells = 3 * GRID * GRID;
    Random random = new Random(seed);
    float[] weight = new float[dim * cells];
    for (int i = 0; i < weight.length; i++) {
      weight[i] = (float) (random.nextGaussian() * 0.5);
    }
    float[] bias = new float[dim];
    for (int i = 0; i < dim; i++) {
      bias[i] = (float) (random.nextGaussian() * 0.1 - 0.5);
    }
    long k = size / GRID;
    OnnxGraph graph = new OnnxGraph("tiny_extractor");
    graph.input("image", 3, size, size);
    String pooled = graph.node("AveragePool", "pooled", new String[] {"image"}, OnnxGraph.ints("kernel_shape", k, k),
        OnnxGraph.ints("strides", k, k));
    String flat = graph.node("Flatten", "flat", new String[] {pooled}, OnnxGraph.integer("axis", 1));
    graph.node("Gemm", "features", new String[] {flat, graph.floats("weight", weight, dim, cells),
        graph.floats("bias", bias, dim)}, OnnxGraph.integer("transB", 1));
    graph.output("features", dim);
    return graph.model("test", "tiny image feature extractor (test fixture)", Map.of());
  }
}
