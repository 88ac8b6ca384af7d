package org.bicmr.codes;

import java.util.Arrays;
import java.util.Objects;

/**
 * An l-bit binary hash code, the unit that Bi-CMR's hash nets produce and that Lucene indexes and ranks by Hamming
 * distance.
 *
 * <p>Bit layout (DESIGN §3): l is a multiple of 8 between {@value #MIN_BITS} and {@value #MAX_BITS}; bit {@code i}
 * lives in byte {@code i / 8} under mask {@code 0x80 >>> (i % 8)} (most significant bit first). The text form is
 * lower-case hex, l/4 characters, in the same byte order. Bit {@code i} of a code made from a hash-layer output is 1
 * iff output {@code i} is {@code >= 0} (sign(0) = +1).
 *
 * <p>Instances are immutable; {@link #equals(Object)} compares bits.
 */
public final class HashCode {
  /** The shortest code: one byte. */
  public static final int MIN_BITS = 8;

  /** The longest code: 512 bytes. */
  public static final int MAX_BITS = 4096;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final byte[] bytes;
  /** The bytes packed big-endian into 64-bit words, the last one zero-padded; what distances are computed on. */
  private final long[] words;

  private HashCode(byte[] bytes) {
    this(bytes, toWords(bytes));
  }

  /** A code whose {@code words} are already {@code bytes} packed as {@link #toWords} packs them. */
  private HashCode(byte[] bytes, long[] words) {
    this.bytes = bytes;
    this.words = words;
  }

