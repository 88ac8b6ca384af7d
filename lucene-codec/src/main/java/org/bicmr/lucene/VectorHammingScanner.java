package org.bicmr.lucene;

import jdk.incubator.vector.LongVector;
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
    switch (codes.words()) {
      case 1 -> scanOneWord(codes, query, firstBlock, lastBlock, accept, sink);
      case 2 -> scanTwoWords(codes, query, firstBlock, lastBlock, accept, sink);
      case 4 -> scanFourWords(codes, query, firstBlock, lastBlock, accept, sink);
      default -> scanWords(codes, query, firstBlock, lastBlock, accept, sink);
    }
    ScalarHammingScanner.scanRange(codes, query, lastBlock, to, accept, sink);
  }

  // One loop per word count keeps every vector in a register: vectors held in an array would be boxed.

  private static void scanOneWord(SegmentCodes codes, long[] query, int from, int to, Bits accept, HammingTopK sink) {
    final long[] data = codes.data();
    final LongVector q0 = LongVector.broadcast(SPECIES, query[0]);
    int limit = sink.limit();
    for (int doc = from; doc < to; doc += SegmentCodes.BLOCK) {
      LongVector d = popcount(data, doc, q0);
      long lanes = d.compare(VectorOperators.LT, limit).toLong();
      while (lanes != 0) { // rare once the limit is low; inlined here so that d stays in a register
        int lane = Long.numberOfTrailingZeros(lanes);
        lanes &= lanes - 1;
        int dist = (int) d.lane(lane);
        if (dist < limit && (accept == null || accept.get(doc + lane))) {
          limit = sink.add(doc + lane, dist);
        }
      }
    }
  }

  private static void scanTwoWords(SegmentCodes codes, long[] query, int from, int to, Bits accept, HammingTopK sink) {
    final long[] data = codes.data();
    final LongVector q0 = LongVector.broadcast(SPECIES, query[0]);
    final LongVector q1 = LongVector.broadcast(SPECIES, query[1]);
    int limit = sink.limit();
    for (int doc = from, base = from * 2; doc < to; doc += SegmentCodes.BLOCK, base += 16) {
      LongVector d = popcount(data, base, q0).add(popcount(data, base + 8, q1));
      long lanes = d.compare(VectorOperators.LT, limit).toLong();
      while (lanes != 0) { // rare once the limit is low; inlined here so that d stays in a register
        int lane = Long.numberOfTrailingZeros(lanes);
        lanes &= lanes - 1;
        int dist = (int) d.lane(lane);
        if (dist < limit && (accept == null || accept.get(doc + lane))) {
          limit = sink.add(doc + lane, dist);
        }
      }
    }
  }

  private static void scanFourWords(SegmentCodes codes, long[] query, int from, int to, Bits accept, HammingTopK sink) {
    final long[] data = codes.data();
    final LongVector q0 = LongVector.broadcast(SPECIES, query[0]);
    final LongVector q1 = LongVector.broadcast(SPECIES, query[1]);
    final LongVector q2 = LongVector.broadcast(SPECIES, query[2]);
    final LongVector q3 = LongVector.broadcast(SPECIES, query[3]);
    int limit = sink.limit();
    for (int doc = from, base = from * 4; doc < to; doc += SegmentCodes.BLOCK, base += 32) {
      LongVector d = popcount(data, base, q0).add(popcount(data, base + 8, q1))
          .add(popcount(data, base + 16, q2)).add(popcount(data, base + 24, q3));
      long lanes = d.compare(VectorOperators.LT, limit).toLong();
      while (lanes != 0) { // rare once the limit is low; inlined here so that d stays in a register
        int lane = Long.numberOfTrailingZeros(lanes);
        lanes &= lanes - 1;
        int dist = (int) d.lane(lane);
        if (dist < limit && (accept == null || accept.get(doc + lane))) {
          limit = sink.add(doc + lane, dist);
        }
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
      long lanes = d.compare(VectorOperators.LT, limit).toLong();
      while (lanes != 0) { // rare once the limit is low; inlined here so that d stays in a register
        int lane = Long.numberOfTrailingZeros(lanes);
        lanes &= lanes - 1;
        int dist = (int) d.lane(lane);
        if (dist < limit && (accept == null || accept.get(doc + lane))) {
          limit = sink.add(doc + lane, dist);
        }
      }
    }
  }

  private static LongVector popcount(long[] data, int offset, LongVector query) {
    return LongVector.fromArray(SPECIES, data, offset).lanewise(VectorOperators.XOR, query)
        .lanewise(VectorOperators.BIT_COUNT);
  }

  @Override
  String name() {
    return "vector-" + SPECIES.vectorBitSize();
  }
}
