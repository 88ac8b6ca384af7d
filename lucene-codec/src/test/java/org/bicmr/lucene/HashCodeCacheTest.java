package org.bicmr.lucene;

import static org.bicmr.lucene.HammingDistanceQueryTest.CODE;
import static org.bicmr.lucene.HammingDistanceQueryTest.bitByBitDistance;
import static org.bicmr.lucene.HammingDistanceQueryTest.randomCode;
import static org.bicmr.lucene.HammingDistanceQueryTest.withCode;

import com.carrotsearch.randomizedtesting.RandomizedContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FilterDirectoryReader;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.RamUsageEstimator;
import org.bicmr.codes.HashCode;

/**
 * The code arrays: loaded once per segment core, counted, released with the segment; bounded by a byte limit with
 * least-recently-used eviction of arrays no search holds; refusals that leave nothing held; the accounting hook told
 * of every byte.
 */
public class HashCodeCacheTest extends LuceneTestCase {

  /** An accounting hook that keeps the balance and can be told to refuse. */
  private static final class Balance implements HashCodeCache.Accounting {
    final AtomicLong reserved = new AtomicLong();
    final AtomicLong calls = new AtomicLong();
    volatile long refuseAbove = Long.MAX_VALUE;
    /** Like a circuit breaker: refuses what would take the total reserved above this. */
    volatile long limit = Long.MAX_VALUE;

    @Override
    public synchronized void reserve(long bytes, String what) {
      calls.incrementAndGet();
      if (bytes > refuseAbove) {
        throw new IllegalStateException("refused " + bytes + " bytes for " + what);
      }
      if (reserved.get() + bytes > limit) {
        throw new IllegalStateException("over the limit: " + reserved.get() + " + " + bytes + " > " + limit);
      }
      reserved.addAndGet(bytes);
    }

    @Override
    public synchronized void release(long bytes) {
      assertTrue("released " + bytes, bytes > 0);
      reserved.addAndGet(-bytes);
    }
  }

