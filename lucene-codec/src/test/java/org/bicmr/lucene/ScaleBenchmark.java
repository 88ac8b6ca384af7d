package org.bicmr.lucene;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
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
 * Issue "Scale": the scan, multi-index hashing (forced, and as the cost model chooses) and HNSW on n codes of l bits,
 * one segment, one thread. {@code size} is "bits:n"; {@code substrings} is m (one index per m, so each index's size
 * and build time are its own); {@code radius} -1 is exact top 10, otherwise every code within the radius. The HNSW
 * variant ({@code hnsw}, top 10 only) searches a separate index written with {@link HashCodeGraphCodec}, and prints
 * its recall@10 against the scan. Setup prints build time, size on disk and heap held, and writes the codes and
 * queries as raw bytes ({@code codes.u8}, {@code queries.u8}) for {@code benchmarks/faiss_binary.py}. Run with
 * {@code bin/bench-scale} (10M and 1M codes) or {@code bin/bench-lucene-mih} (1M 64-bit codes, m = 2, 3, 4).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx6g", "-Xms6g"})
@State(Scope.Benchmark)
public class ScaleBenchmark {
  static final int QUERIES = 64;
  /** Hits compared per query by the setup's check (all of them for every radius measured here). */
  private static final int CHECKED_HITS = 1 << 20;
  private static final String FIELD = "code";

  @Param({"64:10000000"})
  public String size;

  @Param({"random", "clustered"})
  public String codes;

  @Param({"3"})
  public int substrings;

  @Param({"-1", "0", "1", "2", "3", "6"})
  public int radius;

