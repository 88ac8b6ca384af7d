package org.bicmr.training.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.bicmr.training.baseline.ProjectionConfig;
import org.bicmr.training.data.DatasetDirectory;
import org.bicmr.training.data.DatasetSplit;
import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.eval.Direction;
import org.bicmr.training.eval.Relevance;
import org.bicmr.training.model.BiCmrConfig;
import org.bicmr.training.model.TrainedModel;
import org.bicmr.training.model.TrainingConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bicmr train --refit}: the first run chooses the epoch on the validation items exactly as without it, then the
 * model is the one a plain run on every training item reaches at that epoch (the same bytes), and its split says that
 * nothing was held out.
 */
class TrainingTest {
  private static final long SEED = 20261207L;
  @TempDir static Path tmp;
  static Path data;

  /** 300 items of 4 labels; each modality a noisy image of its labels in 12 dense features. */
  @BeforeAll
  static void dataset() throws IOException {
    System.out.println("dataset seed " + SEED);
    SplittableRandom random = new SplittableRandom(SEED);
    int n = 300;
    int labels = 4;
    int dim = 12;
    float[] y = new float[n * labels];
    float[] image = new float[n * dim];
    float[] text = new float[n * dim];
    for (int i = 0; i < n; i++) {
      y[i * labels + random.nextInt(labels)] = 1;
      if (random.nextInt(3) == 0) {
        y[i * labels + random.nextInt(labels)] = 1;
      }
      for (int d = 0; d < dim; d++) {
        image[i * dim + d] = y[i * labels + d % labels] + (float) random.nextGaussian() * 0.8f;
        text[i * dim + d] = y[i * labels + (d + 1) % labels] + (float) random.nextGaussian() * 0.8f;
      }
    }
    data = tmp.resolve("data");
    DatasetDirectory.write(PairedDataset.builder("refit", n).image(dim, image).text(dim, text).labels(labels, y)
        .build(), data, "test");
  }

  private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());

  /**
   * Bi-CMR at 16 bits, small nets, batches of 32, seed 3, at a rate (0.02) at which the validation MAP of this data
   * peaks at epoch 14 of 15, so that the epoch kept is not the last.
   */
  private static BiCmrConfig small(int epochs) {
    BiCmrConfig r = BiCmrConfig.recommended(16);
    BiCmrConfig.Optimiser o = r.optimiser();
    return new BiCmrConfig(r.variant(), 16, new BiCmrConfig.Widths(32, 16, 32, List.of(16), 16, true),
        r.objective(), new BiCmrConfig.Optimiser(0.02, o.labelLearningRate(), o.beta1(), 32, epochs,
        o.halveEvery(), o.halveFromStart(), o.weightDecay(), 3));
  }

  /** Trains {@code config} on 200 of the 300 items (60 queries), {@code validation} of them held out. */
  private static Path train(String name, TrainingConfig config, int validation, boolean refit) throws IOException {
    Path out = tmp.resolve(name);
    Training.train(new TrainRequest(data, out, config, new SplitPlan(60, 200, validation, 42), List.of(Direction.IQT,
        Direction.TQI), Relevance.S, refit, null, true, NOWHERE));
    return out;
  }

  @Test
  void refitKeepsTheChosenEpochOfARunOnEveryTrainingItem() throws IOException {
    Path selected = train("selected", small(15), 40, false);
    Path refit = train("refit", small(15), 40, true);
    TrainedModel.Selection first = TrainedModel.meta(selected).selection();
    TrainedModel.Selection chosen = TrainedModel.meta(refit).selection();
    assertEquals(first.scores(), chosen.scores(), "the first run is the run without --refit");
    assertEquals(first.selectedEpoch(), chosen.selectedEpoch());
    System.out.println("chosen epoch " + chosen.selectedEpoch() + " of " + chosen.scores().size() + ": "
        + chosen.scores());
    assertTrue(chosen.selectedEpoch() < chosen.scores().size(), "an epoch before the last is kept");
    assertEquals(0, first.refitItems());
    assertEquals(200, chosen.refitItems());

    DatasetSplit split = TrainedModel.split(refit);
    assertEquals(0, split.validation().length, "every training item was trained on");
    assertArrayEquals(TrainedModel.split(selected).train(), split.train());

    // the oracle: a plain run on all 200 training items for exactly the chosen number of epochs
    Path plain = train("plain", small(chosen.selectedEpoch()), 0, false);
    assertArrayEquals(Files.readAllBytes(plain.resolve(TrainedModel.PARAMETERS)),
        Files.readAllBytes(refit.resolve(TrainedModel.PARAMETERS)), "epoch " + chosen.selectedEpoch() + "'s parameters");
    assertEquals(TrainedModel.meta(refit).hasLastEpoch(), Files.exists(refit.resolve(TrainedModel.LAST_PARAMETERS)));

    IllegalArgumentException onValidation = assertThrows(IllegalArgumentException.class,
        () -> EvaluateRequest.Protocol.VALIDATION.of(split, refit));
    assertTrue(onValidation.getMessage().contains("--refit"), onValidation.getMessage());
  }

  @Test
  void theLinearBaselineIsRefitWithThePenaltyItChose() throws IOException {
    Path selected = train("linear", new ProjectionConfig(true, 16, 42), 40, false);
    Path refit = train("linear-refit", new ProjectionConfig(true, 16, 42), 40, true);
    double penalty = TrainedModel.meta(selected).epochLosses().get(0)[0];
    assertEquals(penalty, TrainedModel.meta(refit).epochLosses().get(0)[0]);
    assertEquals(0, TrainedModel.split(refit).validation().length);
    assertTrue(Files.mismatch(selected.resolve(TrainedModel.PARAMETERS), refit.resolve(TrainedModel.PARAMETERS))
        >= 0, "fitted on 200 items rather than 180");
  }

  @Test
  void refitWithoutValidationItemsIsRefused() {
    TrainRequest request = new TrainRequest(data, tmp.resolve("refused"), small(4), new SplitPlan(60, 200, 0, 42),
        List.of(Direction.TQT), Relevance.S, true, null, true, NOWHERE);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Training.train(request));
    assertTrue(e.getMessage().contains("--refit") && e.getMessage().contains("--validation is 0"), e.getMessage());
    assertTrue(Files.notExists(tmp.resolve("refused")), "nothing written");
  }
}
