package org.bicmr.lucene;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.IOUtils;
import org.bicmr.codes.HashCode;

/**
 * Shows the Lucene part on real-sized data: indexes n random l-bit codes with Lucene's default settings (several
 * segments), runs top-k and radius queries, prints latency percentiles and whether every answer equals a brute-force
 * scan over the same codes. Run with {@code bin/lucene-demo [n=1000000] [bits=64] [queries=200] [k=10] [radius=8]}.
 */
public final class LuceneHammingDemo {
  private static final String FIELD = "code";
  private static final String ID = "id";
  /** How many radius hits are fetched and compared; all of them are counted. */
  private static final int RADIUS_HITS_SHOWN = 1000;

  private LuceneHammingDemo() {}

  public static void main(String[] args) throws IOException {
    Map<String, String> options = new HashMap<>(Map.of("n", "1000000", "bits", "64", "queries", "200", "k", "10",
        "radius", "8", "seed", "42"));
    for (String arg : args) {
      String[] kv = arg.split("=", 2);
      if (kv.length != 2 || options.containsKey(kv[0]) == false) {
        throw new IllegalArgumentException("unknown argument \"" + arg + "\"; expected one of " + options.keySet()
            + " as name=value");
      }
      options.put(kv[0], kv[1]);
    }
    int n = Integer.parseInt(options.get("n"));
    int bits = Integer.parseInt(options.get("bits"));
    int queryCount = Integer.parseInt(options.get("queries"));
    int k = Integer.parseInt(options.get("k"));
    int radius = Integer.parseInt(options.get("radius"));
    HashCode.checkBits("bits", bits);
    SplittableRandom random = new SplittableRandom(Long.parseLong(options.get("seed")));

    byte[][] codes = new byte[n][bits / 8];
    for (byte[] code : codes) {
      random.nextBytes(code);
    }
    Path dir = Files.createTempDirectory("bicmr-lucene-demo");
    try (FSDirectory directory = FSDirectory.open(dir)) {
      long start = System.nanoTime();
      try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig())) {
        for (int id = 0; id < n; id++) {
          Document doc = new Document();
          doc.add(new HashCodeField(FIELD, HashCode.fromBytes(codes[id])));
          doc.add(new NumericDocValuesField(ID, id));
          writer.addDocument(doc);
        }
      }
      double indexSeconds = (System.nanoTime() - start) / 1e9;
      try (DirectoryReader reader = DirectoryReader.open(directory)) {
        System.out.printf(Locale.ROOT, "indexed %,d random %d-bit codes in %.1f s: %d segments, %.1f MB on disk%n",
            n, bits, indexSeconds, reader.leaves().size(), size(dir) / 1e6);
        int[] idOfDoc = idsByDoc(reader);
        int words = (bits + 63) / 64;
        long[] wordsByDoc = wordsByDoc(codes, idOfDoc, words);
        IndexSearcher searcher = new IndexSearcher(reader);
        HashCodeCache cache = new HashCodeCache(Long.MAX_VALUE); // keeps the arrays between queries

        HashCode first = randomCode(random, bits);
        long load = System.nanoTime();
        searcher.search(HashCodeField.newQuery(FIELD, first, k, bits, null, cache), k);
        System.out.printf(Locale.ROOT,
            "first search loads the codes: %.1f ms, %.1f MB held (%.2f bytes per code); scan loop: %s%n",
            (System.nanoTime() - load) / 1e6, cache.ramBytesUsed() / 1e6,
            cache.ramBytesUsed() / (double) n, HammingScanner.INSTANCE);

        for (int w = 0; w < 50; w++) { // let the JIT compile the scan before timing
          HashCode warm = randomCode(random, bits);
          searcher.search(HashCodeField.newQuery(FIELD, warm, k, bits, null, cache), k);
          searcher.search(HashCodeField.newQuery(FIELD, warm, HammingDistanceQuery.ALL, radius, null, cache), 100);
        }
        long[] topKNanos = new long[queryCount];
        long[] radiusNanos = new long[queryCount];
        int topKAgree = 0, radiusAgree = 0;
        long radiusHits = 0;
        TopDocs example = null;
        HashCode exampleQuery = null;
        for (int q = 0; q < queryCount; q++) {
          // half the queries are near an indexed code, so that small radii find something
          HashCode query = q % 2 == 0 ? randomCode(random, bits) : nearby(random, codes[random.nextInt(n)], 3);
          long t0 = System.nanoTime();
          TopDocs top = searcher.search(HashCodeField.newQuery(FIELD, query, k, bits, null, cache), k);
          topKNanos[q] = System.nanoTime() - t0;
          t0 = System.nanoTime();
          TopDocs within = searcher.search(HashCodeField.newQuery(FIELD, query, HammingDistanceQuery.ALL, radius, null,
              cache), RADIUS_HITS_SHOWN);
          radiusNanos[q] = System.nanoTime() - t0;
          radiusHits += within.totalHits.value();
          long[] expected = bruteForce(wordsByDoc, words, query);
          topKAgree += agrees(top, expected, Math.min(k, n)) ? 1 : 0;
          int count = countWithin(expected, radius);
          radiusAgree += within.totalHits.value() == count
              && agrees(within, expected, Math.min(count, RADIUS_HITS_SHOWN)) ? 1 : 0;
          if (q == 1) {
            example = top;
            exampleQuery = query;
          }
        }
        System.out.printf(Locale.ROOT, "top-%d:       %s; %d/%d answers equal the brute-force scan%n", k,
            latency(topKNanos, n), topKAgree, queryCount);
        System.out.printf(Locale.ROOT, "radius <= %d: %s; %.1f hits per query; %d/%d answers equal the brute-force scan%n",
            radius, latency(radiusNanos, n), radiusHits / (double) queryCount, radiusAgree, queryCount);
        System.out.println("example: top " + k + " for " + exampleQuery.toHex());
        for (ScoreDoc hit : example.scoreDocs) {
          System.out.printf(Locale.ROOT, "  id %-8d distance %-3d score %.4f code %s%n", idOfDoc[hit.doc],
              HammingDistanceQuery.distance(hit.score), hit.score, HashCode.fromBytes(codes[idOfDoc[hit.doc]]).toHex());
        }
        if (topKAgree != queryCount || radiusAgree != queryCount) {
          throw new IllegalStateException("the index disagreed with the brute-force scan");
        }
      }
    } finally {
      IOUtils.rm(dir);
    }
  }

  /** Every doc's code as words, in doc-id order: what the brute-force scan reads. */
  private static long[] wordsByDoc(byte[][] codes, int[] idOfDoc, int words) {
    long[] flat = new long[idOfDoc.length * words];
    for (int doc = 0; doc < idOfDoc.length; doc++) {
      System.arraycopy(HashCode.toWords(codes[idOfDoc[doc]]), 0, flat, doc * words, words);
    }
    return flat;
  }

  /** (distance, doc) keys of every doc, sorted: distance first, then doc id, as the query ranks. */
  private static long[] bruteForce(long[] wordsByDoc, int words, HashCode query) {
    long[] q = HashCode.toWords(query.toBytes());
    long[] keys = new long[wordsByDoc.length / words];
    for (int doc = 0; doc < keys.length; doc++) {
      int d = 0;
      for (int j = 0; j < words; j++) {
        d += Long.bitCount(wordsByDoc[doc * words + j] ^ q[j]);
      }
      keys[doc] = ((long) d << 32) | doc;
    }
    Arrays.sort(keys);
    return keys;
  }

  private static int countWithin(long[] sortedKeys, int radius) {
    int within = 0;
    while (within < sortedKeys.length && (sortedKeys[within] >>> 32) <= radius) {
      within++;
    }
    return within;
  }

  /** True iff the hits are exactly the first {@code count} keys: same docs, same distances, same order. */
  private static boolean agrees(TopDocs actual, long[] sortedKeys, int count) {
    if (actual.scoreDocs.length != count) {
      return false;
    }
    for (int i = 0; i < count; i++) {
      ScoreDoc hit = actual.scoreDocs[i];
      if (hit.doc != (int) sortedKeys[i] || HammingDistanceQuery.distance(hit.score) != (int) (sortedKeys[i] >>> 32)) {
        return false;
      }
    }
    return true;
  }

  private static int[] idsByDoc(DirectoryReader reader) throws IOException {
    int[] ids = new int[reader.maxDoc()];
    for (LeafReaderContext leaf : reader.leaves()) {
      NumericDocValues values = leaf.reader().getNumericDocValues(ID);
      for (int doc = values.nextDoc(); doc != NumericDocValues.NO_MORE_DOCS; doc = values.nextDoc()) {
        ids[leaf.docBase + doc] = (int) values.longValue();
      }
    }
    return ids;
  }

  private static HashCode randomCode(SplittableRandom random, int bits) {
    byte[] bytes = new byte[bits / 8];
    random.nextBytes(bytes);
    return HashCode.fromBytes(bytes);
  }

  private static HashCode nearby(SplittableRandom random, byte[] code, int flips) {
    byte[] bytes = code.clone();
    for (int f = 0; f < flips; f++) {
      int bit = random.nextInt(bytes.length * 8);
      bytes[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
    }
    return HashCode.fromBytes(bytes);
  }

  private static String latency(long[] nanos, int n) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    double mean = Arrays.stream(sorted).average().orElse(0);
    return String.format(Locale.ROOT, "p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, mean %.2f ms (%.2f ns per code)",
        sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.9)] / 1e6,
        sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1e6, mean / 1e6, mean / n);
  }

  private static long size(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return files.mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