  public void testCodeArraysAreReleasedWithTheSegments() throws IOException {
    Balance balance = new Balance();
    HashCodeCache cache = new HashCodeCache(Long.MAX_VALUE, balance);
    try (Directory dir = newDirectory()) {
      try (IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig())) {
        for (int i = 0; i < 1000; i++) {
          writer.addDocument(withCode(String.format(Locale.ROOT, "%016x", i * 0x9E3779B97F4A7C15L)));
        }
      }
      try (IndexReader reader = DirectoryReader.open(dir)) {
        HashCode zero = HashCode.fromHex("0000000000000000");
        new IndexSearcher(reader).search(HashCodeField.newQuery(CODE, zero, 3, 64, null, cache), 3);
        long held = cache.ramBytesUsed();
        assertTrue("held " + held, held >= 1000 * 8 && held < 1000 * 8 + 4096);
        assertEquals(held, balance.reserved.get());
        assertEquals(reader.leaves().size(), cache.loadCount());
        assertEquals(reader.leaves().size(), cache.segmentCount());
      }
      assertEquals(0, cache.ramBytesUsed());
      assertEquals(0, balance.reserved.get());
      assertEquals(0, cache.segmentCount());
      assertEquals(0, cache.evictionCount()); // a closed segment's array is released, not evicted
    }
  }

  public void testDeletionsDoNotReloadTheArrays() throws IOException {
    HashCodeCache cache = new HashCodeCache(Long.MAX_VALUE);
    try (Directory dir = newDirectory()) {
      try (IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig())) {
        for (int i = 0; i < 100; i++) {
          writer.addDocument(withCode(String.format(Locale.ROOT, "%04x", i)));
        }
        writer.commit();
        try (DirectoryReader reader = DirectoryReader.open(writer)) {
          IndexSearcher searcher = new IndexSearcher(reader);
          HashCode code = HashCode.fromHex("0005");
          assertEquals(1, searcher.count(HashCodeField.newQuery(CODE, code, HammingDistanceQuery.ALL, 0, null, cache)));
          assertEquals(8, searcher.count(HashCodeField.newQuery(CODE, code, HammingDistanceQuery.ALL, 1, null, cache)));
          long held = cache.ramBytesUsed();
          int segments = cache.segmentCount();
          long loads = cache.loadCount();
          writer.deleteDocuments(new Term(CODE, new BytesRef(code.toBytes())));
          try (DirectoryReader reopened = DirectoryReader.openIfChanged(reader, writer)) {
            assertNotNull(reopened);
            IndexSearcher after = new IndexSearcher(reopened);
            assertEquals(0, after.count(HashCodeField.newQuery(CODE, code, HammingDistanceQuery.ALL, 0, null, cache)));
            // within 1 bit of 0x0005 among 0..99: 0x01, 0x04, 0x07, 0x0d, 0x15, 0x25, 0x45, and 0x05 itself (deleted)
            assertEquals(7, after.count(HashCodeField.newQuery(CODE, code, HammingDistanceQuery.ALL, 1, null, cache)));
            assertEquals(held, cache.ramBytesUsed()); // same core, same arrays
            assertEquals(segments, cache.segmentCount());
            assertEquals(loads, cache.loadCount());
          }
        }
      }
    }
  }

  /**
   * Several indexes of several segments, searched in random order by the query and the collector under a limit that
   * holds the largest segment but not all of them: arrays are evicted and reloaded, and every answer equals a
   * brute-force scan; the bytes held never exceed the limit, the hook's balance is the bytes held, and both return
   * to 0 when the readers close.
   */
  public void testAnswersUnderATinyLimitEqualBruteForce() throws IOException {
    String seed = RandomizedContext.current().getRunnerSeedAsString();
    System.out.println("HashCodeCacheTest seed: " + seed + " (rerun with -Dtests.seed=" + seed + ")");
    Random random = random();
    int bits = new int[] {8, 16, 64, 72, 128, 256}[random.nextInt(6)];
    int indexes = 2 + random.nextInt(3);
    List<Directory> dirs = new ArrayList<>();
    List<DirectoryReader> readers = new ArrayList<>();
    List<byte[][]> codes = new ArrayList<>(); // per index, per doc (the index is never merged, doc ids are add order)
    Balance balance = new Balance();
    HashCodeCache cache = new HashCodeCache(Long.MAX_VALUE, balance);
    try {
      long largest = 0;
      long total = 0;
      for (int i = 0; i < indexes; i++) {
        Directory dir = newDirectory();
        dirs.add(dir);
        int n = 50 + random.nextInt(400);
        byte[][] docs = new byte[n][];
        IndexWriterConfig config = new IndexWriterConfig().setMergePolicy(NoMergePolicy.INSTANCE)
            .setMaxBufferedDocs(10 + random.nextInt(100));
        try (IndexWriter writer = new IndexWriter(dir, config)) {
          for (int d = 0; d < n; d++) {
            Document doc = new Document();
            if (random.nextInt(10) != 0) { // some documents have no code
              docs[d] = randomCode(random, bits);
              doc.add(new HashCodeField(CODE, HashCode.fromBytes(docs[d])));
            }
            doc.add(new StoredField("n", d));
            writer.addDocument(doc);
          }
        }
        codes.add(docs);
        DirectoryReader reader = DirectoryReader.open(dir);
        readers.add(reader);
        for (LeafReaderContext leaf : reader.leaves()) {
          long bytes = SegmentCodes.ramBytesFor(leaf.reader().maxDoc(), bits);
          largest = Math.max(largest, bytes);
          total += bytes;
        }
      }
      long limit = largest + random.nextLong(Math.max(1, total / 3));
      cache.setMaxBytes(limit);
      String context = "seed=" + seed + " bits=" + bits + " limit=" + limit + " total=" + total;
      int searches = atLeast(60);
      for (int s = 0; s < searches; s++) {
        int i = random.nextInt(indexes);
        IndexSearcher searcher = new IndexSearcher(readers.get(i)); // no executor: one segment held at a time
        HashCode query = HashCode.fromBytes(randomCode(random, bits));
        int k = 1 + random.nextInt(20);
        int radius = random.nextBoolean() ? bits : random.nextInt(bits + 1);
        List<long[]> expected = bruteForce(codes.get(i), query.toBytes(), radius);
        TopDocs top = random.nextBoolean()
            ? searcher.search(new HammingDistanceQuery(CODE, query, k, radius, null, cache), k)
            : searcher.search(new MatchAllDocsQuery(), new HammingTopKCollectorManager(CODE, query, k, radius, cache));
        assertEquals(context, Math.min(k, expected.size()), top.scoreDocs.length);
        for (int h = 0; h < top.scoreDocs.length; h++) {
          ScoreDoc hit = top.scoreDocs[h];
          assertEquals(context + " hit " + h, expected.get(h)[1], hit.doc);
          assertEquals(context + " hit " + h, expected.get(h)[0], HammingDistanceQuery.distance(hit.score));
        }
        assertTrue(context + " held " + cache.ramBytesUsed(), cache.ramBytesUsed() <= limit);
        assertEquals(context + " no search holds an array after it ends", 0, cache.inUseBytes());
        assertEquals(context, cache.ramBytesUsed(), balance.reserved.get());
      }
      assertTrue(context + ": " + cache, cache.evictionCount() > 0 || total <= limit);
      assertEquals(context, 0, cache.refusalCount());
      assertTrue(context, cache.loadCount() >= cache.evictionCount());
    } finally {
      org.apache.lucene.util.IOUtils.close(readers);
      org.apache.lucene.util.IOUtils.close(dirs);
    }
    assertEquals(cache.toString(), 0, cache.ramBytesUsed());
    assertEquals(0, balance.reserved.get());
    assertEquals(0, cache.segmentCount());
  }

  /** (distance, doc) of the documents within {@code radius}, closest first, ties by doc. */
  private static List<long[]> bruteForce(byte[][] docs, byte[] query, int radius) {
    List<long[]> hits = new ArrayList<>();
    for (int doc = 0; doc < docs.length; doc++) {
      if (docs[doc] != null) {
        int d = bitByBitDistance(docs[doc], query);
        if (d <= radius) {
          hits.add(new long[] {d, doc});
        }
      }
    }
    hits.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    return hits;
  }

  /** Two one-segment indexes with 1,000 and 2,000 64-bit codes. */
  private static final class TwoIndexes implements AutoCloseable {
    final Directory dirA = newDirectory();
    final Directory dirB = newDirectory();
    final DirectoryReader a;
    final DirectoryReader b;

    TwoIndexes() throws IOException {
      a = index(dirA, 1000);
      b = index(dirB, 2000);
    }

    private static DirectoryReader index(Directory dir, int n) throws IOException {
      try (IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig())) {
        for (int i = 0; i < n; i++) {
          writer.addDocument(withCode(String.format(Locale.ROOT, "%016x", i * 0x9E3779B97F4A7C15L)));
        }
        writer.forceMerge(1);
      }
      return DirectoryReader.open(dir);
    }

    static long bytes(DirectoryReader reader) {
      return SegmentCodes.ramBytesFor(reader.maxDoc(), 64) - bitSetBytes(reader.maxDoc());
    }

    @Override
    public void close() throws IOException {
      org.apache.lucene.util.IOUtils.close(a, b, dirA, dirB);
    }
  }

  /** What a full segment does not keep after loading: the bit set of documents with a code. */
  private static long bitSetBytes(int maxDoc) {
    return RamUsageEstimator.shallowSizeOfInstance(FixedBitSet.class)
        + RamUsageEstimator.sizeOf(new long[FixedBitSet.bits2words(maxDoc)]);
  }

  private static TopDocs top3(IndexReader reader, HashCodeCache cache) throws IOException {
    return new IndexSearcher(reader).search(
        HashCodeField.newQuery(CODE, HashCode.fromHex("0000000000000000"), 3, 64, null, cache), 3);
  }

  public void testAnArrayInUseIsNeverEvictedAndARefusalNamesTheFigures() throws IOException {
    try (TwoIndexes two = new TwoIndexes()) {
      Balance balance = new Balance();
      long a = TwoIndexes.bytes(two.a);
      long b = TwoIndexes.bytes(two.b);
      long asked = SegmentCodes.ramBytesFor(two.b.maxDoc(), 64); // B's arrays before it is known that all have codes
      HashCodeCache cache = new HashCodeCache(asked, balance); // room for either array, not both
      LeafReader leafA = two.a.leaves().get(0).reader();
      try (HashCodeCache.Lease lease = HashCodeCache.acquire(cache, leafA, CODE)) { // a search holding A's codes
        assertEquals(a, cache.ramBytesUsed());
        assertEquals(a, cache.inUseBytes());
        HashCodeCache.LimitExceededException e = expectThrows(HashCodeCache.LimitExceededException.class,
            () -> top3(two.b, cache));
        assertEquals(asked, e.limit());
        assertEquals(a, e.held());
        assertEquals(asked, e.asked());
        assertTrue(e.getMessage(), e.getMessage().startsWith("cannot load the codes of field [code] in segment [_"));
        assertTrue(e.getMessage(), e.getMessage().endsWith(": " + asked + " bytes asked, " + a + " bytes held (" + a
            + " by searches in progress, which cannot be evicted), limit " + asked + " bytes"));
        // nothing of the refused load is held or counted, and the array in use is still there
        assertEquals(a, cache.ramBytesUsed());
        assertEquals(a, balance.reserved.get());
        assertEquals(1, cache.refusalCount());
        assertEquals(0, cache.evictionCount());
        assertEquals(1, cache.loadCount());
        assertEquals(1, cache.segmentCount());
        assertEquals(1000, lease.codes().count());
        assertEquals(3, top3(two.a, cache).scoreDocs.length); // searches that fit go on
        assertEquals(1, cache.loadCount());
      }
      // A is idle now: B evicts it
      assertEquals(0, cache.inUseBytes());
      assertEquals(3, top3(two.b, cache).scoreDocs.length);
      assertEquals(b, cache.ramBytesUsed());
      assertEquals(b, balance.reserved.get());
      assertEquals(1, cache.evictionCount());
      assertEquals(2, cache.loadCount());
      assertEquals(1, cache.segmentCount());
      // lowering the limit evicts idle arrays at once; raising it evicts nothing
      cache.setMaxBytes(b - 1);
      assertEquals(0, cache.ramBytesUsed());
      assertEquals(0, balance.reserved.get());
      assertEquals(2, cache.evictionCount());
      cache.setMaxBytes(SegmentCodes.ramBytesFor(two.a.maxDoc(), 64) + asked);
      top3(two.a, cache);
      top3(two.b, cache);
      assertEquals(a + b, cache.ramBytesUsed());
      assertEquals(2, cache.evictionCount());
      assertEquals(2, cache.segmentCount());
      // lowered while B is held: A goes at once, B when its search ends
      try (HashCodeCache.Lease lease = HashCodeCache.acquire(cache, two.b.leaves().get(0).reader(), CODE)) {
        cache.setMaxBytes(a - 1);
        assertEquals(b, cache.ramBytesUsed());
        assertEquals(2000, lease.codes().count());
      }
      assertEquals(0, cache.ramBytesUsed());
      assertEquals(0, balance.reserved.get());
      assertEquals(4, cache.evictionCount());
      IllegalArgumentException negative = expectThrows(IllegalArgumentException.class, () -> cache.setMaxBytes(-1));
      assertEquals("maxBytes must be at least 0, got -1", negative.getMessage());
      assertEquals(a - 1, cache.maxBytes());
    }
  }

  public void testARefusalByTheAccountingLeavesNothingHeld() throws IOException {
    try (TwoIndexes two = new TwoIndexes()) {
      Balance balance = new Balance();
      HashCodeCache cache = new HashCodeCache(Long.MAX_VALUE, balance);
      balance.refuseAbove = TwoIndexes.bytes(two.a) + 4096; // A fits, B does not
      top3(two.a, cache);
      IllegalStateException e = expectThrows(IllegalStateException.class, () -> top3(two.b, cache));
      assertEquals("refused " + SegmentCodes.ramBytesFor(two.b.maxDoc(), 64) + " bytes for codes of field [code] in "
          + "segment [" + ((org.apache.lucene.index.SegmentReader) two.b.leaves().get(0).reader()).getSegmentName()
          + "]", e.getMessage());
      assertEquals(TwoIndexes.bytes(two.a), cache.ramBytesUsed());
      assertEquals(cache.ramBytesUsed(), balance.reserved.get());
      assertEquals(1, cache.refusalCount());
      assertEquals(1, cache.loadCount());
      assertEquals(1, cache.segmentCount());
      balance.refuseAbove = Long.MAX_VALUE; // the next search loads it
      assertEquals(3, top3(two.b, cache).scoreDocs.length);
      assertEquals(2, cache.loadCount());
      assertEquals(cache.ramBytesUsed(), balance.reserved.get());
    }
  }

  /** The hook is asked before the arrays exist: at most what a segment can take, then the excess comes back. */
  public void testTheReservationIsTheArraysSize() throws IOException {
    try (Directory dir = newDirectory()) {
      try (IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig())) {
        for (int i = 0; i < 300; i++) {
          writer.addDocument(i % 3 == 0 ? new Document() : withCode(String.format(Locale.ROOT, "%06x", i)));
        }
        writer.forceMerge(1);
      }
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        LeafReader leaf = reader.leaves().get(0).reader();
        Balance balance = new Balance();
        HashCodeCache cache = new HashCodeCache(Long.MAX_VALUE, balance);
        try (HashCodeCache.Lease lease = HashCodeCache.acquire(cache, leaf, CODE)) {
          assertNotNull(lease.codes().docsWithCode());
          assertEquals(SegmentCodes.ramBytesFor(300, 24), lease.codes().ramBytesUsed());
          assertEquals(lease.codes().ramBytesUsed(), cache.ramBytesUsed());
          assertEquals(lease.codes().ramBytesUsed(), balance.reserved.get());
        }
        assertNull(HashCodeCache.acquire(cache, leaf, "no_such_field"));
        assertEquals(1, balance.calls.get());
      }
    }
  }

  /** Readers without a core cache key get an array per search, counted while the search holds it. */
  public void testReadersWithoutACoreKeyHoldTheirArrayForOneSearch() throws IOException {
    try (TwoIndexes two = new TwoIndexes()) {
      Balance balance = new Balance();
      HashCodeCache cache = new HashCodeCache(Long.MAX_VALUE, balance);
      DirectoryReader keyless = new FilterDirectoryReader(DirectoryReader.open(two.dirA),
          new FilterDirectoryReader.SubReaderWrapper() {
            @Override
            public LeafReader wrap(LeafReader reader) {
              return new FilterLeafReader(reader) {
                @Override
                public CacheHelper getCoreCacheHelper() {
                  return null;
                }

                @Override
                public CacheHelper getReaderCacheHelper() {
                  return null;
                }
              };
            }
          }) {
        @Override
        protected DirectoryReader doWrapDirectoryReader(DirectoryReader in) {
          throw new UnsupportedOperationException();
        }

        @Override
        public CacheHelper getReaderCacheHelper() {
          return null;
        }
      };
      try (keyless) {
        try (HashCodeCache.Lease lease = HashCodeCache.acquire(cache, keyless.leaves().get(0).reader(), CODE)) {
          assertEquals(TwoIndexes.bytes(two.a), cache.ramBytesUsed());
          assertEquals(0, cache.segmentCount()); // not cached
          assertEquals(1000, lease.codes().count());
        }
        assertEquals(0, cache.ramBytesUsed());
        assertEquals(0, balance.reserved.get());
        assertEquals(3, top3(keyless, cache).scoreDocs.length);
        assertEquals(2, cache.loadCount());
        assertEquals(0, cache.ramBytesUsed());
      }
    }
  }

  /**
   * Threads searching the same indexes at once under a limit that holds one array per thread: one load per array at
   * a time (the others wait for it), every answer right, the limit kept, the balance back to 0 after closing.
   */
  public void testConcurrentSearchesShareLoadsAndKeepTheLimit() throws Exception {
    try (TwoIndexes two = new TwoIndexes()) {
      Balance balance = new Balance();
      int threads = 2 + random().nextInt(3);
      long limit = threads * TwoIndexes.bytes(two.b);
      HashCodeCache cache = new HashCodeCache(limit, balance);
      TopDocs expectedA = top3(two.a, null);
      TopDocs expectedB = top3(two.b, null);
      CountDownLatch start = new CountDownLatch(1);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long seed = random().nextLong();
        Thread worker = new Thread(() -> {
          Random r = new Random(seed);
          try {
            start.await();
            for (int s = 0; s < 50; s++) {
              boolean useA = r.nextBoolean();
              TopDocs got = top3(useA ? two.a : two.b, cache);
              TopDocs expected = useA ? expectedA : expectedB;
              for (int h = 0; h < 3; h++) {
                if (got.scoreDocs[h].doc != expected.scoreDocs[h].doc) {
                  throw new AssertionError("hit " + h + " differs");
                }
              }
              if (cache.ramBytesUsed() > limit) {
                throw new AssertionError("held " + cache.ramBytesUsed() + " > " + limit);
              }
            }
          } catch (Throwable e) {
            failure.compareAndSet(null, e);
          }
        });
        workers.add(worker);
        worker.start();
      }
      start.countDown();
      for (Thread worker : workers) {
        worker.join();
      }
      if (failure.get() != null) {
        throw new AssertionError(failure.get());
      }
      assertEquals(2, cache.loadCount()); // the limit holds both: loaded once each, never evicted
      assertEquals(0, cache.refusalCount());
      assertEquals(cache.ramBytesUsed(), balance.reserved.get());
      org.apache.lucene.util.IOUtils.close(two.a, two.b);
      assertEquals(0, cache.ramBytesUsed());
      assertEquals(0, balance.reserved.get());
    }
  }

  /**
   * Searches with an executor (a segment per task) over indexes of several segments, one index at a time, under a
   * limit that holds about two indexes and an accounting with the same limit (as a circuit breaker has): the segments
   * of the index being searched are loaded at once, each making room by evicting idle arrays, and no search is
   * refused, by the cache or by the accounting (which once refused loads while another thread's evicted bytes were
   * not yet released to it).
   */
  public void testSegmentsLoadedAtOnceEvictIdleArraysInTurn() throws Exception {
    int indexes = 4;
    int segments = 3;
    int perSegment = 2000;
    List<Directory> dirs = new ArrayList<>();
    List<DirectoryReader> readers = new ArrayList<>();
    java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newFixedThreadPool(segments);
    try {
      for (int i = 0; i < indexes; i++) {
        Directory dir = newDirectory();
        dirs.add(dir);
        try (IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig().setMergePolicy(NoMergePolicy.INSTANCE))) {
          for (int s = 0; s < segments; s++) {
            for (int d = 0; d < perSegment; d++) {
              writer.addDocument(withCode(String.format(Locale.ROOT, "%016x", (i * 7919L + s * 104729L + d)
                  * 0x9E3779B97F4A7C15L)));
            }
            writer.commit();
          }
        }
        readers.add(DirectoryReader.open(dir));
      }
      long asked = SegmentCodes.ramBytesFor(perSegment, 64);
      Balance balance = new Balance();
      long limit = 2 * segments * asked + asked / 2;
      balance.limit = limit;
      HashCodeCache cache = new HashCodeCache(limit, balance);
      for (int round = 0; round < 20; round++) {
        for (int i = 0; i < indexes; i++) {
          IndexSearcher searcher = new IndexSearcher(readers.get(i), executor);
          searcher.search(HashCodeField.newQuery(CODE, HashCode.fromHex("0123456789abcdef"), 5, 64, null, cache), 5);
          assertTrue(cache.toString(), cache.ramBytesUsed() <= cache.maxBytes());
        }
      }
      assertEquals(cache.toString(), 0, cache.refusalCount());
      assertTrue(cache.toString(), cache.evictionCount() > 0);
      assertEquals(cache.ramBytesUsed(), balance.reserved.get());
    } finally {
      executor.shutdown();
      org.apache.lucene.util.IOUtils.close(readers);
      org.apache.lucene.util.IOUtils.close(dirs);
    }
  }

  public void testANegativeLimitIsRefused() {
    IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> new HashCodeCache(-5));
    assertEquals("maxBytes must be at least 0, got -5", e.getMessage());
    expectThrows(NullPointerException.class, () -> new HashCodeCache(0, null));
  }
}
