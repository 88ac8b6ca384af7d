package org.bicmr.training.baseline;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.bicmr.training.model.NetShape;
import org.junit.jupiter.api.Test;

/**
 * AGAH learns on the small synthetic preset (700 items, 400 training pairs): its loss falls below ¾ of the first
 * epoch's, and its codes (through the multi-label attention) rank clearly better than random codes both ways.
 *
 * <p>Settings that differ from the released code's, and why: small nets (256 / 128, 256) and 80 short epochs (batch
 * 32) so the test takes seconds, at a constant rate of 1.5·10^−3.
 */
class AgahTrainingTest {

  @Test
  void learnsOnTheSmallPreset() throws IOException {
    SmallPreset preset = new SmallPreset(700, 150, 400);
    AgahConfig config = new AgahConfig(new NetShape(32, 256, 128, 256, NetShape.Output.TANH),
        new Schedule(32, 80, Schedule.Optimizer.ADAM, 1.5e-3, 1.5e-3, 5e-4, 3L), 1, 0, 0.001, 1, 1, 0.8, 0.3, 1e-3,
        1e-4);
    SmallPreset.Outcome outcome = preset.train(new AgahTrainer(config, preset.training()));
    System.out.println(outcome.describe("AGAH"));
    // the total falls less than DCMH's J: its adversarial part is a Wasserstein estimate, not a loss that vanishes
    assertTrue(outcome.objectiveRatio() < 0.75, "the loss should fall: " + outcome.describe("AGAH"));
    assertTrue(outcome.iqt() > outcome.random() + 0.04, outcome.describe("AGAH"));
    assertTrue(outcome.tqi() > outcome.random() + 0.04, outcome.describe("AGAH"));
  }
}
