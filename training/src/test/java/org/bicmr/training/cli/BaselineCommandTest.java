package org.bicmr.training.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bicmr.training.data.RealData;
import org.bicmr.training.eval.EvaluationRun;
import org.bicmr.training.eval.JsonReport;
import org.bicmr.training.model.NetShape;
import org.bicmr.training.model.TrainedModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bicmr train --method dcmh|prdh|ssah|agah}: the model directory holds the method, its net shape and its
 * settings, and {@code bicmr evaluate} reads it unchanged; options of another method are refused; a model.json from
 * before methods existed still reads as Bi-CMR. (Whether the baselines learn is the baseline package's training tests' business.)
 */
class BaselineCommandTest {
  @TempDir static Path tmp;
  static Path data;

  @BeforeAll
  static void generate() {
    data = tmp.resolve("data");
    assertEquals(0, run("generate", "--small", "--items", "400", "--mirflickr", RealData.mirflickr().toString(),
        "--out", data.toString()));
  }

  private static int run(String... args) {
    return Bicmr.commandLine().execute(args);
  }

  /** Runs and returns what the command printed on its error stream. */
  private static String errors(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = Bicmr.commandLine();
    cli.setErr(new PrintWriter(err));
    assertEquals(2, cli.execute(args), "exit status of " + String.join(" ", args));
    return err.toString();
  }

  private static String[] train(String method, Path out, String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("train", "--method", method, "--data", data.toString(),
        "--out", out.toString(), "--bits", "16", "--epochs", "2", "--batch", "32", "--queries", "100",
        "--train-size", "200", "--image-hidden", "32", "--text-hidden", "16,32", "--validation", "0", "--quiet"));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  @Test
  void dcmhAndPrdhModelsAreEvaluatedLikeBiCmrs() throws Exception {
    Path dcmh = tmp.resolve("dcmh");
    Path prdh = tmp.resolve("prdh");
    assertEquals(0, run(train("dcmh", dcmh, "--dcmh-gamma", "0.5", "--lr-end", "0.01")));
    assertEquals(0, run(train("prdh", prdh, "--prdh-lambda", "3", "--optimizer", "adam", "--lr", "1e-3")));

    TrainedModel.Meta meta = TrainedModel.meta(dcmh);
    assertEquals("dcmh", meta.method());
    assertNull(meta.config());
    assertEquals(new NetShape(16, 32, 16, 32, NetShape.Output.LINEAR), meta.nets());
    assertEquals(2, meta.epochLosses().size());
    assertEquals(4, meta.epochLosses().get(0).length); // likelihood, quantisation, balance, J
    JsonObject schedule = meta.settings().getAsJsonObject("schedule");
    assertEquals(0.5, meta.settings().get("gamma").getAsDouble());
    assertEquals(1.0, meta.settings().get("eta").getAsDouble());
    assertEquals("SGD", schedule.get("optimizer").getAsString());
    assertEquals(Math.pow(10, -1.5), schedule.get("learningRate").getAsDouble(), 1e-15);
    assertEquals(0.01, schedule.get("finalLearningRate").getAsDouble());
    assertEquals(6, TrainedModel.meta(prdh).epochLosses().get(0).length); // five terms and J
    assertEquals(3.0, TrainedModel.meta(prdh).settings().get("lambda").getAsDouble());

    Path report = tmp.resolve("report");
    assertEquals(0, run("evaluate", "--data", data.toString(), "--model", dcmh.toString(), "--model",
        prdh.toString(), "--out", report.toString()));
    List<EvaluationRun> runs = JsonReport.read(report.resolve("report.json"));
    assertEquals(8, runs.size()); // 2 models × IQT/TQI × S/G
    assertEquals(List.of("DCMH", "PRDH"), runs.stream().map(EvaluationRun::method).distinct().toList());
    assertTrue(runs.stream().allMatch(r -> r.bits() == 16));
    assertTrue(Files.readString(report.resolve("tables.md")).contains("DCMH"));
  }

