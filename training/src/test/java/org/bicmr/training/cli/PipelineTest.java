package org.bicmr.training.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.bicmr.training.data.DatasetDirectory;
import org.bicmr.training.data.DatasetSplit;
import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.data.RealData;
import org.bicmr.training.eval.Direction;
import org.bicmr.training.eval.EvaluationRun;
import org.bicmr.training.eval.JsonReport;
import org.bicmr.training.eval.PackedCodes;
import org.bicmr.training.eval.Relevance;
import org.bicmr.training.eval.RetrievalEvaluation;
import org.bicmr.training.model.TrainedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line end to end on the small synthetic preset: generate, train, evaluate; the trained codes must rank
 * far better than random codes on the same split (the independent reference: codes with no training at all).
 */
class PipelineTest {

  private static int run(String... args) {
    return Bicmr.commandLine().execute(args);
  }

  @Test
  void generateTrainEvaluate(@TempDir Path tmp) throws Exception {
    Path data = tmp.resolve("data");
    Path model = tmp.resolve("model");
    Path report = tmp.resolve("report");
    assertEquals(0, run("generate", "--small", "--items", "3000", "--mirflickr", RealData.mirflickr().toString(),
        "--out", data.toString()));
    assertEquals(0, run("train", "--data", data.toString(), "--out", model.toString(), "--bits", "32", "--epochs", "15",
        "--queries", "400", "--train-size", "2000", "--image-hidden", "512", "--text-hidden", "256,512",
        "--label-hidden", "512", "--ssr-hidden", "256", "--lr", "1e-3", "--halve-every", "10", "--quiet"));
    assertEquals(0, run("evaluate", "--data", data.toString(), "--model", model.toString(), "--out", report.toString()));
    assertTrue(Files.exists(report.resolve("tables.md")));
    assertEquals(8, Files.list(report.resolve("plots")).count()); // PR and P@K × IQT/TQI × S/G

    List<EvaluationRun> runs = JsonReport.read(report.resolve("report.json"));
    // IQT/TQI × S/G for the epoch chosen on the validation split, and for the last epoch when that is another one
    boolean lastDiffers = TrainedModel.meta(model).hasLastEpoch();
    assertEquals(lastDiffers ? 8 : 4, runs.size());
    assertEquals(lastDiffers ? 4 : 0, runs.stream().filter(r -> r.method().endsWith("last epoch")).count());
    PairedDataset dataset = DatasetDirectory.read(data);
    DatasetSplit split = TrainedModel.split(model);
    for (Relevance relevance : List.of(Relevance.S, Relevance.G)) {
      double random = randomCodesMap(dataset, split, relevance, 32);
      EvaluationRun iqt = runs.stream()
          .filter(r -> r.direction() == Direction.IQT && r.relevance() == relevance
              && !r.method().endsWith("last epoch")).findFirst().orElseThrow();
      System.out.printf("IQT under %s: trained %.4f, random codes %.4f, base rate %.4f%n", relevance,
          iqt.metrics().map(), random, iqt.metrics().baseRate());
      double margin = relevance == Relevance.S ? 0.04 : 0.03;
      assertTrue(iqt.metrics().map() > random + margin,
          "IQT MAP under " + relevance + " " + iqt.metrics().map() + " vs random codes " + random);
    }
  }

  /** MAP of untrained, random codes on the same split: what a model that learned nothing would score. */
  private static double randomCodesMap(PairedDataset data, DatasetSplit split, Relevance relevance, int bits) {
    Random random = new Random(1);
    float[] a = new float[data.size() * bits];
    float[] b = new float[data.size() * bits];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) random.nextGaussian();
      b[i] = (float) random.nextGaussian();
    }
    return RetrievalEvaluation.evaluate(data, relevance, PackedCodes.fromOutputs(a, bits), split.query(),
        PackedCodes.fromOutputs(b, bits), split.database()).map();
  }
}
