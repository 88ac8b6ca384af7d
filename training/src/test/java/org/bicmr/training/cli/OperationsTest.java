package org.bicmr.training.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.bicmr.codes.HashCode;
import org.bicmr.onnx.ModelBundle;
import org.bicmr.training.app.EvaluateRequest;
import org.bicmr.training.app.Evaluation;
import org.bicmr.training.app.Export;
import org.bicmr.training.app.ExportRequest;
import org.bicmr.training.app.IndexRequest;
import org.bicmr.training.app.Indexing;
import org.bicmr.training.app.SplitPlan;
import org.bicmr.training.app.TrainRequest;
import org.bicmr.training.app.TrainResult;
import org.bicmr.training.app.Training;
import org.bicmr.training.baseline.DcmhConfig;
import org.bicmr.training.baseline.Schedule;
import org.bicmr.training.data.RealData;
import org.bicmr.training.demo.ItemIndex;
import org.bicmr.training.eval.Direction;
import org.bicmr.training.eval.EvaluationRun;
import org.bicmr.training.eval.JsonReport;
import org.bicmr.training.eval.Relevance;
import org.bicmr.training.export.BundleExporter;
import org.bicmr.training.model.BiCmrConfig;
import org.bicmr.training.model.NetShape;
import org.bicmr.training.model.TrainedModel;
import org.bicmr.training.model.TrainingConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations called as Java methods with typed requests (configs built from the records, no option strings) do
 * what the commands do: the same model files from {@code train}, the same numbers from {@code evaluate}, the same
 * bundle from {@code export} and the same index from {@code index}.
 */
class OperationsTest {
  @TempDir static Path tmp;
  static Path data;

