package org.bicmr.training.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bicmr.codes.HashCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class PackedCodesTest {

  @Test
  void bitOrderAndSignOfZeroFollowHashCode() {
    // 1010 1100 | 0000 1110: sign(0) = sign(-0) = +1
    float[] row = {0.3f, -0.2f, 0f, -1f, 0.5f, 0.5f, -0.1f, -7f, -1f, -1f, -1f, -1f, 1f, 1f, -0f, -1e-9f};
    PackedCodes codes = PackedCodes.fromOutputs(row, 16);
    assertEquals(1, codes.size());
    assertEquals(16, codes.bits());
    assertEquals("ac0e", codes.code(0).toHex());
  }

  @Test
  void rowsAndDistancesAgreeWithHashCode() {
    long seed = Long.getLong("bicmr.test.seed", new Random().nextLong());
    System.out.println("PackedCodesTest seed: " + seed);
    Random random = new Random(seed);
    for (int iter = 0; iter < 50; iter++) {
      int bits = 8 * (1 + random.nextInt(40)); // 8..320: one to five words, most not a multiple of 64
      int m = 1 + random.nextInt(6);
      float[] outputs = new float[m * bits];
      List<HashCode> expected = new ArrayList<>();
      for (int i = 0; i < m; i++) {
        float[] row = new float[bits];
        for (int b = 0; b < bits; b++) {
          row[b] = (float) random.nextGaussian();
          outputs[i * bits + b] = row[b];
        }
        expected.add(HashCode.fromSigns(row));
      }
      PackedCodes codes = PackedCodes.fromOutputs(outputs, bits);
      PackedCodes same = PackedCodes.of(expected);
      for (int i = 0; i < m; i++) {
        assertEquals(expected.get(i), codes.code(i), "seed " + seed);
        assertEquals(expected.get(i), same.code(i), "seed " + seed);
        for (int j = 0; j < m; j++) {
          int d = expected.get(i).distance(expected.get(j));
          assertEquals(d, codes.distance(i, codes, j), "seed " + seed);
          assertEquals(d, codes.distance(i, same, j), "seed " + seed);
        }
      }
    }
  }

  @Test
  void badInputNamesTheValue() {
    assertMessage("multiple of 8 between 8 and 4096 bits, got 12", () -> PackedCodes.fromOutputs(new float[24], 12));
    assertMessage("whole number of rows of 8 values, got 12 values", () -> PackedCodes.fromOutputs(new float[12], 8));
    assertMessage("got 0 values", () -> PackedCodes.fromOutputs(new float[0], 8));
    float[] nan = new float[16];
    nan[11] = Float.NaN;
    assertMessage("row 1, bit 3 is NaN", () -> PackedCodes.fromOutputs(nan, 8));
    assertMessage("code 1 has 16 bits, expected 8",
        () -> PackedCodes.of(List.of(HashCode.fromHex("ff"), HashCode.fromHex("ffff"))));
    PackedCodes a = PackedCodes.fromOutputs(new float[8], 8);
    PackedCodes b = PackedCodes.fromOutputs(new float[16], 16);
    assertMessage("cannot compare 8-bit codes with 16-bit codes", () -> a.distance(0, b, 0));
  }

  private static void assertMessage(String expected, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(expected), "message \"" + e.getMessage() + "\" should contain \"" + expected + "\"");
  }
}
