package org.bicmr.lucene;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.bitvectors.HnswBitVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnByteVectorField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.AcceptDocs;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnByteVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.knn.KnnCollectorManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;
import org.bicmr.codes.HashCode;
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
 * Exact top-10 Hamming search over n random l-bit codes, one thread, every variant on the same codes and queries:
 *
 * <ul>
 *   <li>{@code rawScalar}: a {@code Long.bitCount} scan over a plain {@code long[]} (codes contiguous);
 *   <li>{@code rawVectorContiguous}: the same array with the Vector API (lanes summed with shuffles for l &gt; 64);
 *   <li>{@code rawVectorBlocked}: the Vector API over the codes transposed in blocks of 8 (vertical sums);
 *   <li>{@code query}: {@link HammingDistanceQuery} through an {@link IndexSearcher} on a one-segment index;
 *   <li>{@code luceneExactBitVectors}: Lucene's exact kNN path over {@link HnswBitVectorsFormat};
 *   <li>{@code luceneHnsw}: Lucene's HNSW search over the same bit vectors (recall@10 printed at setup).
 * </ul>
 *
 * Indexes are built once under {@code target/bench-indexes} and reused. Run with {@code bin/bench-lucene}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx8g", "-Xms8g"})
@State(Scope.Benchmark)
public class HammingSearchBenchmark {
  private static final VectorSpecies<Long> SPECIES = LongVector.SPECIES_512;
  private static final int K = 10;
  private static final int QUERIES = 64;
  private static final String FIELD = "code";

  @Param({"64", "128", "256"})
  public int bits;

  @Param("1000000")
  public int n;

  private int words;
  private long[] contiguous;
  private long[] blocked;
  private long[][] queryWords;
  private HashCode[] queries;
  private int next;

  @Setup(Level.Trial)
  public void codes() {
    words = bits / 64;
    SplittableRandom random = new SplittableRandom(42L * bits + n);
    contiguous = new long[n * words];
    for (int i = 0; i < contiguous.length; i++) {
      contiguous[i] = random.nextLong();
    }
    blocked = new long[((n + 7) / 8) * 8 * words];
    for (int doc = 0; doc < n; doc++) {
      for (int j = 0; j < words; j++) {
        blocked[(doc / 8) * 8 * words + j * 8 + doc % 8] = contiguous[doc * words + j];
      }
    }
    queryWords = new long[QUERIES][words];
    queries = new HashCode[QUERIES];
    for (int q = 0; q < QUERIES; q++) {
      for (int j = 0; j < words; j++) {
        queryWords[q][j] = random.nextLong();
      }
      queries[q] = HashCode.fromBytes(toBytes(queryWords[q]));
    }
    // every raw variant must give the exact answer, or its timing means nothing
    for (int q = 0; q < 4; q++) {
      TopTen exact = exactTopTen(this, queryWords[q]);
      for (String variant : new String[] {"rawScalar", "rawVectorContiguous", "rawVectorBlocked"}) {
        next = q - 1;
        TopTen got = switch (variant) {
          case "rawScalar" -> rawScalar();
          case "rawVectorContiguous" -> rawVectorContiguous();
          default -> rawVectorBlocked();
        };
        if (Arrays.equals(got.docs, exact.docs) == false || Arrays.equals(got.distances, exact.distances) == false) {
          throw new IllegalStateException(variant + " disagrees with the exact scan on query " + q);
        }
      }
    }
  }

