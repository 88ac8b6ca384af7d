package org.bicmr.training.baseline;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.bicmr.training.model.NetShape;
import org.junit.jupiter.api.Test;

/**
 * PRDH learns on the small synthetic preset (700 items, 400 training pairs): J falls, and its codes rank clearly
 * better than random codes in both directions.
 *
 * <p>Settings as in {@link DcmhTrainingTest}, for the same reasons; the decorrelation weight λ is scaled like γ and η
 * (0.04 instead of 1).
 */
class PrdhTrainingTest {

  @Test
  void learnsOnTheSmallPreset() throws IOException {
    SmallPreset preset = new SmallPreset(700, 150, 400);
    PrdhConfig config = new PrdhConfig(new NetShape(32, 256, 128, 256, NetShape.Output.LINEAR),
        new Schedule(32, 300, Schedule.Optimizer.SGD, 0.05, 0.02, 5e-4, 3L), 0.04, 0.04, 0.04);
    SmallPreset.Outcome outcome = preset.train(AlternatingTrainer.prdh(config, preset.training()));
    System.out.println(outcome.describe("PRDH"));
    assertTrue(outcome.objectiveRatio() < 0.6, "J should fall: " + outcome.describe("PRDH"));
    assertTrue(outcome.iqt() > outcome.random() + 0.04, outcome.describe("PRDH"));
    assertTrue(outcome.tqi() > outcome.random() + 0.04, outcome.describe("PRDH"));
  }
}
