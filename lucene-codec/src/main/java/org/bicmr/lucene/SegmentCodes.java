package org.bicmr.lucene;

import java.io.IOException;
import java.util.function.LongConsumer;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.Accountable;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.RamUsageEstimator;
import org.bicmr.codes.HashCode;

/**
 * The codes of one field of one segment, in memory, laid out for scanning.
 *
 * <p>Layout: codes are packed into 64-bit words ({@link HashCode} byte order, big-endian, zero-padded); documents go in
 * blocks of {@value #BLOCK}, and within a block word {@code j} of its eight codes is contiguous:
 * {@code data[(doc / 8) * 8 * w + j * 8 + doc % 8]} for a code of {@code w} words. For w = 1 this is simply
 * {@code data[doc]}; for longer codes a SIMD lane holds one document and the words are summed vertically.
 * Documents without a code hold zeros and are clear in {@link #docsWithCode()}.
 */
final class SegmentCodes implements Accountable {
  static final int BLOCK = 8;

  private static final long BASE_RAM = RamUsageEstimator.shallowSizeOfInstance(SegmentCodes.class);
  private static final long BIT_SET_RAM = RamUsageEstimator.shallowSizeOfInstance(FixedBitSet.class);

  private final String field;
  private final int bits;
  private final int words;
  private final int maxDoc;
  private final long[] data;
  private final FixedBitSet docsWithCode;
  private final int count;

  private SegmentCodes(String field, int bits, int maxDoc, long[] data, FixedBitSet docsWithCode, int count) {
    this.field = field;
    this.bits = bits;
    this.words = wordsFor(bits);
    this.maxDoc = maxDoc;
    this.data = data;
    this.docsWithCode = docsWithCode;
    this.count = count;
  }

  static int wordsFor(int bits) {
    return (bits + 63) >>> 6;
  }

  /** Reads the codes of {@code fieldInfo} from the segment's binary doc values, with nobody to ask for memory. */
  static SegmentCodes load(LeafReader reader, FieldInfo fieldInfo) throws IOException {
    return load(reader, fieldInfo, bytes -> {});
  }

  /**
   * Reads the codes of {@code fieldInfo} from the segment's binary doc values. Once the code length is known (from the
   * field's attribute, else from the first value) and before the arrays are allocated, {@code reserve} is given
   * {@link #ramBytesFor the bytes they may take}; it may refuse by throwing, and then nothing is allocated.
   *
   * @return null when no document of the segment has a code in this field (then {@code reserve} is not called)
   * @throws IllegalStateException if a value is not a legal code or its length differs from the field's
   */
  static SegmentCodes load(LeafReader reader, FieldInfo fieldInfo, LongConsumer reserve) throws IOException {
    String field = fieldInfo.name;
    BinaryDocValues values = DocValues.getBinary(reader, field);
    int maxDoc = reader.maxDoc();
    int bits = HashCodeField.bitsOf(fieldInfo);
    long[] data = null;
    int w = 0;
    FixedBitSet present = null;
    int count = 0;
    for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
      BytesRef value = values.binaryValue();
      if (bits < 0) { // a plain BinaryDocValuesField: the first value sets the length
        bits = value.length * 8;
      }
      if (value.length * 8 != bits) {
        throw new IllegalStateException(
            "field \"" + field + "\" of segment " + reader + ": document " + doc + " has a " + value.length * 8
                + "-bit code, but the field holds " + bits + "-bit codes");
      }
      if (data == null) {
        HashCode.checkBits("field \"" + field + "\"", bits);
        w = wordsFor(bits);
        reserve.accept(ramBytesFor(maxDoc, bits));
        data = new long[Math.multiplyExact(blocks(maxDoc), BLOCK * w)];
        present = new FixedBitSet(Math.max(1, maxDoc));
      }
      int base = (doc >>> 3) * BLOCK * w + (doc & 7);
      HashCode.packBytes(value.bytes, value.offset, value.length, data, base, BLOCK);
      present.set(doc);
      count++;
    }
    if (data == null) {
      return null;
    }
    return new SegmentCodes(field, bits, maxDoc, data, count == maxDoc ? null : present, count);
  }

  /**
   * The most {@link #ramBytesUsed()} can be for a segment of {@code maxDoc} documents with {@code bits}-bit codes: the
   * code array plus the bit set of documents with a code (dropped after loading when every document has one).
   */
  static long ramBytesFor(int maxDoc, int bits) {
    long words = (long) blocks(maxDoc) * BLOCK * wordsFor(bits);
    return BASE_RAM + longArrayBytes(words) + BIT_SET_RAM + longArrayBytes(FixedBitSet.bits2words(Math.max(1, maxDoc)));
  }

  private static long longArrayBytes(long length) {
    return RamUsageEstimator.alignObjectSize(RamUsageEstimator.NUM_BYTES_ARRAY_HEADER + Long.BYTES * length);
  }

  private static int blocks(int maxDoc) {
    return (maxDoc + BLOCK - 1) / BLOCK;
  }

  int bits() {
    return bits;
  }

  int words() {
    return words;
  }

  int maxDoc() {
    return maxDoc;
  }

  /** The number of documents that have a code. */
  int count() {
    return count;
  }

  /** The scan layout described in the class Javadoc. Shared, do not modify. */
  long[] data() {
    return data;
  }

  /** Documents that have a code, or null when every document has one. */
  FixedBitSet docsWithCode() {
    return docsWithCode;
  }

  boolean hasCode(int doc) {
    return docsWithCode == null ? doc < maxDoc : docsWithCode.get(doc);
  }

  /** Hamming distance between the code of {@code doc} and a query given as words. */
  int distance(int doc, long[] query) {
    int base = (doc >>> 3) * BLOCK * words + (doc & 7);
    int d = 0;
    for (int j = 0; j < words; j++) {
      d += Long.bitCount(data[base + j * BLOCK] ^ query[j]);
    }
    return d;
  }

  /**
   * Copies the codes of {@code n} documents into {@code out}, word j of the i-th at {@code out[i * words + j]}: one
   * tight loop of independent reads, whose cache misses overlap.
   */
  void gather(int[] docs, int n, long[] out) {
    if (words == 1) {
      for (int i = 0; i < n; i++) {
        out[i] = data[docs[i]];
      }
      return;
    }
    for (int i = 0, o = 0; i < n; i++) {
      int base = (docs[i] >>> 3) * BLOCK * words + (docs[i] & 7);
      for (int j = 0; j < words; j++) {
        out[o++] = data[base + j * BLOCK];
      }
    }
  }

  /** Checks that a query code fits this field. */
  void checkQuery(HashCode code) {
    checkQuery(field, bits, code);
  }

  /** Checks that a query code fits a field holding {@code bits}-bit codes. */
  static void checkQuery(String field, int bits, HashCode code) {
    if (code.bits() != bits) {
      throw new IllegalArgumentException(
          "field \"" + field + "\" holds " + bits + "-bit codes, but the query code has " + code.bits() + " bits");
    }
  }

  @Override
  public long ramBytesUsed() {
    return BASE_RAM
        + RamUsageEstimator.sizeOf(data)
        + (docsWithCode == null ? 0 : docsWithCode.ramBytesUsed());
  }

  @Override
  public String toString() {
    return "SegmentCodes(field=" + field + ", bits=" + bits + ", docs=" + count + "/" + maxDoc + ")";
  }
}
