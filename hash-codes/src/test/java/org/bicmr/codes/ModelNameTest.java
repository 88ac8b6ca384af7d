package org.bicmr.codes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Model names accepted and refused, chosen by hand from the rule. */
class ModelNameTest {
  @Test
  void plainIdentifiersOnly() {
    for (String ok : new String[] {"bicmr-default", "mirflickr-64", "a", "0", "x_1.v2", "a-"}) {
      assertTrue(ModelName.isValid(ok), ok);
      assertEquals(ok, ModelName.check("model", ok));
    }
    for (String bad : new String[] {"", "-a", ".hidden", "_x", "A", "Default", "a/b", "..", "../etc", "a b", "é",
        "a\u0000", "ａ"}) {
      assertFalse(ModelName.isValid(bad), bad);
    }
    assertFalse(ModelName.isValid(null));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelName.check("[bicmr_hash] model", "../x"));
    assertEquals("[bicmr_hash] model must be a plain identifier ([a-z0-9][a-z0-9_.-]*), got [../x]", e.getMessage());
  }
}
