package org.bicmr.training.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.bicmr.codes.HashCode;
import org.bicmr.onnx.ModelBundle;
import org.bicmr.training.data.DatasetDirectory;
import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.data.RealData;
import org.bicmr.training.demo.ItemIndex;
import org.bicmr.training.model.TrainedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bicmr index} and {@code bicmr search}: the index holds the bundle's codes of the split's database items, and a
 * search prints the hits a brute-force ranking of those codes gives (ties in database order).
 */
class IndexSearchCommandTest {

  private static byte[] png() throws java.io.IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(40, 30, java.awt.image.BufferedImage.TYPE_INT_RGB),
        "png", out);
    return out.toByteArray();
  }

  private static int run(String... args) {
    return Bicmr.commandLine().execute(args);
  }

  @Test
  void indexThenSearchEqualsBruteForce(@TempDir Path tmp) throws Exception {
    Path data = tmp.resolve("data");
    Path model = tmp.resolve("model");
    Path bundle = tmp.resolve("bundle");
    Path index = tmp.resolve("index");
    assertEquals(0, run("generate", "--small", "--items", "600", "--mirflickr", RealData.mirflickr().toString(),
        "--out", data.toString()));
    assertEquals(0, run("train", "--data", data.toString(), "--out", model.toString(), "--bits", "16", "--epochs", "2",
        "--queries", "100", "--train-size", "300", "--image-hidden", "32", "--text-hidden", "32,32", "--label-hidden",
        "32", "--ssr-hidden", "16", "--quiet"));
    assertEquals(0, run("export", "--model", model.toString(), "--out", bundle.toString()));
    Path extractor = java.nio.file.Files.write(tmp.resolve("extractor.onnx"),
        org.bicmr.training.export.TinyExtractor.model(32, TrainedModel.meta(model).imageDim(), 5));
    Path withExtractor = tmp.resolve("bundle-with-extractor");
    assertEquals(0, run("export", "--model", model.toString(), "--out", withExtractor.toString(), "--image-extractor",
        extractor.toString()));
    try (ModelBundle b = ModelBundle.load(withExtractor)) {
      assertEquals(true, b.hasImageExtractor(), "export --image-extractor bundles it");
      assertEquals(b.bits(), b.encoder().encodeImageBytes(java.util.List.of(png(), png())).get(0).bits());
    }
    assertEquals(0, run("index", "--bundle", bundle.toString(), "--data", data.toString(), "--out", index.toString(),
        "--database-of", model.toString(), "--quiet"));
    assertEquals(2, run("index", "--bundle", bundle.toString(), "--data", data.toString(), "--out", index.toString(),
        "--quiet"), "an existing index is never overwritten");

    PairedDataset dataset = DatasetDirectory.read(data);
    int[] database = TrainedModel.split(model).database();
    List<HashCode> imageCodes;
    HashCode query;
    try (ModelBundle b = ModelBundle.load(bundle)) {
      List<float[]> features = new ArrayList<>();
      for (int item : database) {
        features.add(dataset.imageRow(item));
      }
      imageCodes = b.encoder().encodeImages(features);
      query = b.encoder().encodeText("sunset beach sea");
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < database.length; i++) {
      order.add(i);
    }
    order.sort(Comparator.<Integer>comparingInt(i -> imageCodes.get(i).distance(query)).thenComparing(i -> i));
    StringBuilder expected = new StringBuilder("query code " + query.toHex() + ", searching image_code\n");
    try (ItemIndex opened = ItemIndex.open(index)) {
      assertEquals(database.length, opened.size());
    }

    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, run("search", "--bundle", bundle.toString(), "--index", index.toString(), "--data",
          data.toString(), "--text", "sunset beach sea", "--k", "5"));
    } finally {
      System.setOut(original);
    }
    List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(expected.toString().strip(), lines.get(0));
    for (int r = 0; r < 5; r++) {
      int i = order.get(r);
      String line = lines.get(r + 1);
      String prefix = String.format(java.util.Locale.ROOT, "%3d. item %6d  d=%2d", r + 1, database[i],
          imageCodes.get(i).distance(query));
      assertEquals(prefix, line.substring(0, prefix.length()), "rank " + (r + 1));
    }

    assertEquals(2, run("search", "--bundle", bundle.toString(), "--index", index.toString(), "--data",
        data.toString(), "--text", "dog", "--k", "0"));
    assertEquals(2, run("search", "--bundle", bundle.toString(), "--index", index.toString(), "--data",
        data.toString(), "--text", "dog", "--image-of", "3"));
  }
}