  static byte[] toBytes(long[] words) {
    byte[] bytes = new byte[words.length * 8];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (words[i / 8] >>> (56 - 8 * (i % 8)));
    }
    return bytes;
  }

  byte[] codeBytes(int doc) {
    return toBytes(Arrays.copyOfRange(contiguous, doc * words, doc * words + words));
  }

  private int nextQuery() {
    next = (next + 1) & (QUERIES - 1);
    return next;
  }

  /** The k best (distance, index) of a scan in index order: strict improvement keeps the smaller index on ties. */
  static final class TopTen {
    final int[] distances = new int[K];
    final int[] docs = new int[K];
    int size;
    int worst = Integer.MAX_VALUE;

    int add(int doc, int d) {
      int i = size < K ? size++ : K - 1;
      while (i > 0 && distances[i - 1] > d) {
        distances[i] = distances[i - 1];
        docs[i] = docs[i - 1];
        i--;
      }
      distances[i] = d;
      docs[i] = doc;
      worst = size < K ? Integer.MAX_VALUE : distances[K - 1];
      return worst;
    }
  }

  // The raw references are static loops over locals, the shape the JIT compiles best; each keeps a top-10 as it goes.

  @Benchmark
  public TopTen rawScalar() {
    return scalarScan(contiguous, n, words, queryWords[nextQuery()]);
  }

  static TopTen scalarScan(long[] data, int n, int words, long[] q) {
    TopTen top = new TopTen();
    int worst = Integer.MAX_VALUE;
    switch (words) {
      case 1 -> {
        long q0 = q[0];
        for (int doc = 0; doc < n; doc++) {
          int d = Long.bitCount(data[doc] ^ q0);
          if (d < worst) {
            worst = top.add(doc, d);
          }
        }
      }
      case 2 -> {
        long q0 = q[0], q1 = q[1];
        for (int doc = 0; doc < n; doc++) {
          int i = doc << 1;
          int d = Long.bitCount(data[i] ^ q0) + Long.bitCount(data[i + 1] ^ q1);
          if (d < worst) {
            worst = top.add(doc, d);
          }
        }
      }
      case 4 -> {
        long q0 = q[0], q1 = q[1], q2 = q[2], q3 = q[3];
        for (int doc = 0; doc < n; doc++) {
          int i = doc << 2;
          int d = Long.bitCount(data[i] ^ q0) + Long.bitCount(data[i + 1] ^ q1)
              + Long.bitCount(data[i + 2] ^ q2) + Long.bitCount(data[i + 3] ^ q3);
          if (d < worst) {
            worst = top.add(doc, d);
          }
        }
      }
      default -> throw new IllegalStateException("words " + words);
    }
    return top;
  }

  @Benchmark
  public TopTen rawVectorContiguous() {
    return vectorContiguousScan(contiguous, words, queryWords[nextQuery()]);
  }

  private static final VectorShuffle<Long> SWAP_PAIRS = VectorShuffle.fromOp(SPECIES, i -> i ^ 1);
  private static final VectorShuffle<Long> SWAP_HALVES = VectorShuffle.fromOp(SPECIES, i -> i ^ 2);

  /** Codes contiguous; 8 / words codes per vector, each code's words summed across lanes with shuffles. */
  static TopTen vectorContiguousScan(long[] data, int words, long[] q) {
    TopTen top = new TopTen();
    int worst = Integer.MAX_VALUE;
    long[] repeated = new long[8];
    for (int i = 0; i < 8; i++) {
      repeated[i] = q[i % q.length];
    }
    LongVector query = LongVector.fromArray(SPECIES, repeated, 0);
    long firsts = words == 1 ? 0xFF : words == 2 ? 0x55 : 0x11; // lanes that hold a code's total
    int codesPerVector = 8 / words;
    for (int i = 0, doc = 0; i < data.length; i += 8, doc += codesPerVector) {
      LongVector d = LongVector.fromArray(SPECIES, data, i).lanewise(VectorOperators.XOR, query)
          .lanewise(VectorOperators.BIT_COUNT);
      if (words >= 2) {
        d = d.add(d.rearrange(SWAP_PAIRS));
      }
      if (words == 4) {
        d = d.add(d.rearrange(SWAP_HALVES));
      }
      long lanes = d.compare(VectorOperators.LT, worst).toLong() & firsts;
      while (lanes != 0) {
        int lane = Long.numberOfTrailingZeros(lanes);
        lanes &= lanes - 1;
        int dist = (int) d.lane(lane);
        if (dist < worst) {
          worst = top.add(doc + lane / words, dist);
        }
      }
    }
    return top;
  }

  @Benchmark
  public TopTen rawVectorBlocked() {
    return vectorBlockedScan(blocked, n, words, queryWords[nextQuery()]);
  }

  /** Codes transposed in blocks of 8: word j of 8 codes in one vector, words summed vertically. */
  static TopTen vectorBlockedScan(long[] data, int n, int words, long[] q) {
    TopTen top = new TopTen();
    LongVector q0 = LongVector.broadcast(SPECIES, q[0]);
    LongVector q1 = LongVector.broadcast(SPECIES, words > 1 ? q[1] : 0);
    LongVector q2 = LongVector.broadcast(SPECIES, words > 2 ? q[2] : 0);
    LongVector q3 = LongVector.broadcast(SPECIES, words > 3 ? q[3] : 0);
    int worst = Integer.MAX_VALUE;
    int stride = 8 * words;
    for (int doc = 0, base = 0; doc < n; doc += 8, base += stride) {
      LongVector d = popcount(data, base, q0);
      if (words >= 2) {
        d = d.add(popcount(data, base + 8, q1));
      }
      if (words == 4) {
        d = d.add(popcount(data, base + 16, q2)).add(popcount(data, base + 24, q3));
      }
      long lanes = d.compare(VectorOperators.LT, worst).toLong();
      while (lanes != 0) {
        int lane = Long.numberOfTrailingZeros(lanes);
        lanes &= lanes - 1;
        int dist = (int) d.lane(lane);
        if (dist < worst) {
          worst = top.add(doc + lane, dist);
        }
      }
    }
    return top;
  }

  private static LongVector popcount(long[] data, int offset, LongVector query) {
    return LongVector.fromArray(SPECIES, data, offset).lanewise(VectorOperators.XOR, query)
        .lanewise(VectorOperators.BIT_COUNT);
  }

  /** Our index: one segment of {@link HashCodeField}s. */
  @State(Scope.Benchmark)
  public static class CodeIndex {
    Directory dir;
    DirectoryReader reader;
    IndexSearcher searcher;
    /** Holds the code array for the whole trial. */
    final HashCodeCache cache = new HashCodeCache(Long.MAX_VALUE);
    SegmentCodes codes;

    @Setup(Level.Trial)
    public void open(HammingSearchBenchmark codes) throws IOException {
      Path path = Path.of("target", "bench-indexes", "hashcode-" + codes.bits + "-" + codes.n);
      long start = System.nanoTime();
      boolean built = buildIfAbsent(path, codes, (writer, doc) -> {
        Document document = new Document();
        document.add(new HashCodeField(FIELD, HashCode.fromBytes(codes.codeBytes(doc))));
        writer.addDocument(document);
      }, null);
      dir = new MMapDirectory(path);
      reader = DirectoryReader.open(dir);
      searcher = new IndexSearcher(reader);
      long load = System.nanoTime();
      searcher.search(HashCodeField.newQuery(FIELD, codes.queries[0], K, codes.bits, null, cache), K);
      long loaded = System.nanoTime() - load;
      for (int q = 0; q < 4; q++) {
        TopTen exact = exactTopTen(codes, codes.queryWords[q]);
        TopDocs got = searcher.search(HashCodeField.newQuery(FIELD, codes.queries[q], K, codes.bits, null, cache), K);
        for (int i = 0; i < K; i++) {
          if (got.scoreDocs[i].doc != exact.docs[i]
              || HammingDistanceQuery.distance(got.scoreDocs[i].score) != exact.distances[i]) {
            throw new IllegalStateException("the query disagrees with the exact scan on query " + q + " rank " + i);
          }
        }
      }
      long held = cache.ramBytesUsed();
      try (HashCodeCache.Lease lease = HashCodeCache.acquire(cache, reader.leaves().get(0).reader(), FIELD)) {
        this.codes = lease.codes(); // the raw scans read it directly: held by the cache for the trial
      }
      System.out.printf(Locale.ROOT,
          "%n[hashcode index] bits=%d n=%d %s in %.1f s, %d segment(s), %.1f MB on disk; first search (loads codes) %.1f ms;"
              + " code arrays hold %.2f MB = %.2f MB per million codes; scanner=%s%n",
          codes.bits, codes.n, built ? "built" : "reused", (System.nanoTime() - start) / 1e9, reader.leaves().size(),
          sizeOnDisk(path) / 1e6, loaded / 1e6, held / 1e6, held / 1e6 / (codes.n / 1e6), HammingScanner.INSTANCE);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
      reader.close();
      dir.close();
    }
  }

  /** The scan of {@link #query} alone: our hot loop and top-k selection, without the searcher around them. */
  @Benchmark
  public long[] scan(CodeIndex index) throws IOException {
    SegmentCodes codes = index.codes;
    HammingTopK top = new HammingTopK(K, bits);
    HammingScanner.INSTANCE.scan(codes, queries[nextQuery()].words(), 0, codes.maxDoc(), null, top);
    return top.sortedKeys();
  }

  @Benchmark
  public TopDocs query(CodeIndex index) throws IOException {
    return index.searcher.search(new HammingDistanceQuery(FIELD, queries[nextQuery()], K, bits, null, index.cache), K);
  }

  /** Lucene's bit vectors (HNSW graph + flat vectors) over the same codes. */
  @State(Scope.Benchmark)
  public static class BitVectorIndex {
    Directory dir;
    DirectoryReader reader;
    IndexSearcher searcher;

    @Setup(Level.Trial)
    public void open(HammingSearchBenchmark codes) throws IOException {
      Path path = Path.of("target", "bench-indexes", "hnswbits-" + codes.bits + "-" + codes.n);
      long start = System.nanoTime();
      boolean built = buildIfAbsent(path, codes, (writer, doc) -> {
        Document document = new Document();
        document.add(new KnnByteVectorField(FIELD, codes.codeBytes(doc), VectorSimilarityFunction.EUCLIDEAN));
        writer.addDocument(document);
      }, new Lucene104Codec() {
        @Override
        public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
          return new HnswBitVectorsFormat();
        }
      });
      dir = new MMapDirectory(path);
      reader = DirectoryReader.open(dir);
      searcher = new IndexSearcher(reader);
      double recall = 0;
      for (int q = 0; q < QUERIES; q++) {
        TopTen exact = exactTopTen(codes, codes.queryWords[q]);
        int tenth = exact.distances[K - 1];
        TopDocs approx = searcher.search(
            new KnnByteVectorQuery(FIELD, codes.queries[q].toBytes(), K), K);
        int found = 0;
        for (ScoreDoc hit : approx.scoreDocs) {
          long[] w = Arrays.copyOfRange(codes.contiguous, hit.doc * codes.words, hit.doc * codes.words + codes.words);
          int d = 0;
          for (int j = 0; j < w.length; j++) {
            d += Long.bitCount(w[j] ^ codes.queryWords[q][j]);
          }
          if (d <= tenth) {
            found++; // as good as the exact 10th: a correct answer (ties make the exact set ambiguous)
          }
        }
        recall += found / (double) K;
      }
      System.out.printf(Locale.ROOT,
          "%n[bit-vector index] bits=%d n=%d %s in %.1f s, %d segment(s), %.1f MB on disk; HNSW recall@10 = %.3f%n",
          codes.bits, codes.n, built ? "built" : "reused", (System.nanoTime() - start) / 1e9, reader.leaves().size(),
          sizeOnDisk(path) / 1e6, recall / QUERIES);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
      reader.close();
      dir.close();
    }
  }

  static TopTen exactTopTen(HammingSearchBenchmark codes, long[] q) {
    TopTen top = new TopTen();
    int worst = Integer.MAX_VALUE;
    for (int doc = 0; doc < codes.n; doc++) {
      int d = 0;
      for (int j = 0; j < codes.words; j++) {
        d += Long.bitCount(codes.contiguous[doc * codes.words + j] ^ q[j]);
      }
      if (d < worst) {
        worst = top.add(doc, d);
      }
    }
    return top;
  }

  /** Lucene's exact path: approximate search replaced by the exact scan over the flat bit vectors. */
  static final class ExactBitVectorQuery extends KnnByteVectorQuery {
    ExactBitVectorQuery(String field, byte[] target, int k) {
      super(field, target, k);
    }

    @Override
    protected TopDocs approximateSearch(LeafReaderContext context, AcceptDocs acceptDocs, int visitedLimit,
        KnnCollectorManager knnCollectorManager) throws IOException {
      return exactSearch(context, acceptDocs.iterator(), null);
    }
  }

  @Benchmark
  public TopDocs luceneExactBitVectors(BitVectorIndex index) throws IOException {
    return index.searcher.search(new ExactBitVectorQuery(FIELD, queries[nextQuery()].toBytes(), K), K);
  }

  @Benchmark
  public TopDocs luceneHnsw(BitVectorIndex index) throws IOException {
    return index.searcher.search(new KnnByteVectorQuery(FIELD, queries[nextQuery()].toBytes(), K), K);
  }

  interface DocWriter {
    void write(IndexWriter writer, int doc) throws IOException;
  }

  static boolean buildIfAbsent(Path path, HammingSearchBenchmark codes, DocWriter docs, Codec codec)
      throws IOException {
    Path done = path.resolve("complete");
    if (Files.exists(done)) {
      return false;
    }
    Files.createDirectories(path);
    try (Directory dir = new MMapDirectory(path)) {
      IndexWriterConfig config = new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.CREATE)
          .setRAMBufferSizeMB(4096).setMaxBufferedDocs(codes.n + 1);
      if (codec != null) {
        config.setCodec(codec);
      }
      try (IndexWriter writer = new IndexWriter(dir, config)) {
        for (int doc = 0; doc < codes.n; doc++) {
          docs.write(writer, doc);
        }
        writer.forceMerge(1);
      }
    }
    Files.writeString(done, "ok");
    return true;
  }

  static long sizeOnDisk(Path path) throws IOException {
    try (var files = Files.list(path)) {
      return files.mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
