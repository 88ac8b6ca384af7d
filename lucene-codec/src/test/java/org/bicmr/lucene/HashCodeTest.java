package org.bicmr.lucene;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HashCodeTest {

  @Test
  void signsFollowTheBitLayoutByHand() {
    // bit i = (v_i >= 0), MSB first: 1010 1100 | 0000 1110 -> "ac0e"
    float[] signs = {0.3f, -0.2f, 0f, -1f, 0.5f, 0.5f, -0.1f, -7f, -1f, -1f, -1f, -1f, 1f, 1f, -0f, -1e-9f};
    HashCode code = HashCode.fromSigns(signs);
    assertEquals(16, code.bits());
    assertEquals("ac0e", code.toHex());
    assertArrayEquals(new byte[] {(byte) 0xac, 0x0e}, code.toBytes());
    assertTrue(code.bit(0));
    assertFalse(code.bit(1));
    assertTrue(code.bit(2), "sign(0) = +1");
    assertTrue(code.bit(14), "-0.0 >= 0, so sign(-0) = +1");
    assertFalse(code.bit(15));
  }

  @Test
  void hexAndBytesRoundTrip() {
    HashCode code = HashCode.fromHex("00FF10a5c3");
    assertEquals(40, code.bits());
    assertEquals("00ff10a5c3", code.toHex());
    assertArrayEquals(new byte[] {0, (byte) 0xff, 0x10, (byte) 0xa5, (byte) 0xc3}, code.toBytes());
    assertEquals(code, HashCode.fromBytes(code.toBytes()));
    assertEquals(code.hashCode(), HashCode.fromHex("00ff10a5c3").hashCode());
    assertNotEquals(code, HashCode.fromHex("00ff10a5c2"));
    byte[] padded = {9, 0, (byte) 0xff, 0x10, (byte) 0xa5, (byte) 0xc3, 9};
    assertEquals(code, HashCode.fromBytes(padded, 1, 5));
  }

  @Test
  void bytesAreCopied() {
    byte[] bytes = {1, 2};
    HashCode code = HashCode.fromBytes(bytes);
    bytes[0] = 7;
    assertEquals("0102", code.toHex());
    code.toBytes()[0] = 7;
    assertEquals("0102", code.toHex());
  }

  @Test
  void distanceByHand() {
    assertEquals(4, HashCode.fromHex("ff").distance(HashCode.fromHex("0f")));
    assertEquals(0, HashCode.fromHex("ab").distance(HashCode.fromHex("ab")));
    assertEquals(72, HashCode.fromHex("ffffffffffffffffff").distance(HashCode.fromHex("000000000000000000")));
    assertEquals(2, HashCode.fromHex("800000000000000001").distance(HashCode.fromHex("000000000000000000")));
  }

  @Test
  void distanceEqualsHalfTheInnerProductGapOfSignVectors() {
    long seed = Long.getLong("bicmr.test.seed", new Random().nextLong());
    System.out.println("HashCodeTest seed: " + seed);
    Random random = new Random(seed);
    for (int iter = 0; iter < 200; iter++) {
      int bits = 8 * (1 + random.nextInt(HashCode.MAX_BITS / 8));
      float[] a = new float[bits];
      float[] b = new float[bits];
      for (int i = 0; i < bits; i++) {
        a[i] = (float) random.nextGaussian();
        b[i] = random.nextInt(4) == 0 ? a[i] : (float) random.nextGaussian();
      }
      int inner = 0; // <sign(a), sign(b)> with +-1 entries
      for (int i = 0; i < bits; i++) {
        inner += (a[i] >= 0 ? 1 : -1) * (b[i] >= 0 ? 1 : -1);
      }
      assertEquals((bits - inner) / 2, HashCode.fromSigns(a).distance(HashCode.fromSigns(b)), "seed " + seed);
    }
  }

  @Test
  void badInputIsRefusedWithTheValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HashCode.fromSigns(new float[12]));
    assertTrue(e.getMessage().contains("got 12"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> HashCode.fromSigns(new float[4104]));
    assertTrue(e.getMessage().contains("4104"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> HashCode.fromSigns(new float[0]));
    e = assertThrows(IllegalArgumentException.class, () -> HashCode.fromHex("abc"));
    assertTrue(e.getMessage().contains("even number"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> HashCode.fromHex("zz"));
    assertTrue(e.getMessage().contains("'z'") && e.getMessage().contains("position 0"), e.getMessage());
    // other scripts' digits are not hex digits: each code has one text form
    for (String other : new String[] {"\u0663\u0663", "\uFF21\uFF22", "\uFF10\uFF10", "\u0967\u0967", "a\u0663"}) {
      e = assertThrows(IllegalArgumentException.class, () -> HashCode.fromHex(other), other);
      int at = other.charAt(0) < 128 ? 1 : 0;
      assertTrue(e.getMessage().contains(String.format(java.util.Locale.ROOT, "(U+%04X)", (int) other.charAt(at)))
          && e.getMessage().contains("position " + at), e.getMessage());
    }
    assertEquals(HashCode.fromHex("abcd"), HashCode.fromHex("ABCD"));
    float[] nan = new float[8];
    nan[3] = Float.NaN;
    e = assertThrows(IllegalArgumentException.class, () -> HashCode.fromSigns(nan));
    assertTrue(e.getMessage().contains("signs[3]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> HashCode.fromHex("ff").distance(HashCode.fromHex("ffff")));
    assertTrue(e.getMessage().contains("8-bit") && e.getMessage().contains("16-bit"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> HashCode.fromBytes(new byte[513]));
  }

  @Test
  void everyLegalLengthWorks() {
    for (int bits = HashCode.MIN_BITS; bits <= HashCode.MAX_BITS; bits += 8) {
      float[] ones = new float[bits];
      HashCode code = HashCode.fromSigns(ones);
      assertEquals(bits, code.bits());
      assertEquals("f".repeat(bits / 4), code.toHex());
    }
  }
}
