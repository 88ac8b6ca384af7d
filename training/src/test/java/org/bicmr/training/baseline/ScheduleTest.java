package org.bicmr.training.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.model.NetShape;
import org.bicmr.training.model.Trainer;
import org.junit.jupiter.api.Test;

/** The schedule's learning rates, the batch sampler, divergence, and the settings' validation messages. */
class ScheduleTest {

  @Test
  void learningRateFallsGeometricallyLikeMatlabsLogspace() {
    Schedule dcmh = Schedule.dcmh();
    assertEquals(Math.pow(10, -1.5), dcmh.rate(0), 1e-15);
    assertEquals(1e-3, dcmh.rate(499), 1e-15);
    // logspace(-1.5, -3, 500): exponent −1.5 − 1.5 k / 499
    assertEquals(Math.pow(10, -1.5 - 1.5 * 200 / 499.0), dcmh.rate(200), 1e-15);
    assertEquals(0.2, new Schedule(8, 1, Schedule.Optimizer.SGD, 0.2, 0.1, 0, 1L).rate(0));
  }

  @Test
  void batchesAreDistinctItems() {
    int[] pool = new int[50];
    Arrays.setAll(pool, i -> i);
    SplittableRandom random = new SplittableRandom(3);
    for (int round = 0; round < 20; round++) {
      int[] batch = TrainingItems.sample(pool, 17, random);
      assertEquals(17, Arrays.stream(batch).distinct().count());
      assertTrue(Arrays.stream(batch).allMatch(i -> i >= 0 && i < 50));
    }
    assertEquals(50, Arrays.stream(pool).distinct().count()); // the pool stays a permutation
  }

  @Test
  void divergenceIsReportedNotSaved() {
    int n = 40, di = 6, dt = 5, c = 3;
    float[] image = new float[n * di], text = new float[n * dt], labels = new float[n * c];
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < di; j++) {
        image[i * di + j] = (float) (10 * r.nextGaussian());
      }
      text[i * dt + r.nextInt(dt)] = 1;
      labels[i * c + i % c] = 1;
    }
    PairedDataset data = PairedDataset.builder("tiny", n).image(di, image).text(dt, text).labels(c, labels).build();
    DcmhConfig config = new DcmhConfig(new NetShape(8, 16, 8, 16, NetShape.Output.LINEAR),
        new Schedule(8, 5, Schedule.Optimizer.SGD, 1e3, 1e3, 0, 1L), 1, 1);
    String message;
    try (NDManager m = NDManager.newBaseManager()) {
      message = assertThrows(IllegalArgumentException.class,
          () -> AlternatingTrainer.dcmh(config, data).train(m, new Trainer.Listener() {})).getMessage();
    }
    assertTrue(message.startsWith("dcmh training diverged in epoch "), message);
    assertTrue(message.contains("at learning rate 1000.00"), message);
  }

  @Test
  void badSettingsNameTheFieldAndValue() {
    assertEquals("batchSize must be at least 1, got 0", assertThrows(IllegalArgumentException.class,
        () -> new Schedule(0, 1, Schedule.Optimizer.SGD, 0.1, 0.1, 0, 1L)).getMessage());
    assertEquals("learning rates must be positive, got 0.1 and -1.0", assertThrows(IllegalArgumentException.class,
        () -> new Schedule(1, 1, Schedule.Optimizer.SGD, 0.1, -1, 0, 1L)).getMessage());
    assertEquals("weightDecay must be at least 0, got NaN", assertThrows(IllegalArgumentException.class,
        () -> new Schedule(1, 1, Schedule.Optimizer.SGD, 0.1, 0.1, Double.NaN, 1L)).getMessage());
    assertEquals("gamma and eta must be at least 0, got -1.0 and 1.0", assertThrows(IllegalArgumentException.class,
        () -> new DcmhConfig(NetShape.paper(16, NetShape.Output.LINEAR), Schedule.dcmh(), -1, 1)).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new PrdhConfig(NetShape.paper(16, NetShape.Output.LINEAR), Schedule.dcmh(), 1, 1, -2)).getMessage()
        .contains("lambda must be at least 0, got 1.0, 1.0 and -2.0"));
    assertEquals("SSAH compares the image and text nets' last hidden layers: imageHidden (24) must equal textHidden2 "
        + "(32)", assertThrows(IllegalArgumentException.class, () -> new SsahConfig(new NetShape(16, 24, 8, 32,
        NetShape.Output.TANH), SsahConfig.paperSchedule(), 8, 1, 1, 1, 1, 1, 1, 1, 1)).getMessage());
    assertEquals("AGAH's hash layer is tanh, got nets with output LINEAR", assertThrows(IllegalArgumentException.class,
        () -> new AgahConfig(NetShape.paper(16, NetShape.Output.LINEAR), AgahConfig.paperSchedule(), 1, 0, 0.001, 1, 1,
        0.8, 0.3, 1e-3, 1e-4)).getMessage());
    assertEquals("lambda must be in [0, 1], got 1.5", assertThrows(IllegalArgumentException.class,
        () -> new AgahConfig(NetShape.paper(16, NetShape.Output.TANH), AgahConfig.paperSchedule(), 1, 0, 0.001, 1, 1,
        1.5, 0.3, 1e-3, 1e-4)).getMessage());
    assertEquals("bits must be a multiple of 8 from 8 to 4096, got 12", assertThrows(IllegalArgumentException.class,
        () -> new NetShape(12, 8, 8, 8, NetShape.Output.TANH)).getMessage());
  }
}
