package org.bicmr.training.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bicmr.codes.HashCode;
import org.bicmr.onnx.ModelBundle;
import org.bicmr.training.data.RealData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bicmr demo} end to end on 3,000 items (the default is 20,015): every artefact exists, the search path (ONNX Runtime + Lucene)
 * ranks exactly as the evaluation (DJL codes, brute force) does, and the trained codes beat random codes.
 */
class DemoCommandTest {

  @Test
  void theDemoRunsEndToEndAndItsSearchPathAgreesWithTheEvaluation(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("demo");
    int code = Bicmr.commandLine().execute("demo", "--synthetic", "--out", out.toString(), "--mirflickr",
        RealData.mirflickr().toString(), "--items", "3000", "--queries", "500", "--train-size", "2000", "--epochs",
        "100", "--quiet");
    assertEquals(0, code);
    for (String file : new String[] {"report.html", "summary.json", "report/report.json", "report/tables.md",
        "bundle/manifest.json", "bundle/image.onnx", "bundle/text.onnx", "bundle/vocab.txt", "data/dataset.json",
        "model/model.json"}) {
      assertTrue(Files.isRegularFile(out.resolve(file)), file);
    }
    String tables = Files.readString(out.resolve("report/tables.md"));
    assertTrue(tables.contains("| Methods | IQT 32 bit | TQI 32 bit |"), "random codes have the model's length:\n" + tables);
    String html = Files.readString(out.resolve("report.html"));
    assertTrue(html.contains("<img src=\"report/plots/"), "the report shows the plots");
    assertTrue(html.contains("sunset beach sea"), "the report shows the typed queries");

    JsonObject summary = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();
    JsonObject check = summary.getAsJsonObject("search_check");
    System.out.println("demo summary: " + summary);
    assertTrue(check.get("identical").getAsBoolean(), "ONNX + Lucene precision@10 " + check);
    JsonObject bicmr = summary.getAsJsonObject("map").getAsJsonObject("Bi-CMR");
    JsonObject random = summary.getAsJsonObject("map").getAsJsonObject("random codes");
    for (String key : new String[] {"IQT_G", "TQI_G"}) {
      assertTrue(bicmr.get(key).getAsDouble() > random.get(key).getAsDouble() + 0.01,
          key + ": Bi-CMR " + bicmr.get(key) + " vs random codes " + random.get(key));
    }

    // a second run replaces the first demo's output; a directory the demo did not write is refused
    Path foreign = tmp.resolve("foreign");
    Files.createDirectories(foreign);
    Files.writeString(foreign.resolve("keep.txt"), "mine");
    assertEquals(2, Bicmr.commandLine().execute("demo", "--out", foreign.toString(), "--quiet"));
    assertEquals("mine", Files.readString(foreign.resolve("keep.txt")));

    try (ModelBundle bundle = ModelBundle.load(out.resolve("bundle"))) {
      HashCode a = bundle.encoder().encodeText("sunset beach sea");
      assertEquals(32, a.bits()); // the demo trains 32-bit codes
    }
  }
}
