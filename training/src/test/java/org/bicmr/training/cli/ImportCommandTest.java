package org.bicmr.training.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bicmr.training.data.DatasetDirectory;
import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.data.RealData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** NUS-WIDE-10.5K's real text files with image features from a CSV; and the errors a user meets. */
class ImportCommandTest {

  @Test
  void importsNusWide(@TempDir Path tmp) throws Exception {
    Path features = tmp.resolve("features.csv");
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < 10_500; i++) {
      csv.append(i).append(',').append(-i).append('\n');
    }
    Files.writeString(features, csv);
    Path out = tmp.resolve("nus");
    int code = Bicmr.commandLine().execute("import", "--tags", RealData.nusWide().resolve("txt_10500.txt").toString(),
        "--vocabulary", RealData.nusWide().resolve("TagList1k.txt").toString(), "--labels", RealData.nusWide().resolve("label_10500.txt").toString(),
        "--image", features.toString(), "--name", "nus-wide-10.5k", "--out", out.toString());
    assertEquals(0, code);
    PairedDataset d = DatasetDirectory.read(out);
    assertEquals(10_500, d.size());
    assertEquals(1_000, d.textDim());
    assertEquals(21, d.labelCount());
    assertEquals(2, d.imageDim());
    assertEquals(-7f, d.image()[7 * 2 + 1]);
    // item 1 (second line): "sun field barley yellow clouds ..." has "clouds"; labels "1 1 0 0 0 1 0 ..."
    List<String> vocabulary = d.vocabulary();
    assertEquals(1f, d.text()[1 * 1000 + vocabulary.indexOf("clouds")]);
    assertEquals(1f, d.labels()[1 * 21]);
    assertEquals(1f, d.labels()[1 * 21 + 5]);
    assertEquals(0f, d.labels()[1 * 21 + 2]);
  }

  @Test
  void inconsistentItemCountsAreNamed(@TempDir Path tmp) throws Exception {
    Path features = tmp.resolve("features.csv");
    Files.writeString(features, "1,2\n3,4\n");
    StringWriter err = new StringWriter();
    CommandLine cli = Bicmr.commandLine();
    cli.setErr(new PrintWriter(err));
    int code = cli.execute("import", "--tags", RealData.nusWide().resolve("txt_10500.txt").toString(),
        "--vocabulary", RealData.nusWide().resolve("TagList1k.txt").toString(), "--labels", RealData.nusWide().resolve("label_10500.txt").toString(),
        "--image", features.toString(), "--name", "x", "--out", tmp.resolve("x").toString());
    assertNotEquals(0, code);
    assertTrue(err.toString().contains("features.csv has 2 rows, expected 10500"), err.toString());
  }

  @Test
  void imageFromTextCopiesTheBagOfWords(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("nus-text");
    int code = Bicmr.commandLine().execute("import", "--tags", RealData.nusWide().resolve("txt_10500.txt").toString(),
        "--vocabulary", RealData.nusWide().resolve("TagList1k.txt").toString(), "--labels",
        RealData.nusWide().resolve("label_10500.txt").toString(), "--image-from-text", "--name", "nus-text",
        "--out", out.toString());
    assertEquals(0, code);
    PairedDataset d = DatasetDirectory.read(out);
    assertEquals(1_000, d.imageDim());
    // item 1 (second line) has "clouds": its image view has the same 1 where its text view has it
    int clouds = d.vocabulary().indexOf("clouds");
    assertEquals(1f, d.image()[1 * 1000 + clouds]);
    assertTrue(java.util.Arrays.equals(d.image(), d.text()));
  }

  @Test
  void imageAndImageFromTextExcludeEachOther(@TempDir Path tmp) throws Exception {
    Path features = tmp.resolve("features.csv");
    Files.writeString(features, "1,2\n");
    for (List<String> choice : List.of(List.<String>of(), List.of("--image", features.toString(), "--image-from-text"))) {
      StringWriter err = new StringWriter();
      CommandLine cli = Bicmr.commandLine();
      cli.setErr(new PrintWriter(err));
      List<String> args = new java.util.ArrayList<>(List.of("import", "--tags",
          RealData.nusWide().resolve("txt_10500.txt").toString(), "--vocabulary",
          RealData.nusWide().resolve("TagList1k.txt").toString(), "--labels",
          RealData.nusWide().resolve("label_10500.txt").toString(), "--name", "x", "--out", tmp.resolve("x").toString()));
      args.addAll(choice);
      assertEquals(2, cli.execute(args.toArray(String[]::new)));
      assertTrue(err.toString().contains("give either --image FILE or --image-from-text, got "
          + (choice.isEmpty() ? "neither" : "both")), err.toString());
      assertTrue(Files.exists(tmp.resolve("x")) == false, "nothing written");
    }
  }
}
