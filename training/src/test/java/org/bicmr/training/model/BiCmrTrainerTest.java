package org.bicmr.training.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.util.Pair;
import ai.djl.training.GradientCollector;
import ai.djl.nn.Parameter;
import ai.djl.ndarray.NDArray;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.bicmr.training.data.PairedDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BiCmrTrainerTest {

  static BiCmrConfig small(int epochs) {
    return small(BiCmrConfig.Variant.PAPER, epochs);
  }

  /** The variant at 16 bits with 32-wide nets, batches of 16, rate 1e-3, halving every 2 epochs. */
  static BiCmrConfig small(BiCmrConfig.Variant variant, int epochs) {
    BiCmrConfig preset = BiCmrConfig.of(variant, 16);
    BiCmrConfig.Optimiser o = preset.optimiser();
    return preset.with(preset.widths().all(32)).with(new BiCmrConfig.Optimiser(1e-3, 1e-3, o.beta1(), 16, epochs, 2,
        o.halveFromStart(), o.weightDecay(), 11L));
  }

  /** Two label groups whose features differ in a few directions. */
  static PairedDataset twoGroups(long seed, int n) {
    Random r = new Random(seed);
    int di = 12, dt = 10, c = 3;
    float[] image = new float[n * di], text = new float[n * dt], labels = new float[n * c];
    for (int i = 0; i < n; i++) {
      int g = i % 2;
      for (int j = 0; j < di; j++) {
        image[i * di + j] = (float) (r.nextGaussian() * 0.5 + (j % 2 == g ? 1 : -1));
      }
      for (int j = 0; j < dt; j++) {
        text[i * dt + j] = r.nextInt(10) < (j < dt / 2 == (g == 0) ? 7 : 1) ? 1f : 0f;
      }
      labels[i * c + g] = 1f;
      labels[i * c + 2] = r.nextInt(4) == 0 ? 1f : 0f;
    }
    return PairedDataset.builder("two-groups", n).image(di, image).text(dt, text).labels(c, labels).build();
  }

  private static float[] weights(BiCmrNetwork net) {
    List<Float> all = new ArrayList<>();
    for (var p : net.namedParameters()) {
      for (float f : p.getValue().getArray().toFloatArray()) {
        all.add(f);
      }
    }
    float[] out = new float[all.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = all.get(i);
    }
    return out;
  }

  /** A deterministic score of the nets: the mean of the text net's outputs for the first items (any function will do). */
  private static EpochSelection selection(PairedDataset data) {
    return new EpochSelection(new EpochSelection.Score() {
      @Override
      public double of(HashFunctions nets) {
        int[] rows = {0, 1, 2, 3};
        try (NDManager m = NDManager.newBaseManager()) {
          float[] out = HashOutputs.texts(nets, m, data.text(), data.textDim(), rows);
          double sum = 0;
          for (float v : out) {
            sum += v;
          }
          return sum;
        }
      }

      @Override
      public String description() {
        return "mean text output";
      }
    });
  }

  @ParameterizedTest
  @EnumSource(BiCmrConfig.Variant.class)
  void resumingFromACheckpointGivesTheUninterruptedResult(BiCmrConfig.Variant variant, @TempDir Path dir)
      throws IOException {
    PairedDataset data = twoGroups(3, 64);
    float[] straight;
    EpochSelection straightSelection = selection(data);
    try (NDManager m = NDManager.newBaseManager()) {
      straight = weights(new BiCmrTrainer(small(variant, 3), data, null, straightSelection).train(m,
          new Trainer.Listener() {}));
    }
    Path checkpoint = dir.resolve("ck.bin");
    try (NDManager m = NDManager.newBaseManager()) {
      new BiCmrTrainer(small(variant, 1), data, checkpoint, selection(data)).train(m, new Trainer.Listener() {});
    }
    assertTrue(Files.exists(checkpoint));
    float[] resumed;
    EpochSelection resumedSelection = selection(data);
    try (NDManager m = NDManager.newBaseManager()) {
      resumed = weights(new BiCmrTrainer(small(variant, 3), data, checkpoint, resumedSelection).train(m,
          new Trainer.Listener() {}));
    }
    assertArrayEquals(straight, resumed, "1 epoch + resume to 3 must equal 3 epochs straight");
    assertEquals(straightSelection.history(), resumedSelection.history());
    assertEquals(straightSelection.bestEpoch(), resumedSelection.bestEpoch());
    assertArrayEquals(straightSelection.bestParameters(), resumedSelection.bestParameters());
    if (variant != BiCmrConfig.Variant.PAPER) {
      return;
    }
    // a run asking for 3 epochs with an otherwise different config must refuse the checkpoint
    IOException e = assertThrows(IOException.class, () -> {
      try (NDManager m = NDManager.newBaseManager()) {
        BiCmrConfig other = small(3).withAblation(5);
        new BiCmrTrainer(other, data, checkpoint, selection(data)).train(m, new Trainer.Listener() {});
      }
    });
    assertTrue(e.getMessage().contains("other settings"), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(BiCmrConfig.Variant.class)
  void lossFallsOnSeparableData(BiCmrConfig.Variant variant) throws IOException {
    PairedDataset data = twoGroups(5, 128);
    List<Double> totals = new ArrayList<>();
    try (NDManager m = NDManager.newBaseManager()) {
      new BiCmrTrainer(small(variant, 6), data, null).train(m, new Trainer.Listener() {
        @Override
        public void epochDone(int epoch, double[] meanTerms, double score, double seconds) {
          totals.add(meanTerms[meanTerms.length - 1]);
        }
      });
    }
    assertTrue(totals.get(totals.size() - 1) < 0.8 * totals.get(0), "mean total loss per epoch: " + totals);
  }

  @Test
  void aLossThatIsNotFiniteStopsTrainingBeforeTheStepNamingItsTerms() {
    PairedDataset clean = twoGroups(5, 64);
    float[] image = clean.image().clone();
    image[3] = 3e38f; // finite, but its square (the SSR's error) is not
    PairedDataset data = PairedDataset.builder("broken", 64).image(clean.imageDim(), image)
        .text(clean.textDim(), clean.text()).labels(clean.labelCount(), clean.labels()).build();
    try (NDManager m = NDManager.newBaseManager()) {
      BiCmrConfig config = small(2);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new BiCmrTrainer(config, data, null).train(m, new BiCmrTrainer.Listener() {}));
      assertTrue(e.getMessage().startsWith("bicmr training diverged in epoch 1, batch "), e.getMessage());
      assertTrue(e.getMessage().contains("loss terms ssr ") && (e.getMessage().contains(", total NaN")
          || e.getMessage().contains(", total Infinity")), e.getMessage());
    }
  }

  @Test
  void aGradientThatIsNotFiniteIsNamedWithTheParameterAndTheTerm() {
    try (NDManager m = NDManager.newBaseManager()) {
      Parameter image = Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build();
      Parameter label = Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build();
      for (Parameter p : List.of(image, label)) {
        NDArray w = m.create(new float[] {1f, 2f});
        w.setRequiresGradient(true);
        p.setArray(w);
      }
      Adam instances = new Adam(List.of(image), m);
      Adam labels = new Adam(List.of(label), m);
      // every term's gradient is finite but L_inst's: d/dw √(w − w) is infinite at 0
      Supplier<BiCmrLoss.Terms> replay = () -> {
        NDArray[] t = new NDArray[BiCmrLoss.TERM_NAMES.length];
        for (int i = 0; i < t.length; i++) {
          t[i] = image.getArray().sum().add(label.getArray().sum());
        }
        t[9] = image.getArray().sub(image.getArray()).sqrt().sum();
        t[10] = t[9].add(label.getArray().sum()); // the total, as replayed: L_inst's gradient again
        return new BiCmrLoss.Terms(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10]);
      };
      try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
        c.backward(replay.get().term(9).add(label.getArray().sum()));
      }
      double[] finite = new double[BiCmrLoss.TERM_NAMES.length];
      List<Pair<String, Parameter>> named = List.of(new Pair<>("imageNet.hash.weight", image),
          new Pair<>("labelNet.hash.weight", label));
      String problem = BiCmrTrainer.gradientProblem(finite, named, instances, labels, 2, 6, 1e-3, replay);
      assertTrue(problem.startsWith("bicmr training in epoch 3, batch 7 at learning rate 0.001: the gradient of "
          + "imageNet.hash.weight is not finite while every loss term is (ssr 0.0, "), problem);
      assertTrue(problem.contains("the terms whose own gradient is not finite: inst; the batch replayed gives them "
          + "again"), problem);
      // a replay whose total has finite gradients: the step that had none was not reproducible
      Supplier<BiCmrLoss.Terms> finiteTotal = () -> {
        BiCmrLoss.Terms t = replay.get();
        return new BiCmrLoss.Terms(t.ssr(), t.m2l(), t.l2m(), t.cor(), t.classification(), t.pairs(),
            t.quantisation(), t.balance(), t.neighbours(), t.instances(), t.ssr());
      };
      try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
        c.backward(replay.get().term(9).add(label.getArray().sum()));
      }
      String unreproducible = BiCmrTrainer.gradientProblem(finite, named, instances, labels, 0, 0, 1e-3, finiteTotal);
      assertTrue(unreproducible.endsWith("the batch replayed gives finite gradients (the step was not reproducible)"),
          unreproducible);

      instances.clearGradients();
      labels.clearGradients();
      assertNull(BiCmrTrainer.gradientProblem(finite, named, instances, labels, 0, 0, 1e-3, replay),
          "finite gradients are no problem");
    }
  }
}
