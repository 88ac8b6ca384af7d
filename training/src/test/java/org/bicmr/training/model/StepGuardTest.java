package org.bicmr.training.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StepGuardTest {

  @Test
  void skipsStepsWithAProblemAndStopsAtTheThirdInARow() {
    StepGuard guard = new StepGuard();
    assertTrue(guard.admit(null));
    assertFalse(guard.admit("bad gradient 1"));
    assertFalse(guard.admit("bad gradient 2"));
    assertTrue(guard.admit(null), "a good step ends the run of skipped ones");
    assertFalse(guard.admit("bad gradient 3"));
    assertFalse(guard.admit("bad gradient 4"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> guard.admit("bad gradient 5"));
    assertTrue(e.getMessage().startsWith("bad gradient 5; 3 steps in a row had gradients that are not finite"),
        e.getMessage());
    assertEquals(5, guard.skipped());
  }
}