  @Test
  void ssahAndAgahModelsAreEvaluatedLikeBiCmrs() throws Exception {
    Path ssah = tmp.resolve("ssah");
    Path agah = tmp.resolve("agah");
    assertEquals(0, run(train("ssah", ssah, "--ssah-alpha", "0.5", "--ssah-label-hidden", "16", "--ssah-label-lr",
        "1e-3")));
    assertEquals(0, run(train("agah", agah, "--agah-mu", "0.5", "--agah-lambda", "0.7", "--lr-end", "1e-4")));

    TrainedModel.Meta meta = TrainedModel.meta(ssah);
    assertEquals("ssah", meta.method());
    assertEquals(new NetShape(16, 32, 16, 32, NetShape.Output.TANH), meta.nets());
    assertEquals(7, meta.epochLosses().get(0).length); // five terms, the discriminators' loss, the total
    assertEquals(0.5, meta.settings().get("alpha").getAsDouble());
    assertEquals(16, meta.settings().get("labelHidden").getAsInt());
    assertEquals("ADAM", meta.settings().getAsJsonObject("schedule").get("optimizer").getAsString());
    assertEquals(Math.pow(10, -4.5), meta.settings().getAsJsonObject("schedule").get("finalLearningRate")
        .getAsDouble(), 1e-15); // constant by default
    TrainedModel.Meta agahMeta = TrainedModel.meta(agah);
    assertEquals("agah", agahMeta.method());
    assertEquals(8, agahMeta.epochLosses().get(0).length); // six terms, the critics' loss, the total
    assertEquals(0.7, agahMeta.settings().get("lambda").getAsDouble());
    assertEquals(1e-4, agahMeta.settings().getAsJsonObject("schedule").get("finalLearningRate").getAsDouble());

    Path report = tmp.resolve("ssah-agah-report");
    assertEquals(0, run("evaluate", "--data", data.toString(), "--model", ssah.toString(), "--model",
        agah.toString(), "--out", report.toString()));
    List<EvaluationRun> runs = JsonReport.read(report.resolve("report.json"));
    assertEquals(8, runs.size());
    assertEquals(List.of("SSAH", "AGAH"), runs.stream().map(EvaluationRun::method).distinct().toList());
  }

  @Test
  void optionsOfAnotherMethodAreRefused() {
    Path out = tmp.resolve("refused");
    assertTrue(errors(train("dcmh", out, "--alpha", "0.1")).contains("--alpha does not apply to --method dcmh"));
    assertTrue(errors(train("dcmh", out, "--prdh-lambda", "2")).contains("--prdh-lambda does not apply"));
    assertTrue(errors(train("prdh", out, "--checkpoint", "x")).contains("--checkpoint does not apply"));
    assertTrue(errors(train("bicmr", out, "--dcmh-eta", "2")).contains("--dcmh-eta does not apply to --method bicmr"));
    assertTrue(errors(train("bicmr", out, "--optimizer", "adam")).contains("--optimizer does not apply"));
    assertTrue(errors(train("ssh", out))
        .contains("--method must be bicmr, dcmh, prdh, ssah, agah, linear or simhash, got \"ssh\""));
    assertTrue(errors(train("dcmh", out, "--optimizer", "rmsprop")).contains("--optimizer must be sgd or adam"));
    assertTrue(errors(train("ssah", out, "--agah-mu", "2")).contains("--agah-mu does not apply to --method ssah"));
    assertTrue(errors(train("agah", out, "--ssah-delta", "2"))
        .contains("--ssah-delta does not apply to --method agah"));
    assertTrue(errors(train("agah", out, "--dcmh-gamma", "2")).contains("--dcmh-gamma does not apply"));
    assertTrue(errors(train("ssah", out, "--label-hidden", "8")).contains("--label-hidden does not apply"));
    assertTrue(errors(train("bicmr", out, "--ssah-alpha", "2")).contains("--ssah-alpha does not apply"));
    assertTrue(errors(train("dcmh", out, "--agah-lambda", "0.5")).contains("--agah-lambda does not apply"));
    assertTrue(Files.notExists(out));
  }

  @Test
  void aModelJsonWithoutAMethodIsBiCmr() throws Exception {
    Path old = tmp.resolve("old");
    assertEquals(0, run("train", "--data", data.toString(), "--out", old.toString(), "--bits", "16", "--epochs", "1",
        "--queries", "100", "--train-size", "100", "--image-hidden", "16", "--text-hidden", "16,16",
        "--label-hidden", "16", "--ssr-hidden", "16", "--quiet"));
    JsonObject json = JsonParser.parseString(Files.readString(old.resolve("model.json"))).getAsJsonObject();
    assertEquals("bicmr", json.get("method").getAsString());
    json.remove("method"); // as written before methods existed
    json.remove("nets");
    json.remove("settings");
    Files.writeString(old.resolve("model.json"), json.toString());
    TrainedModel.Meta meta = TrainedModel.meta(old);
    assertEquals("bicmr", meta.method());
    assertTrue(meta.isBiCmr());
    assertEquals(16, meta.bits());
    Path report = tmp.resolve("old-report");
    assertEquals(0, run("evaluate", "--data", data.toString(), "--model", old.toString(), "--out", report.toString()));
    assertEquals("Bi-CMR", JsonReport.read(report.resolve("report.json")).get(0).method());
  }
}