  private int bits;
  private int n;
  private Directory directory;
  private DirectoryReader reader;
  private IndexSearcher searcher;
  /** Holds the code arrays of both indexes for the whole trial. */
  private final HashCodeCache cache = new HashCodeCache(Long.MAX_VALUE);
  private HashCode[] queries;
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    bits = Integer.parseInt(size.split(":")[0]);
    n = Integer.parseInt(size.split(":")[1]);
    Path root = Path.of("target", "bench-indexes", "scale-" + codes + "-" + bits + "-" + n);
    queries = writeCodes(root);
    Path path = root.resolve("mih-" + substrings);
    build(path, null, (code, doc) -> {
      doc.add(new HashCodeField(FIELD, code));
      doc.add(new HashCodeSubstringsField(FIELD, code, substrings));
    });
    open(path);
    checkAgainstScan();
  }

  /**
   * Every query's answer through the substrings (as the cost model chooses, and forced where that finishes in
   * reasonable time) equals the scan's: same documents, same scores, same order. A benchmark of wrong answers is
   * refused.
   */
  private void checkAgainstScan() throws IOException {
    boolean forced = radius >= 0 && radius <= 3 || codes.equals("clustered") && radius != 6;
    int identical = 0;
    for (int i = 0; i < QUERIES; i++) {
      next = i;
      MultiIndexSearch.budgetForTests = 0;
      TopDocs scan = search(CHECKED_HITS);
      next = i;
      MultiIndexSearch.budgetForTests = -1;
      TopDocs auto = search(CHECKED_HITS);
      TopDocs mih = auto;
      if (forced) {
        next = i;
        MultiIndexSearch.budgetForTests = Long.MAX_VALUE;
        mih = search(CHECKED_HITS);
      }
      if (same(scan, auto) == false || same(scan, mih) == false) {
        throw new IllegalStateException("query " + i + ": multi-index hashing differs from the scan");
      }
      identical++;
    }
    MultiIndexSearch.budgetForTests = -1;
    next = 0;
    System.out.printf("answers identical to the scan: %d/%d (cost model%s)%n", identical, QUERIES,
        forced ? " and forced substrings" : "");
  }

  private static boolean same(TopDocs a, TopDocs b) {
    if (a.totalHits.value() != b.totalHits.value() || a.scoreDocs.length != b.scoreDocs.length) {
      return false;
    }
    for (int i = 0; i < a.scoreDocs.length; i++) {
      if (a.scoreDocs[i].doc != b.scoreDocs[i].doc || a.scoreDocs[i].score != b.scoreDocs[i].score) {
        return false;
      }
    }
    return true;
  }

  /** The codes in index order and the queries, regenerated from fixed seeds; written once as raw bytes. */
  private HashCode[] writeCodes(Path root) throws IOException {
    Files.createDirectories(root);
    Path codesFile = root.resolve("codes.u8");
    if (Files.exists(root.resolve("codes.done")) == false) {
      try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(codesFile), 1 << 20)) {
        forEachCode(code -> out.write(code.toBytes()));
      }
      Files.writeString(root.resolve("codes.done"), "");
    }
    SplittableRandom queryRandom = new SplittableRandom(7);
    long[][] centres = centres();
    HashCode[] q = new HashCode[QUERIES];
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(root.resolve("queries.u8")))) {
      for (int i = 0; i < QUERIES; i++) {
        q[i] = code(codes.equals("random")
            ? randomWords(queryRandom, bits)
            : member(centres, queryRandom));
        out.write(q[i].toBytes());
      }
    }
    return q;
  }

  private long[][] centres() {
    SplittableRandom random = new SplittableRandom(42);
    long[][] centres = new long[1000][];
    for (int c = 0; c < centres.length; c++) {
      centres[c] = randomWords(random, bits);
    }
    return centres;
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

  interface CodeSink {
    void accept(HashCode code) throws IOException;
  }

  interface DocWriter {
    void write(HashCode code, Document doc);
  }

  private void forEachCode(CodeSink sink) throws IOException {
    long[][] centres = centres();
    SplittableRandom random = new SplittableRandom(43);
    for (int i = 0; i < n; i++) {
      sink.accept(code(codes.equals("random")
          ? randomWords(random, bits)
          : member(centres, random)));
    }
  }

  private void build(Path path, Codec codec, DocWriter writer) throws IOException {
    if (Files.exists(path.resolve("done"))) {
      System.out.println("index " + path + ": " + Files.readString(path.resolve("done")).trim());
      return;
    }
    Files.createDirectories(path);
    long start = System.nanoTime();
    IndexWriterConfig config = new IndexWriterConfig().setRAMBufferSizeMB(1024)
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE);
    if (codec != null) {
      config.setCodec(codec);
    }
    try (Directory dir = new MMapDirectory(path); IndexWriter w = new IndexWriter(dir, config)) {
      forEachCode(code -> {
        Document doc = new Document();
        writer.write(code, doc);
        w.addDocument(doc);
      });
      w.forceMerge(1);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long bytes;
    try (Stream<Path> files = Files.list(path)) {
      bytes = files.filter(f -> f.getFileName().toString().equals("done") == false)
          .mapToLong(f -> f.toFile().length()).sum();
    }
    String line = String.format("built in %.1f s, %.1f MB on disk", seconds, bytes / 1e6);
    Files.writeString(path.resolve("done"), line + "\n");
    System.out.println("index " + path + ": " + line);
  }

  private void open(Path path) throws IOException {
    System.gc();
    long before = usedHeap();
    directory = new MMapDirectory(path);
    reader = DirectoryReader.open(directory);
    searcher = new IndexSearcher(reader);
    SegmentCodes loaded;
    try (HashCodeCache.Lease lease = HashCodeCache.acquire(cache, reader.leaves().get(0).reader(), FIELD)) {
      loaded = lease.codes();
    }
    System.gc();
    System.out.printf("heap held after opening and loading the codes: %.1f MB (code array %.1f MB)%n",
        (usedHeap() - before) / 1e6, loaded.ramBytesUsed() / 1e6);
  }

  private static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    MultiIndexSearch.budgetForTests = -1;
    reader.close();
    directory.close();
  }

  private TopDocs search() throws IOException {
    return search(10);
  }

  private TopDocs search(int hits) throws IOException {
    HashCode q = queries[next++ & (QUERIES - 1)];
    HammingDistanceQuery query = radius < 0
        ? new HammingDistanceQuery(FIELD, q, 10, bits, null, cache)
        : new HammingDistanceQuery(FIELD, q, HammingDistanceQuery.ALL, radius, null, cache);
    return searcher.search(query, hits);
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

  /** The HNSW index (Lucene's defaults M 16, beam 100) of the same codes, and its recall@10 against the scan. */
  @State(Scope.Benchmark)
  public static class Graph {
    IndexSearcher searcher;
    HashCode[] queries;
    private DirectoryReader reader;
    private Directory directory;

    @Setup(Level.Trial)
    public void setUp(ScaleBenchmark codes) throws IOException {
      Path path = Path.of("target", "bench-indexes", "scale-" + codes.codes + "-" + codes.bits + "-" + codes.n, "hnsw");
      codes.build(path, new HashCodeGraphCodec(Codec.getDefault()), (code, doc) -> {
        doc.add(new HashCodeField(FIELD, code));
        doc.add(new HashCodeGraphField(FIELD, code));
      });
      directory = new MMapDirectory(path);
      reader = DirectoryReader.open(directory);
      searcher = new IndexSearcher(reader);
      queries = codes.queries;
      int found = 0;
      for (HashCode q : queries) {
        TopDocs exact = codes.searcher.search(new HammingDistanceQuery(FIELD, q, 10, codes.bits, null, codes.cache), 10);
        int tenth = HammingDistanceQuery.distance(exact.scoreDocs[exact.scoreDocs.length - 1].score);
        for (ScoreDoc hit : searcher.search(new HammingDistanceQuery(FIELD, q, 10, codes.bits, null, true, codes.cache), 10)
            .scoreDocs) {
          if (HammingDistanceQuery.distance(hit.score) <= tenth) {
            found++; // a hit counts if it is as near as the exact 10th (ties make doc ids ambiguous)
          }
        }
      }
      System.out.printf("HNSW recall@10 %.3f over %d queries%n", found / (10.0 * queries.length), queries.length);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      reader.close();
      directory.close();
    }
  }

  @Benchmark
  public TopDocs hnsw(Graph graph) throws IOException {
    HashCode q = graph.queries[next++ & (QUERIES - 1)];
    return graph.searcher.search(new HammingDistanceQuery(FIELD, q, 10, bits, null, true, cache), 10);
  }
}