  /**
   * The code of a hash-layer output: bit {@code i} is 1 iff {@code signs[i] >= 0}.
   *
   * @throws IllegalArgumentException if the length is not a legal code length or a value is NaN
   */
  public static HashCode fromSigns(float[] signs) {
    Objects.requireNonNull(signs, "signs");
    checkBits("signs", signs.length);
    long[] words = new long[(signs.length + 63) >>> 6];
    packSigns(signs, 0, signs.length, words, 0);
    byte[] bytes = new byte[signs.length / 8];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (words[i >>> 3] >>> (56 - 8 * (i & 7)));
    }
    return new HashCode(bytes, words); // packSigns wrote the layout toWords would: no second packing
  }

  /**
   * The code written as hex, l/4 ASCII hex digits (either case; no other script's digits).
   *
   * @throws IllegalArgumentException if the string is not hex or its length is not that of a legal code
   */
  public static HashCode fromHex(String hex) {
    Objects.requireNonNull(hex, "hex");
    if (hex.length() % 2 != 0) {
      throw new IllegalArgumentException(
          "hex code must have an even number of characters (2 per byte), got " + hex.length() + ": \"" + abbreviate(hex) + "\"");
    }
    checkBits("hex code", hex.length() * 4);
    byte[] bytes = new byte[hex.length() / 2];
    for (int i = 0; i < hex.length(); i++) {
      int nibble = nibble(hex.charAt(i));
      if (nibble < 0) {
        throw new IllegalArgumentException("hex code has a character that is not an ASCII hex digit (0-9, a-f, A-F), "
            + describe(hex.charAt(i)) + ", at position " + i + ": \"" + abbreviate(hex) + "\"");
      }
      bytes[i >>> 1] |= (byte) ((i & 1) == 0 ? nibble << 4 : nibble);
    }
    return new HashCode(bytes);
  }

  /**
   * The value of an ASCII hex digit, or −1: other scripts' digits ('٣', '０') are not hex digits here, so one code has
   * one text form.
   */
  private static int nibble(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /** A character for an error: itself, and its code point when it is not printable ASCII. */
  private static String describe(char c) {
    String point = String.format(java.util.Locale.ROOT, "U+%04X", (int) c);
    return c >= 0x20 && c < 0x7f ? "'" + c + "'" : "'" + c + "' (" + point + ")";
  }

  /**
   * The code whose bytes, in the layout of this class, are {@code bytes}; l = 8 × {@code bytes.length}. The array is
   * copied.
   */
  public static HashCode fromBytes(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    return fromBytes(bytes, 0, bytes.length);
  }

  /** The code held in {@code length} bytes of {@code bytes} from {@code offset}; the bytes are copied. */
  public static HashCode fromBytes(byte[] bytes, int offset, int length) {
    Objects.requireNonNull(bytes, "bytes");
    Objects.checkFromIndexSize(offset, length, bytes.length);
    checkBits("code bytes", length * 8);
    return new HashCode(Arrays.copyOfRange(bytes, offset, offset + length));
  }

  /**
   * Checks that {@code bits} is a legal code length.
   *
   * @param what names the value in the message (a field, a parameter)
   */
  public static void checkBits(String what, int bits) {
    if (bits < MIN_BITS || bits > MAX_BITS || bits % 8 != 0) {
      throw new IllegalArgumentException(
          what + ": a code length must be a multiple of 8 between " + MIN_BITS + " and " + MAX_BITS + " bits, got " + bits);
    }
  }

  /** The number of bits, l. */
  public int bits() {
    return bytes.length * 8;
  }

  /** Bit {@code i}. */
  public boolean bit(int i) {
    Objects.checkIndex(i, bits());
    return (bytes[i >>> 3] & (0x80 >>> (i & 7))) != 0;
  }

  /** A copy of the l/8 bytes. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** Lower-case hex, l/4 characters. */
  public String toHex() {
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = HEX[(bytes[i] >>> 4) & 0xF];
      out[2 * i + 1] = HEX[bytes[i] & 0xF];
    }
    return new String(out);
  }

  /**
   * The Hamming distance to {@code other}: the number of bits in which they differ.
   *
   * @throws IllegalArgumentException if the codes have different lengths
   */
  public int distance(HashCode other) {
    if (other.bytes.length != bytes.length) {
      throw new IllegalArgumentException(
          "cannot compare a " + bits() + "-bit code with a " + other.bits() + "-bit code");
    }
    int d = 0;
    for (int i = 0; i < words.length; i++) {
      d += Long.bitCount(words[i] ^ other.words[i]);
    }
    return d;
  }

  /**
   * The code as 64-bit words, the form Hamming scans XOR and count: bytes 8j..8j+7 big-endian in word j, the last word
   * zero-padded. A copy.
   */
  public long[] words() {
    return words.clone();
  }

  /** {@code bytes} packed as {@link #words()} packs a code's bytes: 8j..8j+7 big-endian in word j, zero-padded. */
  public static long[] toWords(byte[] bytes) {
    long[] words = new long[(bytes.length + 7) >>> 3];
    packBytes(bytes, 0, bytes.length, words, 0, 1);
    return words;
  }

  /**
   * ORs the code in {@code bytes[offset, offset + length)} into {@code words} in the layout of {@link #words()}, its
   * word j at {@code words[at + j * stride]} (stride 1: contiguous; more: interleaved with other codes' words, as a
   * scan over blocks of codes lays them out). The target words must be zero where the code goes.
   */
  public static void packBytes(byte[] bytes, int offset, int length, long[] words, int at, int stride) {
    for (int i = 0; i < length; i++) {
      words[at + (i >>> 3) * stride] |= (bytes[offset + i] & 0xFFL) << (56 - 8 * (i & 7));
    }
  }

  /**
   * ORs the code of the hash-layer outputs {@code signs[offset, offset + bits)} into {@code words[at, at + ⌈bits/64⌉)}
   * in the layout of {@link #words()}: bit i is 1 iff output i is {@code >= 0}, the same rule as {@link #fromSigns}.
   * The target words must be zero.
   *
   * @throws IllegalArgumentException if an output is NaN (naming its position)
   */
  public static void packSigns(float[] signs, int offset, int bits, long[] words, int at) {
    for (int b = 0; b < bits; b++) {
      float v = signs[offset + b];
      if (Float.isNaN(v)) {
        throw new IllegalArgumentException("bit " + b + " is NaN (signs[" + (offset + b) + "]); expected a number "
            + "whose sign gives the bit");
      }
      if (v >= 0f) {
        words[at + (b >>> 6)] |= 1L << (63 - (b & 63));
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HashCode other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return bits() + ":" + toHex();
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }
}
