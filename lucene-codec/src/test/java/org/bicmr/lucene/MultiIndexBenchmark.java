package org.bicmr.lucene;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Multi-index hashing against the scan, on the same one-segment index of n codes with their m substrings, one thread:
 * {@code scan} forces the scan, {@code mih} forces the substring path, {@code auto} lets the cost model choose.
 * {@code radius} -1 means exact top-10 without a radius; otherwise every code within the radius. Codes are uniformly
 * random or clustered (1,000 centres, each bit of a member flipped with probability 0.05; queries near a centre).
 * Run with {@code bin/bench-lucene-mih}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g", "-Xms4g"})
@State(Scope.Benchmark)
public class MultiIndexBenchmark {
  private static final int QUERIES = 64;
  private static final String FIELD = "code";

  @Param({"64"})
  public int bits;

  @Param({"1000000"})
  public int n;

  @Param({"random", "clustered"})
  public String codes;

  @Param({"2", "3", "4"})
  public int substrings;

  @Param({"-1", "0", "1", "2", "3", "6"})
  public int radius;

  private Directory directory;
  private DirectoryReader reader;
  private IndexSearcher searcher;
  private HashCode[] queries;
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    Path path = Path.of("target", "bench-indexes", "mih-" + codes + "-" + bits + "-" + n + "-" + substrings);
    SplittableRandom random = new SplittableRandom(42);
    long[][] centres = new long[1000][];
    for (int c = 0; c < centres.length; c++) {
      centres[c] = randomWords(random);
    }
    if (!Files.exists(path.resolve("done"))) {
      Files.createDirectories(path);
      try (Directory dir = new MMapDirectory(path);
          IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig().setRAMBufferSizeMB(512)
              .setOpenMode(IndexWriterConfig.OpenMode.CREATE))) {
        for (int i = 0; i < n; i++) {
          HashCode code = code(codes.equals("random") ? randomWords(random) : member(centres, random));
          Document doc = new Document();
          doc.add(new HashCodeField(FIELD, code));
          doc.add(new HashCodeSubstringsField(FIELD, code, substrings));
          writer.addDocument(doc);
        }
        writer.forceMerge(1);
      }
      Files.writeString(path.resolve("done"), "");
    }
    directory = new MMapDirectory(path);
    reader = DirectoryReader.open(directory);
    searcher = new IndexSearcher(reader);
    SplittableRandom queryRandom = new SplittableRandom(7);
    queries = new HashCode[QUERIES];
    for (int q = 0; q < QUERIES; q++) {
      queries[q] = code(codes.equals("random") ? randomWords(queryRandom) : member(centres, queryRandom));
    }
    HashCodeCache.DEFAULT.codes(reader.leaves().get(0).reader(), FIELD); // load the code array before timing
  }

  private long[] randomWords(SplittableRandom random) {
    return randomWords(random, bits);
  }

  static long[] randomWords(SplittableRandom random, int bits) {
    long[] w = new long[bits / 64];
    for (int i = 0; i < w.length; i++) {
      w[i] = random.nextLong();
    }
    return w;
  }

  static long[] member(long[][] centres, SplittableRandom random) {
    long[] w = centres[random.nextInt(centres.length)].clone();
    for (int i = 0; i < w.length * 64; i++) {
      if (random.nextDouble() < 0.05) {
        w[i >>> 6] ^= 1L << (63 - (i & 63));
      }
    }
    return w;
  }

  static HashCode code(long[] words) {
    byte[] bytes = new byte[words.length * 8];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (words[i >>> 3] >>> (56 - 8 * (i & 7)));
    }
    return HashCode.fromBytes(bytes);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    MultiIndexSearch.budgetForTests = -1;
    reader.close();
    directory.close();
  }

  private TopDocs search() throws IOException {
    HashCode q = queries[next++ & (QUERIES - 1)];
    HammingDistanceQuery query = radius < 0
        ? new HammingDistanceQuery(FIELD, q, 10, bits, null)
        : new HammingDistanceQuery(FIELD, q, HammingDistanceQuery.ALL, radius, null);
    return searcher.search(query, 10);
  }

  @Benchmark
  public TopDocs scan() throws IOException {
    MultiIndexSearch.budgetForTests = 0;
    return search();
  }

  @Benchmark
  public TopDocs mih() throws IOException {
    MultiIndexSearch.budgetForTests = Long.MAX_VALUE;
    return search();
  }

  @Benchmark
  public TopDocs auto() throws IOException {
    MultiIndexSearch.budgetForTests = -1;
    return search();
  }
}
