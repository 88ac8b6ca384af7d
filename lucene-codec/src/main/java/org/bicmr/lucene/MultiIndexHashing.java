package org.bicmr.lucene;

import org.bicmr.codes.HashCode;

/**
 * How an l-bit code splits into m substrings for multi-index hashing: m contiguous chunks of ⌊l/m⌋ or ⌈l/m⌉ bits
 * (at most 64), chunk j's value packed into a long (first bit most significant), and its term: one byte j, then the
 * value's 8 bytes big-endian.
 */
final class MultiIndexHashing {
  private final int bits;
  private final int[] start;

  MultiIndexHashing(int bits, int substrings) {
    check(bits, substrings);
    this.bits = bits;
    this.start = new int[substrings + 1];
    for (int j = 0; j <= substrings; j++) {
      start[j] = (int) ((long) bits * j / substrings);
    }
  }

  static void check(int bits, int substrings) {
    HashCode.checkBits("bits", bits);
    if (substrings < (bits + 63) / 64 || substrings > Math.min(bits, 255)) {
      throw new IllegalArgumentException("substrings: a " + bits + "-bit code splits into " + (bits + 63) / 64
          + " to " + Math.min(bits, 255) + " substrings (each at most 64 bits), got " + substrings);
    }
  }

  int substrings() {
    return start.length - 1;
  }

  int bits() {
    return bits;
  }

  /** The length of substring j in bits. */
  int length(int j) {
    return start[j + 1] - start[j];
  }

  /** Substring j of a code given as its words (bit i of the code is bit 63 − i mod 64 of word i / 64). */
  long substring(long[] words, int j) {
    long v = 0;
    for (int i = start[j]; i < start[j + 1]; i++) {
      v = (v << 1) | ((words[i >>> 6] >>> (63 - (i & 63))) & 1L);
    }
    return v;
  }

  /**
   * The distance of substring j between two codes, given their XOR as words: the set bits of {@code xor} in bits
   * [start(j), start(j + 1)) of the code.
   */
  int distance(long[] xor, int j) {
    int from = start[j];
    int to = start[j + 1];
    int d = 0;
    for (int w = from >>> 6, last = (to - 1) >>> 6; w <= last; w++) {
      long mask = -1L;
      if (w == from >>> 6) {
        mask >>>= from & 63; // bit i of the code is bit 63 - i % 64 of its word: drop the bits before 'from'
      }
      if (w == last && (to & 63) != 0) {
        mask &= -1L << (64 - (to & 63)); // and those from 'to' on
      }
      d += Long.bitCount(xor[w] & mask);
    }
    return d;
  }

  /** The term of substring j with value v. */
  byte[] term(int j, long v) {
    byte[] t = new byte[9];
    term(j, v, t);
    return t;
  }

  /** Writes the term of substring j with value v into {@code t} (9 bytes). */
  void term(int j, long v, byte[] t) {
    t[0] = (byte) j;
    for (int b = 0; b < 8; b++) {
      t[1 + b] = (byte) (v >>> (56 - 8 * b));
    }
  }

  /** The number of values at exactly distance r from a substring of j: C(length(j), r). */
  long neighbours(int j, int r) {
    int n = length(j);
    if (r > n) {
      return 0;
    }
    long c = 1;
    for (int i = 0; i < r; i++) {
      c = c * (n - i) / (i + 1);
      if (c > Long.MAX_VALUE / 64) {
        return Long.MAX_VALUE / 64;
      }
    }
    return c;
  }
}
