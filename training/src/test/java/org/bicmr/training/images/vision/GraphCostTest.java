package org.bicmr.training.images.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.bicmr.training.export.TinyExtractor;
import org.bicmr.training.onnx.OnnxGraph;
import org.junit.jupiter.api.Test;

/**
 * Multiply-adds counted from a graph: a hand-built one worked out on paper, the tiny test extractor, and the whole
 * converted MobileNetV2 against the published figure (skipped without {@code bin/fetch-mobilenet}).
 */
class GraphCostTest {
  @Test
  void convolutionsAndGemmOfAHandBuiltGraph() {
    OnnxGraph g = new OnnxGraph("cost");
    g.input("image", 3, 8, 8);
    String padded = g.node("Pad", "pad", new String[] {"image", g.longs("pads", 0, 0, 1, 1, 0, 0, 1, 1)});
    // 3×10×10 → 3×3 kernel, stride 2, no pads → 4×4×4: 4·4·4 outputs × 3·3·3 = 1,728
    String conv = g.node("Conv", "conv", new String[] {padded, g.floats("w1", new float[4 * 3 * 9], 4, 3, 3, 3)},
        OnnxGraph.ints("strides", 2, 2));
    String relu = g.node("Relu", "relu", new String[] {conv});
    // depthwise 3×3, pads 1, stride 1: 4·4·4 outputs × 1·3·3 = 576
    String depthwise = g.node("Conv", "dw", new String[] {relu, g.floats("w2", new float[4 * 9], 4, 1, 3, 3)},
        OnnxGraph.ints("pads", 1, 1, 1, 1), OnnxGraph.integer("group", 4));
    String added = g.node("Add", "add", new String[] {depthwise, relu});
    String pooled = g.node("GlobalAveragePool", "pool", new String[] {added});
    String flat = g.node("Flatten", "flat", new String[] {pooled}, OnnxGraph.integer("axis", 1));
    // 4 → 5: 20
    g.node("Gemm", "features", new String[] {flat, g.floats("w3", new float[20], 5, 4)},
        OnnxGraph.integer("transB", 1));
    g.output("features", 5);
    GraphCost cost = GraphCost.of(g.model("test", "cost test", Map.of()));
    assertEquals(1728 + 576, cost.convMultiplyAdds());
    assertEquals(20, cost.gemmMultiplyAdds());
    assertEquals(2324, cost.multiplyAdds());
  }

  @Test
  void theTinyExtractorIsOneGemm() {
    // AveragePool to a 4×4 grid of 3 colours (48 values), then 48 → 6
    assertEquals(48 * 6, GraphCost.of(TinyExtractor.model(32, 6, 1)).multiplyAdds());
    assertEquals(0, GraphCost.of(TinyExtractor.model(32, 6, 1)).convMultiplyAdds());
  }

  @Test
  void unknownOperatorsAndBytesAreRefused() {
    OnnxGraph g = new OnnxGraph("odd");
    g.input("image", 3, 4, 4);
    g.node("LpPool", "features", new String[] {"image"});
    g.output("features", 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GraphCost.of(g.model("test", "odd", Map.of())));
    assertEquals("node features: operator LpPool is not one the cost count knows", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> GraphCost.of(new byte[] {1, 2, 3}));
  }

  @Test
  void theWholeMobileNetV2IsAboutThePublished300MillionMultiplyAdds() throws Exception {
    Path pkg = Path.of(System.getProperty("bicmr.mobilenet.dir",
        System.getProperty("user.home") + "/.cache/bicmr/nsfwjs-4.4.0/package"));
    assumeTrue(Files.isDirectory(pkg.resolve(MobileNetConverter.FOLDER)), "run bin/fetch-mobilenet");
    // Sandler et al. 2018, Table 4 / 6: MobileNetV2 1.0 at 224×224, 300M multiply-adds (with the 1000-class head,
    // 1280·1000 = 1.3M; nsfwjs' head has 5 classes and is not part of the features)
    long macs = GraphCost.of(MobileNetConverter.convert(pkg, new MobileNetConverter.Options(null, false, false))
        .onnx()).multiplyAdds();
    System.out.println("MobileNetV2 to out_relu: " + macs + " multiply-adds");
    assertTrue(Math.abs(macs - 300e6) < 0.03 * 300e6, "MobileNetV2 to out_relu: " + macs + " multiply-adds");
  }
}
