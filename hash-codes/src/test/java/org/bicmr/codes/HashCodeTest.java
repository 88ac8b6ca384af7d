package org.bicmr.codes;

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

  @Test
  void packingBytesAndSignsAgainstTheBitsOneByOne() {
    long seed = Long.getLong("bicmr.test.seed", new Random().nextLong());
    System.out.println("HashCodeTest packing seed: " + seed + " (rerun with -Dbicmr.test.seed=" + seed + ")");
    Random random = new Random(seed);
    for (int iter = 0; iter < 50; iter++) {
      int bits = 8 * (1 + random.nextInt(80));
      float[] signs = new float[bits + 3];
      for (int i = 0; i < signs.length; i++) {
        signs[i] = random.nextBoolean() ? random.nextFloat() : -random.nextFloat() - 1e-3f;
      }
      float[] own = java.util.Arrays.copyOfRange(signs, 3, 3 + bits);
      HashCode code = HashCode.fromSigns(own);
      int w = (bits + 63) / 64;
      // signs at an offset into words at an offset
      long[] fromSigns = new long[w + 2];
      HashCode.packSigns(signs, 3, bits, fromSigns, 2);
      // bytes interleaved with stride 3 (another code's words between)
      long[] strided = new long[3 * w + 1];
      byte[] bytes = code.toBytes();
      HashCode.packBytes(bytes, 0, bytes.length, strided, 1, 3);
      for (int i = 0; i < bits; i++) {
        boolean expected = own[i] >= 0;
        String where = "seed " + seed + ", " + bits + " bits, bit " + i;
        assertEquals(expected, code.bit(i), where);
        assertEquals(expected, (fromSigns[2 + i / 64] >>> (63 - i % 64) & 1L) == 1L, where + " (packSigns)");
        assertEquals(expected, (strided[1 + (i / 64) * 3] >>> (63 - i % 64) & 1L) == 1L, where + " (packBytes)");
      }
      assertArrayEquals(code.words(), HashCode.toWords(bytes));
      assertEquals(0, fromSigns[0] | fromSigns[1]);
    }
    float[] nan = new float[16];
    nan[5] = Float.NaN;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> HashCode.packSigns(nan, 0, 16, new long[1], 0));
    assertTrue(e.getMessage().startsWith("bit 5 is NaN"), e.getMessage());
  }
}
