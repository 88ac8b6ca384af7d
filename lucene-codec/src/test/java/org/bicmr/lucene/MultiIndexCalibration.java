package org.bicmr.lucene;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * Measures the cost model's constants on an index written by {@link ScaleBenchmark} (one segment, codes with
 * substrings): a term lookup and a candidate (postings entry + distance on the full code) in units of one code
 * scanned, the scan timed on the same index. Not a test; run {@code bin/bench-scale calibrate <index dir>}.
 */
public final class MultiIndexCalibration {
  private MultiIndexCalibration() {}

  public static void main(String[] args) throws IOException {
    try (var dir = new MMapDirectory(Path.of(args[0])); DirectoryReader reader = DirectoryReader.open(dir)) {
      LeafReader leaf = reader.leaves().get(0).reader();
      SegmentCodes codes = HashCodeCache.DEFAULT.codes(leaf, "code");
      FieldInfo info = leaf.getFieldInfos().fieldInfo("code" + HashCodeSubstringsField.SUFFIX);
      int m = Integer.parseInt(info.getAttribute(HashCodeSubstringsField.SUBSTRINGS_ATTRIBUTE));
      MultiIndexHashing layout = new MultiIndexHashing(codes.bits(), m);
      IndexSearcher searcher = new IndexSearcher(reader);
      SplittableRandom random = new SplittableRandom(1);
      HashCode[] queries = new HashCode[64];
      for (int q = 0; q < queries.length; q++) {
        queries[q] = ScaleBenchmark.code(ScaleBenchmark.randomWords(random, codes.bits()));
      }
      for (int round = 0; round < 3; round++) {
        MultiIndexSearch.budgetForTests = 0;
        long start = System.nanoTime();
        int scans = 0;
        while (System.nanoTime() - start < 3e9) {
          searcher.search(new HammingDistanceQuery("code", queries[scans++ & 63], 10, codes.bits(), null), 10);
        }
        double scanNanos = (System.nanoTime() - start) / (double) scans;
        double perCode = scanNanos / codes.count();

        TermsEnum terms = leaf.terms(info.name).iterator();
        byte[] term = new byte[9];
        BytesRef ref = new BytesRef(term);
        long lookups = 0;
        long hits = 0;
        start = System.nanoTime();
        while (System.nanoTime() - start < 3e9) {
          for (int i = 0; i < 1000; i++) {
            int j = random.nextInt(m);
            layout.term(j, random.nextLong() & ((1L << layout.length(j)) - 1), term);
            if (terms.seekExact(ref)) {
              hits++;
            }
          }
          lookups += 1000;
        }
        double lookupNanos = (System.nanoTime() - start) / (double) lookups;

        long[] words = queries[0].words();
        PostingsEnum postings = null;
        long candidates = 0;
        long sum = 0;
        org.apache.lucene.util.SparseFixedBitSet seen = new org.apache.lucene.util.SparseFixedBitSet(leaf.maxDoc());
        long readNanos = 0;
        while (readNanos < 3e9) {
          int j = random.nextInt(m);
          layout.term(j, random.nextLong() & ((1L << layout.length(j)) - 1), term);
          if (terms.seekExact(ref) == false) {
            continue;
          }
          long t0 = System.nanoTime();
          postings = terms.postings(postings, PostingsEnum.NONE);
          for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
            if (seen.getAndSet(doc) == false) {
              sum += codes.distance(doc, words);
            }
            candidates++;
          }
          readNanos += System.nanoTime() - t0;
          if (candidates > 5_000_000) {
            seen = new org.apache.lucene.util.SparseFixedBitSet(leaf.maxDoc());
          }
        }
        double candidateNanos = readNanos / (double) candidates;
        System.out.printf("%s: n %d, m %d: scan %.1f µs (%.3f ns a code); lookup %.0f ns (%.0f codes, %.0f%% found);"
            + " candidate %.1f ns (%.0f codes) [%d]%n", args[0], codes.count(), m, scanNanos / 1e3, perCode,
            lookupNanos, lookupNanos / perCode, 100.0 * hits / lookups, candidateNanos, candidateNanos / perCode,
            sum & 1);
      }
    }
  }
}
