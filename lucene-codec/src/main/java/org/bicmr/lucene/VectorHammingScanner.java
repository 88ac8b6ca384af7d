package org.bicmr.lucene;

import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.apache.lucene.util.Bits;

/**
 * The Hamming scan with the Vector API: one block of eight codes per 512-bit vector, word j of the eight codes XORed
 * with the query's word j and popcounted lane-wise, the words summed vertically (the layout of {@link SegmentCodes}
 * makes that a plain load). Only the rare blocks with a lane below the limit are looked at one document at a time.
 * Loaded only through {@link HammingScanner}'s runtime check.
 */
final class VectorHammingScanner extends HammingScanner {
  private static final VectorSpecies<Long> SPECIES = LongVector.SPECIES_512;

  VectorHammingScanner() {}

  /** This scanner if the CPU has 512-bit vectors (8 longs per vector), else null. */
  static HammingScanner createIfFast() {
    if (LongVector.SPECIES_PREFERRED.length() < SegmentCodes.BLOCK) {
      return null;
    }
    return new VectorHammingScanner();
  }

  @Override
  void scan(SegmentCodes codes, long[] query, int from, int to, Bits accept, HammingTopK sink) {
    final int block = SegmentCodes.BLOCK;
    int firstBlock = Math.min(to, (from + block - 1) & -block);
    int lastBlock = Math.max(firstBlock, to & -block);
    ScalarHammingScanner.scanRange(codes, query, from, firstBlock, accept, sink);
    if (codes.words() == 1) {
      scanOneWord(codes, query[0], firstBlock, lastBlock, accept, sink);
    } else {
      scanWords(codes, query, firstBlock, lastBlock, accept, sink);
    }
    ScalarHammingScanner.scanRange(codes, query, lastBlock, to, accept, sink);
  }

  private static void scanOneWord(SegmentCodes codes, long q, int from, int to, Bits accept, HammingTopK sink) {
    final long[] data = codes.data();
    int limit = sink.limit();
    for (int doc = from; doc < to; doc += SegmentCodes.BLOCK) {
      LongVector d = LongVector.fromArray(SPECIES, data, doc).lanewise(VectorOperators.XOR, q)
          .lanewise(VectorOperators.BIT_COUNT);
      VectorMask<Long> close = d.compare(VectorOperators.LT, limit);
      if (close.anyTrue()) {
        limit = offer(codes, d, close.toLong(), doc, accept, sink);
      }
    }
  }

  private static void scanWords(SegmentCodes codes, long[] query, int from, int to, Bits accept, HammingTopK sink) {
    final long[] data = codes.data();
    final int w = codes.words();
    final int stride = SegmentCodes.BLOCK * w;
    int limit = sink.limit();
    for (int doc = from, base = (from >>> 3) * stride; doc < to; doc += SegmentCodes.BLOCK, base += stride) {
      LongVector d = LongVector.fromArray(SPECIES, data, base).lanewise(VectorOperators.XOR, query[0])
          .lanewise(VectorOperators.BIT_COUNT);
      for (int j = 1; j < w; j++) {
        d = d.add(LongVector.fromArray(SPECIES, data, base + j * SegmentCodes.BLOCK)
            .lanewise(VectorOperators.XOR, query[j])
            .lanewise(VectorOperators.BIT_COUNT));
      }
      VectorMask<Long> close = d.compare(VectorOperators.LT, limit);
      if (close.anyTrue()) {
        limit = offer(codes, d, close.toLong(), doc, accept, sink);
      }
    }
  }

  /** Offers the lanes set in {@code lanes} in doc order; the limit may drop between them. */
  private static int offer(SegmentCodes codes, LongVector distances, long lanes, int blockDoc, Bits accept,
      HammingTopK sink) {
    int limit = sink.limit();
    while (lanes != 0) {
      int lane = Long.numberOfTrailingZeros(lanes);
      lanes &= lanes - 1;
      int d = (int) distances.lane(lane);
      int doc = blockDoc + lane;
      if (d < limit && (accept == null || accept.get(doc))) {
        limit = sink.add(doc, d);
      }
    }
    return limit;
  }

  @Override
  String name() {
    return "vector-" + SPECIES.vectorBitSize();
  }
}