  private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());
  private static final SplitPlan SPLIT = new SplitPlan(60, 120, null, 42);

  @BeforeAll
  static void generate() {
    data = tmp.resolve("data");
    assertEquals(0, Bicmr.commandLine().execute("generate", "--small", "--items", "300", "--mirflickr",
        RealData.mirflickr().toString(), "--out", data.toString()));
  }

  private static TrainResult train(TrainingConfig config, Path out) throws Exception {
    return Training.train(new TrainRequest(data, out, config, SPLIT, Direction.CROSS_MODAL, Relevance.S, false, null, true,
        NOWHERE));
  }

  @Test
  void dcmhTrainedDirectlyIsTrainedByTheCommand() throws Exception {
    Path cli = tmp.resolve("dcmh-cli");
    assertEquals(0, Bicmr.commandLine().execute("train", "--method", "dcmh", "--data", data.toString(), "--out",
        cli.toString(), "--bits", "16", "--epochs", "2", "--batch", "32", "--queries", "60", "--train-size", "120",
        "--image-hidden", "32", "--text-hidden", "16,32", "--quiet"));
    DcmhConfig paper = DcmhConfig.paper(16);
    Schedule s = paper.schedule();
    DcmhConfig config = new DcmhConfig(new NetShape(16, 32, 16, 32, NetShape.Output.LINEAR),
        new Schedule(32, 2, s.optimizer(), s.learningRate(), s.finalLearningRate(), s.weightDecay(), 42), paper.gamma(),
        paper.eta());
    Path direct = tmp.resolve("dcmh-direct");
    TrainResult result = train(config, direct);
    assertEquals(2, result.epochSeconds().size());
    assertSameModel(cli, direct);
  }

  @Test
  void biCmrTrainedDirectlyIsTrainedByTheCommandAndEvaluatesAlike() throws Exception {
    Path cli = tmp.resolve("bicmr-cli");
    assertEquals(0, Bicmr.commandLine().execute("train", "--data", data.toString(), "--out", cli.toString(), "--bits",
        "16", "--epochs", "2", "--batch", "32", "--queries", "60", "--train-size", "120", "--image-hidden", "32",
        "--text-hidden", "16,32", "--label-hidden", "32", "--ssr-hidden", "16", "--quiet"));
    BiCmrConfig preset = BiCmrConfig.recommended(16);
    BiCmrConfig.Widths w = preset.widths();
    BiCmrConfig.Optimiser o = preset.optimiser();
    BiCmrConfig config = new BiCmrConfig(preset.variant(), 16, new BiCmrConfig.Widths(32, 16, 32, List.of(32), 16,
        w.standardize()), preset.objective(), new BiCmrConfig.Optimiser(o.learningRate(), o.labelLearningRate(),
        o.beta1(), 32, 2, o.halveEvery(), o.halveFromStart(), o.weightDecay(), o.seed()));
    Path direct = tmp.resolve("bicmr-direct");
    train(config, direct);
    assertSameModel(cli, direct);

    // evaluate: the command's report and the operation's runs hold the same numbers
    Path cliReport = tmp.resolve("report-cli");
    assertEquals(0, Bicmr.commandLine().execute("evaluate", "--data", data.toString(), "--model", cli.toString(),
        "--out", cliReport.toString()));
    List<EvaluationRun> byCommand = JsonReport.read(cliReport.resolve("report.json"));
    Path directReport = tmp.resolve("report-direct");
    List<EvaluationRun> byOperation = Evaluation.evaluate(new EvaluateRequest(data, List.of(direct), List.of(),
        directReport, Direction.CROSS_MODAL, false, EvaluateRequest.Protocol.QUERIES));
    assertEquals(byCommand.size(), byOperation.size());
    for (int i = 0; i < byCommand.size(); i++) {
      assertEquals(byCommand.get(i).method(), byOperation.get(i).method());
      assertEquals(byCommand.get(i).direction(), byOperation.get(i).direction());
      assertEquals(byCommand.get(i).relevance(), byOperation.get(i).relevance());
      assertEquals(byCommand.get(i).metrics().map(), byOperation.get(i).metrics().map());
    }
    assertEquals(Files.readString(cliReport.resolve("tables.md")), Files.readString(directReport.resolve(
        "tables.md")));

    // export: the same bundle, file by file
    Path cliBundle = tmp.resolve("bundle-cli");
    assertEquals(0, Bicmr.commandLine().execute("export", "--model", cli.toString(), "--out", cliBundle.toString(),
        "--name", "same", "--created", "2026-01-01T00:00:00Z", "--report", cliReport.resolve("report.json")
            .toString(), "--report-method", "Bi-CMR"));
    Path directBundle = tmp.resolve("bundle-direct");
    Export.export(new ExportRequest(direct, directBundle, "same", "1", "image feature vector of the training dataset",
        Instant.parse("2026-01-01T00:00:00Z"), null, directReport.resolve("report.json"), "Bi-CMR", null,
        BundleExporter.TextEncoder.NONE));
    List<Path> files = files(cliBundle);
    assertEquals(files, files(directBundle));
    for (Path file : files) {
      assertArrayEquals(Files.readAllBytes(cliBundle.resolve(file)), Files.readAllBytes(directBundle.resolve(file)),
          file.toString());
    }

    // index: the same database items, the same hits
    Path cliIndex = tmp.resolve("index-cli");
    assertEquals(0, Bicmr.commandLine().execute("index", "--bundle", cliBundle.toString(), "--data", data.toString(),
        "--out", cliIndex.toString(), "--database-of", cli.toString(), "--quiet"));
    Path directIndex = tmp.resolve("index-direct");
    int indexed = Indexing.index(new IndexRequest(directBundle, data, directIndex, direct, true));
    assertEquals(TrainedModel.split(cli).database().length, indexed);
    try (ModelBundle bundle = ModelBundle.load(cliBundle); ItemIndex a = ItemIndex.open(cliIndex);
        ItemIndex b = ItemIndex.open(directIndex)) {
      for (String text : List.of("sunset beach sea", "dog puppy", "snow mountain")) {
        HashCode code = bundle.encoder().encodeText(text);
        assertEquals(a.search(ItemIndex.IMAGE_CODE, code, 10), b.search(ItemIndex.IMAGE_CODE, code, 10), text);
      }
    }
  }

  /** The same parameters, split and settings: {@code model.json} alike but for the training time. */
  private static void assertSameModel(Path expected, Path actual) throws Exception {
    List<Path> files = files(expected);
    assertEquals(files, files(actual));
    for (Path file : files) {
      if (file.toString().equals("model.json")) {
        JsonObject a = JsonParser.parseString(Files.readString(expected.resolve(file))).getAsJsonObject();
        JsonObject b = JsonParser.parseString(Files.readString(actual.resolve(file))).getAsJsonObject();
        assertTrue(a.remove("trainingSeconds") != null && b.remove("trainingSeconds") != null, a.keySet().toString());
        assertEquals(a, b);
      } else {
        assertArrayEquals(Files.readAllBytes(expected.resolve(file)), Files.readAllBytes(actual.resolve(file)),
            file.toString());
      }
    }
  }

  private static List<Path> files(Path dir) throws Exception {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
    }
  }
}
