package org.bicmr.lucene;

import org.apache.lucene.util.Bits;

/** The Hamming scan in plain Java: one {@code Long.bitCount} per 64-bit word, specialised for 1, 2 and 4 words. */
final class ScalarHammingScanner extends HammingScanner {

  @Override
  void scan(SegmentCodes codes, long[] query, int from, int to, Bits accept, HammingTopK sink) {
    scanRange(codes, query, from, to, accept, sink);
  }

  static void scanRange(SegmentCodes codes, long[] query, int from, int to, Bits accept, HammingTopK sink) {
    final long[] data = codes.data();
    int limit = sink.limit();
    switch (codes.words()) {
      case 1 -> {
        final long q0 = query[0];
        for (int doc = from; doc < to; doc++) {
          int d = Long.bitCount(data[doc] ^ q0);
          if (d < limit && (accept == null || accept.get(doc))) {
            limit = sink.add(doc, d);
          }
        }
      }
      case 2 -> {
        final long q0 = query[0], q1 = query[1];
        for (int doc = from; doc < to; doc++) {
          int base = ((doc >>> 3) << 4) + (doc & 7);
          int d = Long.bitCount(data[base] ^ q0) + Long.bitCount(data[base + 8] ^ q1);
          if (d < limit && (accept == null || accept.get(doc))) {
            limit = sink.add(doc, d);
          }
        }
      }
      case 4 -> {
        final long q0 = query[0], q1 = query[1], q2 = query[2], q3 = query[3];
        for (int doc = from; doc < to; doc++) {
          int base = ((doc >>> 3) << 5) + (doc & 7);
          int d = Long.bitCount(data[base] ^ q0)
              + Long.bitCount(data[base + 8] ^ q1)
              + Long.bitCount(data[base + 16] ^ q2)
              + Long.bitCount(data[base + 24] ^ q3);
          if (d < limit && (accept == null || accept.get(doc))) {
            limit = sink.add(doc, d);
          }
        }
      }
      default -> {
        final int w = codes.words();
        for (int doc = from; doc < to; doc++) {
          int base = (doc >>> 3) * SegmentCodes.BLOCK * w + (doc & 7);
          int d = 0;
          for (int j = 0; j < w; j++) {
            d += Long.bitCount(data[base + j * SegmentCodes.BLOCK] ^ query[j]);
          }
          if (d < limit && (accept == null || accept.get(doc))) {
            limit = sink.add(doc, d);
          }
        }
      }
    }
  }

  @Override
  String name() {
    return "scalar";
  }
}
