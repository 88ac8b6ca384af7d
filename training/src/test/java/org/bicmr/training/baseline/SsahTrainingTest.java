package org.bicmr.training.baseline;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.bicmr.training.model.NetShape;
import org.junit.jupiter.api.Test;

/**
 * SSAH learns on the small synthetic preset (700 items, 400 training pairs): its loss falls, and its codes rank
 * clearly better than random codes in both directions.
 *
 * <p>Settings that differ from the released code's, and why: small nets (256 / 128, 256; label net 256) and short
 * epochs (batch 32) so the test takes seconds; one Adam rate of 10^−3 for every net instead of 10^−2 … 10^−4.5
 * (these nets are not pre-trained, and 60 epochs are not the code's hundreds of inner passes).
 */
class SsahTrainingTest {

  @Test
  void learnsOnTheSmallPreset() throws IOException {
    SmallPreset preset = new SmallPreset(700, 150, 400);
    SsahConfig config = new SsahConfig(new NetShape(32, 256, 128, 256, NetShape.Output.TANH),
        new Schedule(32, 60, Schedule.Optimizer.ADAM, 1e-3, 1e-3, 0, 3L), 256, 1, 1, 1, 1, 1, 1e-3, 1e-3, 1e-3);
    SmallPreset.Outcome outcome = preset.train(new SsahTrainer(config, preset.training()));
    System.out.println(outcome.describe("SSAH"));
    assertTrue(outcome.objectiveRatio() < 0.6, "the loss should fall: " + outcome.describe("SSAH"));
    assertTrue(outcome.iqt() > outcome.random() + 0.04, outcome.describe("SSAH"));
    assertTrue(outcome.tqi() > outcome.random() + 0.04, outcome.describe("SSAH"));
  }
}
