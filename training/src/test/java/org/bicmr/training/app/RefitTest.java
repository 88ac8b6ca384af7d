package org.bicmr.training.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.bicmr.training.model.EpochSelection;
import org.bicmr.training.model.HashFunctions;
import org.junit.jupiter.api.Test;

/** The recording chooses as every trainer does (the first of equal bests); the replay picks that candidate again. */
class RefitTest {

  /** A score that gives the listed values in turn. */
  private static EpochSelection.Score listed(Double... values) {
    Iterator<Double> next = List.of(values).iterator();
    return new EpochSelection.Score() {
      @Override
      public double of(HashFunctions nets) {
        return next.next();
      }

      @Override
      public String description() {
        return "listed";
      }
    };
  }

  @Test
  void theRecordingChoosesTheFirstOfTheBest() {
    Refit.Recording recording = new Refit.Recording(listed(0.2, 0.5, 0.5, 0.1));
    for (int i = 0; i < 4; i++) {
      recording.of(null);
    }
    assertEquals(List.of(0.2, 0.5, 0.5, 0.1), recording.values());
    assertEquals(1, recording.chosen());
    assertEquals("listed", recording.description());
    assertThrows(IllegalStateException.class, () -> new Refit.Recording(listed()).chosen());
  }

  @Test
  void theReplayScoresOnlyTheChosenCandidate() {
    EpochSelection.Score replay = Refit.replay(2, "validation MAP");
    double[] given = new double[5];
    for (int i = 0; i < given.length; i++) {
      given[i] = replay.of(null);
    }
    assertEquals(List.of(0.0, 0.0, 1.0, 0.0, 0.0), Arrays.stream(given).boxed().toList());
    assertEquals("validation MAP", replay.description());
    assertThrows(IllegalArgumentException.class, () -> Refit.replay(-1, "x"));
  }
}
