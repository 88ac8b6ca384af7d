package org.bicmr.training.eval;

import java.util.List;
import java.util.Objects;
import org.bicmr.codes.HashCode;

/**
 * m binary codes of l bits each, packed into 64-bit words for evaluation: the code of row {@code i} is words
 * {@code i * w .. i * w + w - 1} with {@code w = ceil(l / 64)}. The bit order is {@link HashCode}'s: bit {@code b} of a
 * code is bit {@code 63 - b % 64} of word {@code b / 64} (most significant first), the last word zero-padded, so the
 * Hamming distance is {@code popcount(a XOR b)} over the words. Bit {@code b} of a code made from a hash-layer output
 * is 1 iff output {@code b >= 0} (sign(0) = +1). Immutable.
 */
public final class PackedCodes {
  private final int size;
  private final int bits;
  private final int wordsPerCode;
  private final long[] words;

  private PackedCodes(int size, int bits, long[] words) {
    this.size = size;
    this.bits = bits;
    this.wordsPerCode = wordsPerCode(bits);
    this.words = words;
  }

  /**
   * The codes of row-major hash-layer outputs, {@code bits} outputs per row: bit {@code b} of row {@code i} is 1 iff
   * {@code outputs[i * bits + b] >= 0}.
   *
   * @throws IllegalArgumentException if {@code bits} is not a legal code length, the array is empty or not a whole
   *     number of rows, or an output is NaN
   */
  public static PackedCodes fromOutputs(float[] outputs, int bits) {
    Objects.requireNonNull(outputs, "outputs");
    HashCode.checkBits("code bits", bits);
    if (outputs.length == 0 || outputs.length % bits != 0) {
      throw new IllegalArgumentException("hash-layer outputs: expected a non-empty whole number of rows of " + bits
          + " values, got " + outputs.length + " values");
    }
    int size = outputs.length / bits;
    int w = wordsPerCode(bits);
    long[] words = new long[size * w];
    for (int i = 0; i < size; i++) {
      try {
        HashCode.packSigns(outputs, i * bits, bits, words, i * w);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("hash-layer output of row " + i + ", " + e.getMessage(), e);
      }
    }
    return new PackedCodes(size, bits, words);
  }

  /**
   * The given codes in order.
   *
   * @throws IllegalArgumentException if the list is empty or the codes have different lengths
   */
  public static PackedCodes of(List<HashCode> codes) {
    Objects.requireNonNull(codes, "codes");
    if (codes.isEmpty()) {
      throw new IllegalArgumentException("codes: expected at least one code, got none");
    }
    int bits = codes.get(0).bits();
    int w = wordsPerCode(bits);
    long[] words = new long[codes.size() * w];
    for (int i = 0; i < codes.size(); i++) {
      HashCode code = codes.get(i);
      if (code.bits() != bits) {
        throw new IllegalArgumentException("codes: code " + i + " has " + code.bits() + " bits, expected " + bits
            + " like code 0");
      }
      byte[] bytes = code.toBytes();
      HashCode.packBytes(bytes, 0, bytes.length, words, i * w, 1);
    }
    return new PackedCodes(codes.size(), bits, words);
  }

  /** The number of codes, m. */
  public int size() {
    return size;
  }

  /** The length of each code, l. */
  public int bits() {
    return bits;
  }

  /** The code in row {@code i}. */
  public HashCode code(int i) {
    Objects.checkIndex(i, size);
    byte[] bytes = new byte[bits / 8];
    for (int k = 0; k < bytes.length; k++) {
      bytes[k] = (byte) (words[i * wordsPerCode + (k >>> 3)] >>> (56 - 8 * (k & 7)));
    }
    return HashCode.fromBytes(bytes);
  }

  /**
   * The Hamming distance between row {@code i} of these codes and row {@code j} of {@code other}.
   *
   * @throws IllegalArgumentException if the codes have different lengths
   */
  public int distance(int i, PackedCodes other, int j) {
    checkSameBits(other);
    Objects.checkIndex(i, size);
    Objects.checkIndex(j, other.size);
    int d = 0;
    for (int k = 0; k < wordsPerCode; k++) {
      d += Long.bitCount(words[i * wordsPerCode + k] ^ other.words[j * wordsPerCode + k]);
    }
    return d;
  }

  /** Throws unless {@code other} has codes of the same length. */
  void checkSameBits(PackedCodes other) {
    if (other.bits != bits) {
      throw new IllegalArgumentException("cannot compare " + bits + "-bit codes with " + other.bits + "-bit codes");
    }
  }

  int wordsPerCode() {
    return wordsPerCode;
  }

  /** Copies the words of the codes in {@code rows}, in that order, into one new contiguous array. */
  long[] gather(int[] rows) {
    long[] out = new long[rows.length * wordsPerCode];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(words, rows[r] * wordsPerCode, out, r * wordsPerCode, wordsPerCode);
    }
    return out;
  }

  /** Row {@code i}'s word {@code k}. */
  long word(int i, int k) {
    return words[i * wordsPerCode + k];
  }

  /** Bit {@code b} of row {@code i}: 1 (true) or 0, in the layout of {@code HashCode.words()}. */
  boolean bit(int i, int b) {
    return (words[i * wordsPerCode + (b >>> 6)] >>> (63 - (b & 63)) & 1L) != 0;
  }

  private static int wordsPerCode(int bits) {
    return (bits + 63) >>> 6;
  }

  @Override
  public String toString() {
    return size + " codes of " + bits + " bits";
  }
}
