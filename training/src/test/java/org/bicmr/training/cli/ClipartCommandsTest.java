package org.bicmr.training.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bicmr.training.images.clipart.ClipartCatalog;
import org.bicmr.training.images.clipart.ClipartTree;
import org.bicmr.training.data.DatasetDirectory;
import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.export.TinyExtractor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bicmr clipart-dataset} then {@code bicmr extract-features} on a tiny tree: the directory becomes a dataset
 * {@code DatasetDirectory} reads, an undecodable PNG drops its item, a re-run comes from the cache; errors are one line.
 */
class ClipartCommandsTest {
  @Test
  void catalogThenFeaturesMakeADatasetDirectory(@TempDir Path tmp) throws Exception {
    ClipartTree t = new ClipartTree(tmp.resolve("tree"));
    String[] colours = {"red", "green", "blue"};
    java.awt.Color[] rgb = {java.awt.Color.RED, java.awt.Color.GREEN, java.awt.Color.BLUE};
    for (int i = 0; i < 3; i++) {
      t.drawing("food/fruit/f" + i + ".png", 12 + i, rgb[i], colours[i] + " fruit", List.of("fruit", "food"));
      t.drawing("animals/birds/b" + i + ".png", 20, rgb[i], colours[i] + " bird", List.of("bird"));
    }
    // a truncated PNG: its header reads, its pixels do not
    byte[] whole = Files.readAllBytes(t.png().resolve("animals/birds/b2.png"));
    Files.write(t.png().resolve("animals/birds/b2.png"), java.util.Arrays.copyOf(whole, whole.length - 30));
    Path data = tmp.resolve("data");
    Path extractor = Files.write(tmp.resolve("x.onnx"), TinyExtractor.model(224, 4, 3));
    assertEquals(0, Bicmr.commandLine().execute("clipart-dataset", "--png", t.png().toString(), "--svg",
        t.svg().toString(), "--out", data.toString(), "--min-leaf-size", "2", "--vocabulary-min-count", "2"));
    assertEquals(6, ClipartCatalog.read(data).items().size());
    String[] extract = {"extract-features", "--dataset", data.toString(), "--extractor", extractor.toString(),
        "--cache", tmp.resolve("cache").toString(), "--batch", "2", "--threads", "2", "--quiet"};
    assertEquals(0, Bicmr.commandLine().execute(extract));
    PairedDataset d = DatasetDirectory.read(data);
    assertEquals(5, d.size());
    assertEquals(4, d.imageDim());
    assertEquals(List.of("bird", "blue", "food", "fruit", "green", "red"), d.vocabulary());
    assertEquals(List.of("animals", "food"), d.labelNames());
    assertEquals(List.of("0", "1", "3", "4", "5"), Files.readAllLines(data.resolve("rows.txt")));
    String log = Files.readString(data.resolve("extraction.json"));
    assertTrue(log.contains("\"png\": \"animals/birds/b2.png\""), log);
    assertTrue(log.contains("\"computed\": 5"), log);
    assertEquals(0, Bicmr.commandLine().execute(extract));
    assertTrue(Files.readString(data.resolve("extraction.json")).contains("\"cached\": 5"));
    assertEquals(d, DatasetDirectory.read(data));
  }

  @Test
  void errorsAreOneLine(@TempDir Path tmp) {
    StringWriter err = new StringWriter();
    CommandLine cli = Bicmr.commandLine();
    cli.setErr(new PrintWriter(err));
    assertEquals(2, cli.execute("extract-features", "--dataset", tmp.toString(), "--extractor", "x.onnx"));
    assertTrue(err.toString().startsWith("bicmr extract-features: " + tmp.resolve("catalog.json")
        + ": not a clip-art catalog (no catalog.json)"), err.toString());
    assertEquals(1, err.toString().strip().lines().count(), err.toString());
    err.getBuffer().setLength(0);
    assertEquals(2, cli.execute("clipart-dataset", "--png", tmp.resolve("png").toString(), "--out",
        tmp.resolve("d").toString()));
    assertTrue(err.toString().startsWith("bicmr clipart-dataset: " + tmp.resolve("png") + ": not a directory"),
        err.toString());
  }
}
