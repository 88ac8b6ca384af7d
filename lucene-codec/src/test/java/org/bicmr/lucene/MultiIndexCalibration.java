package org.bicmr.lucene;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.MMapDirectory;
import org.bicmr.codes.HashCode;

/**
 * Measures the cost model's constants on an index written by {@link ScaleBenchmark} (one segment, codes with
 * substrings), through {@link MultiIndexSearch}'s own probe and verification: a term lookup (substring neighbours at
 * distance 1 and 2 of random codes, looked up in sorted order as the search does) and a candidate (postings entry,
 * gathered code, duplicate check, distance; substrings at distance 0 of indexed codes), in units of one code scanned,
 * the scan timed on the same index. Not a test; run {@code bin/bench-scale calibrate <index dir>}.
 */
public final class MultiIndexCalibration {
  private MultiIndexCalibration() {}

  public static void main(String[] args) throws IOException {
    HashCodeCache cache = new HashCodeCache(Long.MAX_VALUE);
    try (var dir = new MMapDirectory(Path.of(args[0])); DirectoryReader reader = DirectoryReader.open(dir);
        HashCodeCache.Lease lease = HashCodeCache.acquire(cache, reader.leaves().get(0).reader(), "code")) {
      LeafReader leaf = reader.leaves().get(0).reader();
      SegmentCodes codes = lease.codes();
      FieldInfo info = leaf.getFieldInfos().fieldInfo("code" + HashCodeSubstringsField.SUFFIX);
      int m = Integer.parseInt(info.getAttribute(HashCodeSubstringsField.SUBSTRINGS_ATTRIBUTE));
      MultiIndexHashing layout = new MultiIndexHashing(codes.bits(), m);
      IndexSearcher searcher = new IndexSearcher(reader);
      SplittableRandom random = new SplittableRandom(1);
      HashCode[] queries = new HashCode[64];
      for (int q = 0; q < queries.length; q++) {
        queries[q] = ScaleBenchmark.code(ScaleBenchmark.randomWords(random, codes.bits()));
      }
      long[] indexed = new long[codes.words()];
      for (int round = 0; round < 3; round++) {
        MultiIndexSearch.budgetForTests = 0;
        long start = System.nanoTime();
        int scans = 0;
        while (System.nanoTime() - start < 3e9) {
          searcher.search(new HammingDistanceQuery("code", queries[scans++ & 63], 10, codes.bits(), null, cache), 10);
        }
        MultiIndexSearch.budgetForTests = -1;
        double scanNanos = (System.nanoTime() - start) / (double) scans;
        double perCode = scanNanos / codes.count();

        long lookups = 0;
        long lookupNanos = 0;
        while (lookupNanos < 3e9) {
          long[] words = ScaleBenchmark.randomWords(random, codes.bits());
          MultiIndexSearch.Search search = search(leaf, info, layout, codes, words);
          int j = random.nextInt(m);
          int r = 1 + random.nextInt(2);
          long t0 = System.nanoTime();
          search.lookUp(j, r);
          lookupNanos += System.nanoTime() - t0;
          lookups += layout.neighbours(j, r);
        }

        long candidates = 0;
        long readNanos = 0;
        while (readNanos < 3e9) {
          int doc = random.nextInt(codes.maxDoc());
          codes.gather(new int[] {doc}, 1, indexed); // the code of a random document: its terms exist
          MultiIndexSearch.Search search = search(leaf, info, layout, codes, indexed.clone());
          int j = random.nextInt(m);
          candidates += search.lookUp(j, 0);
          long t0 = System.nanoTime();
          search.readPostings(j, 0);
          readNanos += System.nanoTime() - t0;
        }
        double lookupEach = lookupNanos / (double) lookups;
        double candidateEach = readNanos / (double) candidates;
        System.out.printf("%s: n %d, m %d: scan %.1f µs (%.3f ns a code); lookup %.0f ns (%.0f codes);"
            + " candidate %.1f ns (%.0f codes; %d candidates)%n", args[0], codes.count(), m, scanNanos / 1e3,
            perCode, lookupEach, lookupEach / perCode, candidateEach, candidateEach / perCode, candidates);
      }
    }
  }

  private static MultiIndexSearch.Search search(LeafReader leaf, FieldInfo info, MultiIndexHashing layout,
      SegmentCodes codes, long[] words) throws IOException {
    return new MultiIndexSearch.Search(info.name, layout, leaf.terms(info.name).iterator(), codes, words,
        HammingTopK.UNBOUNDED, codes.bits(), null);
  }
}
