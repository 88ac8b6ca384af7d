package org.bicmr.lucene;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.index.RandomIndexWriter;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.tests.util.TestUtil;
import org.apache.lucene.util.BytesRef;
import org.bicmr.codes.HashCode;

/**
 * Every answer of {@link HammingDistanceQuery} and {@link HammingTopKCollectorManager} compared with a brute-force scan
 * over the codes the test kept itself, on random indexes (random l, codecs, segment layouts, deletions, updates,
 * missing values, filters, executors and intra-segment partitions).
 */
public class HammingDistanceQueryTest extends LuceneTestCase {
  static final String CODE = "code";
  private static final String ID = "id";
  private static final String GROUP = "group";
  private static final int GROUPS = 4;

  /** A document as the test knows it: code null when the document has none. */
  private record Doc(int id, byte[] code, int group) {}

  public void testRandomIndexesAgainstBruteForce() throws IOException {
    int iterations = atLeast(4);
    for (int i = 0; i < iterations; i++) {
      checkRandomIndex(randomBits(random()));
    }
  }

  public void testShortAndLongCodesAgainstBruteForce() throws IOException {
    checkRandomIndex(8); // 9 distinct distances: ties everywhere
    checkRandomIndex(HashCode.MAX_BITS);
  }

  /**
   * Multi-index hashing: the same random indexes (deletions, updates, missing codes, filters, executors) with every
   * code's substrings indexed too, the probe budget forced high enough that small segments take the substring path;
   * every answer must still equal the brute-force scan.
   */
  public void testMultiIndexHashingAgainstBruteForce() throws IOException {
    long before = MultiIndexSearch.SEARCHES.get();
    // about 1,600 term lookups: small segments take the substrings, large radii fall back to the scan
    MultiIndexSearch.budgetForTests = 5_000_000;
    try {
      int iterations = atLeast(4);
      for (int i = 0; i < iterations; i++) {
        int bits = new int[] {8, 16, 24, 32, 64, 128}[random().nextInt(6)];
        int min = (bits + 63) / 64;
        substrings = min + random().nextInt(Math.min(bits, 16) - min + 1);
        checkRandomIndex(bits);
      }
    } finally {
      MultiIndexSearch.budgetForTests = -1;
      substrings = 0;
    }
    assertTrue("the substring path ran", MultiIndexSearch.SEARCHES.get() > before);
  }

  /**
   * The pigeonhole bound by hand: 16-bit codes in two 8-bit substrings, query 0000. After probing radius 0 only codes
   * within 1 are guaranteed found; a code at distance 2 with one bit in each half (0101) is found only at radius 1.
   */
  public void testMultiIndexBoundByHand() throws IOException {
    MultiIndexSearch.budgetForTests = Long.MAX_VALUE;
    try (Directory dir = newDirectory()) {
      try (IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig())) {
        for (String hex : new String[] {"0007", "0101", "ffff"}) { // d = 3 (one half exact), 2 (both halves at 1), 16
          Document doc = new Document();
          doc.add(new HashCodeField(CODE, HashCode.fromHex(hex)));
          doc.add(new HashCodeSubstringsField(CODE, HashCode.fromHex(hex), 2));
          writer.addDocument(doc);
        }
      }
      try (IndexReader reader = DirectoryReader.open(dir)) {
        IndexSearcher searcher = new IndexSearcher(reader);
        HashCode zero = HashCode.fromHex("0000");
        long before = MultiIndexSearch.SEARCHES.get();
        TopDocs top1 = searcher.search(new HammingDistanceQuery(CODE, zero, 1, 16, null), 3);
        assertEquals(1, top1.scoreDocs.length);
        assertEquals("the d = 2 code, not the d = 3 one found first", 1, top1.scoreDocs[0].doc);
        TopDocs radius2 = searcher.search(new HammingDistanceQuery(CODE, zero, HammingDistanceQuery.ALL, 2, null), 3);
        assertEquals(1, radius2.scoreDocs.length);
        assertEquals(1, radius2.scoreDocs[0].doc);
        TopDocs radius3 = searcher.search(new HammingDistanceQuery(CODE, zero, HammingDistanceQuery.ALL, 3, null), 3);
        assertEquals(2, radius3.scoreDocs.length);
        assertEquals(1, radius3.scoreDocs[0].doc);
        assertEquals(0, radius3.scoreDocs[1].doc);
        assertEquals(before + 3, MultiIndexSearch.SEARCHES.get());
        HammingDistanceQuery top = new HammingDistanceQuery(CODE, zero, 1, 16, null);
        assertTrue(searcher.explain(top, 1).toString().contains("segment searched by multi-index hashing"));
        assertEquals("HammingHits(code:1 docs; multi-index hashing 1)", searcher.rewrite(top).toString());
        MultiIndexSearch.budgetForTests = 0; // too expensive: the segment is scanned, and explain says so
        assertTrue(searcher.explain(top, 1).toString().contains("segment searched by scan"));
        assertTrue(searcher.explain(new HammingDistanceQuery(CODE, HashCode.fromHex("0101"), 1, 0, null), 1).toString()
            .contains("segment searched by the postings of the code's term"));
      }
    } finally {
      MultiIndexSearch.budgetForTests = -1;
    }
  }

  /**
   * The cost model, not a test hook, decides: one segment of 20,000 random 32-bit codes in two 16-bit substrings.
   * Radius 1 needs two term lookups (about 0.3 documents each) against a scan of 20,000 codes: substrings. Top 10
   * needs substring radius 3 or more (the 10th neighbour lies near distance 7): over 1,000 lookups, so the scan.
   * Both answers equal a brute-force ranking. Queries are indexed codes, every other one with a bit flipped.
   */
  public void testCostModelChoosesPerSegment() throws IOException {
    Random random = random();
    byte[][] codes = new byte[20_000][];
    try (Directory dir = newDirectory()) {
      try (IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig())) {
        for (int i = 0; i < codes.length; i++) {
          codes[i] = randomCode(random, 32);
          Document doc = new Document();
          doc.add(new HashCodeField(CODE, HashCode.fromBytes(codes[i])));
          doc.add(new HashCodeSubstringsField(CODE, HashCode.fromBytes(codes[i]), 2));
          writer.addDocument(doc);
        }
        writer.forceMerge(1);
      }
      try (IndexReader reader = DirectoryReader.open(dir)) {
        IndexSearcher searcher = new IndexSearcher(reader);
        for (int q = 0; q < 20; q++) {
          int target = random.nextInt(codes.length);
          byte[] query = codes[target].clone();
          if (q % 2 == 1) {
            query[random.nextInt(4)] ^= (byte) (1 << random.nextInt(8)); // one bit off: still within radius 1
          }
          HashCode code = HashCode.fromBytes(query);
          HammingDistanceQuery radius1 = new HammingDistanceQuery(CODE, code, HammingDistanceQuery.ALL, 1, null);
          HammingDistanceQuery top10 = new HammingDistanceQuery(CODE, code, 10, 32, null);
          assertEquals(bruteForce(codes, query, 1, HammingDistanceQuery.ALL), docs(searcher.search(radius1, 100)));
          assertEquals(bruteForce(codes, query, 32, 10), docs(searcher.search(top10, 10)));
          assertTrue(searcher.explain(radius1, target).toString().contains("segment searched by multi-index hashing"));
          assertTrue(searcher.explain(top10, target).toString().contains("segment searched by scan"));
        }
      }
    }
  }

  /** Docs within {@code radius} of {@code query}, closest first, ties by doc, at most k. */
  private static List<Integer> bruteForce(byte[][] codes, byte[] query, int radius, int k) {
    List<long[]> hits = new ArrayList<>();
    for (int doc = 0; doc < codes.length; doc++) {
      int d = 0;
      for (int b = 0; b < query.length; b++) {
        d += Integer.bitCount((codes[doc][b] ^ query[b]) & 0xff);
      }
      if (d <= radius) {
        hits.add(new long[] {d, doc});
      }
    }
    hits.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    List<Integer> docs = new ArrayList<>();
    for (int i = 0; i < Math.min(k, hits.size()); i++) {
      docs.add((int) hits.get(i)[1]);
    }
    return docs;
  }

  private static List<Integer> docs(TopDocs top) {
    List<Integer> docs = new ArrayList<>();
    for (ScoreDoc hit : top.scoreDocs) {
      docs.add(hit.doc);
    }
    return docs;
  }

  /**
   * Learned codes (the default bundle's 32-bit codes of 6,000 MIRFlickr-25K tag lines, see LearnedCodesFixture in
   * onnx-models: about 1,100 distinct values, heavy duplicates) with m = 2, 3 or 4 substrings, in several segments with
   * deletions; top k, radii and both, with the substring path forced and with the cost model deciding, against a
   * brute-force scan of the live codes.
   */
  public void testMultiIndexHashingOnLearnedCodes() throws IOException {
    List<byte[]> learned = new ArrayList<>();
    try (var in = getClass().getResourceAsStream("learned-codes-32.txt")) {
      for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).split("\n")) {
        learned.add(HashCode.fromHex(line.trim()).toBytes());
      }
    }
    Random random = random();
    int m = 2 + random.nextInt(3);
    byte[][] codes = learned.toArray(new byte[0][]);
    boolean[] live = new boolean[codes.length];
    try (Directory dir = newDirectory()) {
      try (IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig().setMaxBufferedDocs(1000 + random.nextInt(2000)))) {
        for (int i = 0; i < codes.length; i++) {
          Document doc = new Document();
          doc.add(new StringField(ID, Integer.toString(i), Field.Store.YES));
          doc.add(new HashCodeField(CODE, HashCode.fromBytes(codes[i])));
          doc.add(new HashCodeSubstringsField(CODE, HashCode.fromBytes(codes[i]), m));
          writer.addDocument(doc);
          live[i] = true;
        }
        for (int i = random.nextInt(7); i < codes.length; i += 7) {
          writer.deleteDocuments(new Term(ID, Integer.toString(i)));
          live[i] = false;
        }
      }
      try (IndexReader reader = DirectoryReader.open(dir)) {
        IndexSearcher searcher = newSearcher(reader);
        for (long budget : new long[] {Long.MAX_VALUE, -1}) {
          MultiIndexSearch.budgetForTests = budget;
          try {
            for (int q = 0; q < 40; q++) {
              byte[] query = codes[random.nextInt(codes.length)].clone();
              for (int flips = random.nextInt(4); flips > 0; flips--) {
                query[random.nextInt(4)] ^= (byte) (1 << random.nextInt(8));
              }
              int k = random.nextBoolean() ? HammingDistanceQuery.ALL : 1 + random.nextInt(50);
              int radius = k == HammingDistanceQuery.ALL || random.nextBoolean() ? random.nextInt(9) : 32;
              TopDocs top = searcher.search(new HammingDistanceQuery(CODE, HashCode.fromBytes(query), k, radius, null),
                  Math.max(1, Math.min(k, codes.length)));
              List<long[]> expected = new ArrayList<>();
              for (int i = 0; i < codes.length; i++) {
                int d = bitByBitDistance(codes[i], query);
                if (live[i] && d <= radius) {
                  expected.add(new long[] {d, i});
                }
              }
              expected.sort((a, b) -> Long.compare(a[0], b[0]));
              String what = "m=" + m + " budget=" + budget + " k=" + k + " radius=" + radius;
              assertEquals(what, Math.min(k, expected.size()), top.scoreDocs.length);
              for (int h = 0; h < top.scoreDocs.length; h++) {
                int id = Integer.parseInt(searcher.storedFields().document(top.scoreDocs[h].doc).get(ID));
                int d = HammingDistanceQuery.distance(top.scoreDocs[h].score);
                assertEquals(what + " hit " + h, expected.get(h)[0], d); // the h-th smallest distance
                assertEquals(what + " doc " + id, bitByBitDistance(codes[id], query), d);
                assertTrue(what + " doc " + id + " is live", live[id]);
              }
            }
          } finally {
            MultiIndexSearch.budgetForTests = -1;
          }
        }
      }
    }
  }

  /**
   * A document whose substrings were taken from another code than its own breaks the pigeonhole argument: the search
   * finds it under a substring its code does not have, and says so instead of answering wrongly.
   */
  public void testSubstringsOfAnotherCodeAreReported() throws IOException {
    MultiIndexSearch.budgetForTests = Long.MAX_VALUE;
    try (Directory dir = newDirectory()) {
      try (IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig())) {
        Document doc = new Document();
        doc.add(new HashCodeField(CODE, HashCode.fromHex("00ff")));
        doc.add(new HashCodeSubstringsField(CODE, HashCode.fromHex("0f0f"), 2));
        writer.addDocument(doc);
      }
      try (IndexReader reader = DirectoryReader.open(dir)) {
        IllegalStateException e = expectThrows(IllegalStateException.class,
            () -> new IndexSearcher(reader).search(new HammingDistanceQuery(CODE, HashCode.fromHex("0f0f"), 1, 16, null),
                1));
        assertEquals("field \"code\": document 0 is indexed under substring 0 at distance 0 from the query's, but"
            + " its code's substring 0 is at distance 4: its substrings were not taken from its code", e.getMessage());
      }
    } finally {
      MultiIndexSearch.budgetForTests = -1;
    }
  }

  /**
   * The lookups a search makes up to radius r, by hand: 16 bits in two substrings of 8; after probing substring j at
   * distance r' every code within 2r' + j is found, so radius 3 needs (0, 0), (0, 1), (1, 0), (1, 1) and radius 4 also
   * (2, 0): 1 + 1 + 8 + 8 (+ C(8, 2) = 28).
   */
  public void testProbesUpToTheRadiusByHand() {
    MultiIndexHashing layout = new MultiIndexHashing(16, 2);
    assertEquals(1, MultiIndexSearch.probes(layout, 0, 0)); // radius 0: substring 0 at distance 0 suffices
    assertEquals(2, MultiIndexSearch.probes(layout, 0, 5));
    assertEquals(8, MultiIndexSearch.probes(layout, 1, 2)); // bound 2 after (1, 0)
    assertEquals(16, MultiIndexSearch.probes(layout, 1, 3));
    assertEquals(0, MultiIndexSearch.probes(layout, 2, 3));
    assertEquals(18, MultiIndexSearch.probes(layout, 3));
    assertEquals(46, MultiIndexSearch.probes(layout, 4));
    // radius 16: every value of both substrings (2 · 2^8) but substring 1's complement, since (8, 0) covers 16
    assertEquals(2 * 256 - 1, MultiIndexSearch.probes(layout, 16));
  }

  public void testSubstringLayoutByHand() {
    MultiIndexHashing layout = new MultiIndexHashing(16, 3); // chunks of 5, 5 and 6 bits: [0,5) [5,10) [10,16)
    long[] words = HashCode.fromHex("ac0e").words(); // 1010 1100 0000 1110
    assertEquals(0b10101L, layout.substring(words, 0));
    assertEquals(0b10000L, layout.substring(words, 1));
    assertEquals(0b001110L, layout.substring(words, 2));
    assertEquals(10, layout.neighbours(2, 3) / 2); // C(6,3) = 20
    long[] xor = HashCode.fromHex("ac0e").words(); // as the XOR of two codes: substrings 10101, 10000, 001110
    assertEquals(3, layout.distance(xor, 0));
    assertEquals(1, layout.distance(xor, 1));
    assertEquals(3, layout.distance(xor, 2));
    // 128 bits in 3: [0,42) [42,85) [85,128); substring 1 spans both words: bits 42-63 of word 0, 0-20 of word 1
    MultiIndexHashing wide = new MultiIndexHashing(128, 3);
    long[] crossing = {1L << (63 - 41) | 1L << (63 - 42) | 1L, 1L << 63 | 1L << (63 - 20) | 1L << (63 - 21) | 1L};
    assertEquals(1, wide.distance(crossing, 0)); // bit 41
    assertEquals(4, wide.distance(crossing, 1)); // bits 42, 63, 64, 84
    assertEquals(2, wide.distance(crossing, 2)); // bits 85, 127
    IllegalArgumentException e = expectThrows(IllegalArgumentException.class,
        () -> new HashCodeSubstringsField(CODE, HashCode.fromHex("ac0e"), 17));
    assertEquals("substrings: a 16-bit code splits into 1 to 16 substrings (each at most 64 bits), got 17", e.getMessage());
    assertEquals(3, HashCodeSubstringsField.suggestedSubstrings(64, 1_000_000)); // 64 / ⌈log2 1e6⌉ = 64 / 20
    assertEquals(32, HashCodeSubstringsField.suggestedSubstrings(128, 10)); // 128 / ⌈log2 10⌉ = 128 / 4
    assertEquals(255, HashCodeSubstringsField.suggestedSubstrings(4096, 2)); // at most 255 substrings
    assertEquals(1, HashCodeSubstringsField.suggestedSubstrings(8, 1L << 40)); // at least one
  }

  static int randomBits(Random random) {
    int[] usual = {8, 16, 32, 64, 72, 128, 136, 192, 256, 512};
    return random.nextInt(4) == 0 ? 8 * random.nextInt(1, HashCode.MAX_BITS / 8 + 1) : usual[random.nextInt(usual.length)];
  }

  /** The cache of the index being checked: none (each search loads its codes) or one without a limit. */
  private HashCodeCache cache;

  private void checkRandomIndex(int bits) throws IOException {
    Random random = random();
    cache = random.nextBoolean() ? null : new HashCodeCache(Long.MAX_VALUE);
    try (Directory dir = newDirectory()) {
      IndexWriterConfig config = newIndexWriterConfig();
      Map<Integer, Doc> docs = new HashMap<>();
      List<byte[]> centers = new ArrayList<>();
      for (int i = 0; i < 1 + random.nextInt(5); i++) {
        centers.add(randomCode(random, bits));
      }
      int n = atLeast(300);
      try (RandomIndexWriter writer = new RandomIndexWriter(random, dir, config)) {
        for (int id = 0; id < n; id++) {
          Doc doc = randomDoc(random, id, bits, centers);
          writer.addDocument(toDocument(doc));
          docs.put(id, doc);
          if (random.nextInt(20) == 0) {
            int victim = random.nextInt(id + 1);
            writer.deleteDocuments(new Term(ID, Integer.toString(victim)));
            docs.remove(victim);
          }
          if (random.nextInt(20) == 0) {
            int updated = random.nextInt(id + 1);
            Doc replacement = randomDoc(random, updated, bits, centers);
            writer.updateDocument(new Term(ID, Integer.toString(updated)), toDocument(replacement));
            docs.put(updated, replacement);
          }
        }
        try (IndexReader reader = writer.getReader()) {
          int queries = atLeast(15);
          for (int q = 0; q < queries; q++) {
            checkQuery(random, reader, docs, bits, centers);
          }
        }
      }
      TestUtil.checkIndex(dir);
    }
  }

  private void checkQuery(Random random, IndexReader reader, Map<Integer, Doc> docs, int bits, List<byte[]> centers)
      throws IOException {
    Concurrency concurrency = Concurrency.values()[random.nextInt(Concurrency.values().length)];
    IndexSearcher searcher = newSearcher(reader, true, true, concurrency);
    byte[] query = random.nextBoolean() ? randomCode(random, bits) : nearby(random, centers.get(random.nextInt(centers.size())));
    HashCode code = HashCode.fromBytes(query);
    int k = random.nextInt(5) == 0 ? HammingDistanceQuery.ALL : random.nextInt(1, 2 + random.nextInt(docs.size() + 5));
    int maxDistance = switch (random.nextInt(4)) {
      case 0 -> bits;
      case 1 -> 0;
      default -> random.nextInt(bits + 1);
    };
    Set<Integer> groups = null; // null: no filter
    Query filter = null;
    switch (random.nextInt(5)) {
      case 0 -> {
        int g = random.nextInt(GROUPS);
        groups = Set.of(g);
        filter = new TermQuery(new Term(GROUP, "g" + g));
      }
      case 1 -> {
        int a = random.nextInt(GROUPS), b = random.nextInt(GROUPS);
        groups = a == b ? Set.of(a) : Set.of(a, b);
        filter = new BooleanQuery.Builder()
            .add(new TermQuery(new Term(GROUP, "g" + a)), BooleanClause.Occur.SHOULD)
            .add(new TermQuery(new Term(GROUP, "g" + b)), BooleanClause.Occur.SHOULD)
            .build();
      }
      case 2 -> filter = random.nextBoolean() ? new MatchAllDocsQuery() : null;
      default -> {}
    }
    if (random.nextInt(20) == 0) {
      groups = Set.of();
      filter = new MatchNoDocsQuery();
    }

    List<long[]> within = bruteForce(reader, docs, query, maxDistance, groups); // (distance, doc), sorted
    List<long[]> expected = within.subList(0, (int) Math.min(k, within.size()));
    String context = "bits=" + bits + " k=" + k + " maxDistance=" + maxDistance + " filter=" + filter + " query="
        + code.toHex() + " concurrency=" + concurrency + " cache=" + cache;

    Query hamming = new HammingDistanceQuery(CODE, code, k, maxDistance, filter, cache);
    TopDocs top = searcher.search(hamming, Math.max(1, docs.size() + 10));
    assertEquals(context, expected.size(), top.scoreDocs.length);
    for (int i = 0; i < expected.size(); i++) {
      ScoreDoc hit = top.scoreDocs[i];
      assertEquals(context + " rank " + i, expected.get(i)[1], hit.doc);
      assertEquals(context + " rank " + i, 1f / (1 + expected.get(i)[0]), hit.score, 0f);
      assertEquals(context, expected.get(i)[0], HammingDistanceQuery.distance(hit.score));
    }
    assertEquals(context, expected.size(), searcher.count(hamming));
    if (expected.isEmpty() == false) {
      ScoreDoc first = top.scoreDocs[0];
      Explanation explanation = searcher.explain(hamming, first.doc);
      assertTrue(context, explanation.isMatch());
      assertEquals(context, first.score, explanation.getValue().floatValue(), 0f);
      assertTrue(explanation.toString(), explanation.getDescription().contains("d = " + expected.get(0)[0]));
    }

    Query matched = filter == null ? new MatchAllDocsQuery() : filter;
    TopDocs collected = searcher.search(matched, new HammingTopKCollectorManager(CODE, code, k, maxDistance, cache));
    assertEquals(context, within.size(), collected.totalHits.value());
    assertEquals(context, expected.size(), collected.scoreDocs.length);
    for (int i = 0; i < expected.size(); i++) {
      HammingScoreDoc hit = (HammingScoreDoc) collected.scoreDocs[i];
      assertEquals(context + " rank " + i, expected.get(i)[1], hit.doc);
      assertEquals(context + " rank " + i, expected.get(i)[0], hit.distance);
      assertEquals(context, 1f / (1 + hit.distance), hit.score, 0f);
    }
  }

  /** (distance, global doc) of every live doc with a code within the radius that passes the groups, sorted. */
  private static List<long[]> bruteForce(IndexReader reader, Map<Integer, Doc> docs, byte[] query, int maxDistance,
      Set<Integer> groups) throws IOException {
    List<long[]> hits = new ArrayList<>();
    for (LeafReaderContext leaf : reader.leaves()) {
      NumericDocValues ids = leaf.reader().getNumericDocValues(ID);
      var live = leaf.reader().getLiveDocs();
      for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
        if (live != null && live.get(doc) == false) {
          continue;
        }
        assertTrue(ids.advanceExact(doc));
        Doc known = docs.get((int) ids.longValue());
        assertNotNull("live doc " + ids.longValue() + " is unknown to the test", known);
        if (known.code() == null || (groups != null && groups.contains(known.group()) == false)) {
          continue;
        }
        int d = bitByBitDistance(known.code(), query);
        if (d <= maxDistance) {
          hits.add(new long[] {d, leaf.docBase + doc});
        }
      }
    }
    hits.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    return hits;
  }

  static int bitByBitDistance(byte[] a, byte[] b) {
    int d = 0;
    for (int i = 0; i < a.length * 8; i++) {
      int mask = 0x80 >>> (i % 8);
      if ((a[i / 8] & mask) != (b[i / 8] & mask)) {
        d++;
      }
    }
    return d;
  }

  private static Doc randomDoc(Random random, int id, int bits, List<byte[]> centers) {
    byte[] code = switch (random.nextInt(6)) {
      case 0 -> null;
      case 1, 2 -> randomCode(random, bits);
      default -> nearby(random, centers.get(random.nextInt(centers.size())));
    };
    return new Doc(id, code, random.nextInt(GROUPS));
  }

  static byte[] randomCode(Random random, int bits) {
    byte[] code = new byte[bits / 8];
    random.nextBytes(code);
    return code;
  }

  /** A copy of {@code center} with a few bits flipped (often none: duplicates). */
  static byte[] nearby(Random random, byte[] center) {
    byte[] code = center.clone();
    int flips = random.nextInt(4) == 0 ? 0 : random.nextInt(1 + Math.min(6, code.length * 2));
    for (int f = 0; f < flips; f++) {
      int bit = random.nextInt(code.length * 8);
      code[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
    }
    return code;
  }

  /** 0: codes only; otherwise every code also gets a HashCodeSubstringsField with this many substrings. */
  private int substrings;

  private Document toDocument(Doc doc) {
    Document document = new Document();
    document.add(new StringField(ID, Integer.toString(doc.id()), Field.Store.NO));
    document.add(new NumericDocValuesField(ID, doc.id()));
    document.add(new StringField(GROUP, "g" + doc.group(), Field.Store.NO));
    if (doc.code() != null) {
      document.add(new HashCodeField(CODE, HashCode.fromBytes(doc.code())));
      if (substrings > 0) {
        document.add(new HashCodeSubstringsField(CODE, HashCode.fromBytes(doc.code()), substrings));
      }
    }
    return document;
  }

  static Document withCode(String hex) {
    Document document = new Document();
    document.add(new HashCodeField(CODE, HashCode.fromHex(hex)));
    return document;
  }

  public void testScoresExplainAndBoostByHand() throws IOException {
    try (Directory dir = newDirectory()) {
      try (IndexWriter writer = new IndexWriter(dir, newIndexWriterConfig())) {
        writer.addDocument(withCode("ff")); // doc 0: d = 8
        writer.addDocument(withCode("01")); // doc 1: d = 1
        writer.addDocument(new Document()); // doc 2: no code
        writer.addDocument(withCode("03")); // doc 3: d = 2
        writer.addDocument(withCode("80")); // doc 4: d = 1
      }
      try (IndexReader reader = org.apache.lucene.index.DirectoryReader.open(dir)) {
        IndexSearcher searcher = newSearcher(reader);
        HashCode zero = HashCode.fromHex("00");
        TopDocs top = searcher.search(HashCodeField.newTopKQuery(CODE, zero, 3), 10);
        assertEquals(3, top.scoreDocs.length);
        assertEquals(1, top.scoreDocs[0].doc); // d = 1, lower doc id first
        assertEquals(4, top.scoreDocs[1].doc);
        assertEquals(3, top.scoreDocs[2].doc);
        assertEquals(0.5f, top.scoreDocs[0].score, 0f);
        assertEquals(1f / 3, top.scoreDocs[2].score, 0f);

        TopDocs all = searcher.search(HashCodeField.newRadiusQuery(CODE, zero, 8), 10);
        assertEquals(4, all.scoreDocs.length); // never the doc without a code
        assertEquals(0, all.scoreDocs[3].doc);
        assertEquals(1f / 9, all.scoreDocs[3].score, 0f);

        Query boosted = new BoostQuery(HashCodeField.newTopKQuery(CODE, zero, 2), 4f);
        TopDocs b = searcher.search(boosted, 10);
        assertEquals(2f, b.scoreDocs[0].score, 0f);
        Explanation explanation = searcher.explain(boosted, 1);
        assertEquals(2f, explanation.getValue().floatValue(), 0f);
        assertTrue(explanation.toString(), explanation.toString().contains("d = 1"));
        assertFalse(searcher.explain(boosted, 3).isMatch());

        TopDocs radius = searcher.search(HashCodeField.newRadiusQuery(CODE, HashCode.fromHex("01"), 0), 10);
        assertEquals(1, radius.scoreDocs.length);
        assertEquals(1, radius.scoreDocs[0].doc);
        assertEquals(1f, radius.scoreDocs[0].score, 0f);

        // composes with other clauses
        Query both = new BooleanQuery.Builder()
            .add(HashCodeField.newRadiusQuery(CODE, zero, 1), BooleanClause.Occur.MUST)
            .add(HashCodeField.newRadiusQuery(CODE, HashCode.fromHex("81"), 1), BooleanClause.Occur.FILTER)
            .build();
        TopDocs intersection = searcher.search(both, 10);
        assertEquals(2, intersection.scoreDocs.length); // 01 and 80 are both within 1 of 00 and of 81
      }
    }
  }

  public void testArgumentErrorsNameFieldExpectedAndActual() throws IOException {
    HashCode code = HashCode.fromHex("00ff00ff00ff00ff");
    IllegalArgumentException e = expectThrows(IllegalArgumentException.class,
        () -> new HammingDistanceQuery(CODE, code, 0, 3, null));
    assertTrue(e.getMessage(), e.getMessage().contains(CODE) && e.getMessage().contains("got 0"));
    e = expectThrows(IllegalArgumentException.class, () -> new HammingDistanceQuery(CODE, code, 5, -1, null));
    assertTrue(e.getMessage(), e.getMessage().contains(CODE) && e.getMessage().contains("got -1"));
    e = expectThrows(IllegalArgumentException.class, () -> new HammingDistanceQuery(CODE, code, 5, 65, null));
    assertTrue(e.getMessage(), e.getMessage().contains("between 0 and 64") && e.getMessage().contains("got 65"));
    expectThrows(IllegalArgumentException.class, () -> new HammingTopKCollectorManager(CODE, code, -3));

    try (Directory dir = newDirectory()) {
      try (IndexWriter writer = new IndexWriter(dir, newIndexWriterConfig())) {
        writer.addDocument(withCode("00112233445566778899aabbccddeeff"));
        Document numeric = new Document();
        numeric.add(new NumericDocValuesField("number", 3));
        writer.addDocument(numeric);
      }
      try (IndexReader reader = org.apache.lucene.index.DirectoryReader.open(dir)) {
        IndexSearcher searcher = newSearcher(reader);
        for (int radius : new int[] {0, 10}) {
          e = expectThrows(IllegalArgumentException.class,
              () -> searcher.search(HashCodeField.newQuery(CODE, code, 3, radius, null), 3));
          assertTrue(e.getMessage(),
              e.getMessage().contains("\"" + CODE + "\"") && e.getMessage().contains("128-bit")
                  && e.getMessage().contains("64 bits"));
        }
        e = expectThrows(IllegalArgumentException.class,
            () -> searcher.search(new MatchAllDocsQuery(), new HammingTopKCollectorManager(CODE, code, 3)));
        assertTrue(e.getMessage(), e.getMessage().contains("128-bit") && e.getMessage().contains("64 bits"));
        e = expectThrows(IllegalArgumentException.class,
            () -> searcher.search(HashCodeField.newTopKQuery("number", code, 3), 3));
        assertTrue(e.getMessage(), e.getMessage().contains("\"number\"") && e.getMessage().contains("NUMERIC"));
        // a field nobody indexed matches nothing
        assertEquals(0, searcher.count(HashCodeField.newTopKQuery("absent", code, 3)));
      }
    }
  }

  public void testSegmentsOfAnotherLengthAreReportedAtSearch() throws IOException {
    try (Directory dir = newDirectory()) {
      try (IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig())) {
        writer.addDocument(withCode("0011223344556677"));
        writer.commit();
        writer.addDocument(withCode("00112233"));
        writer.commit();
        try (IndexReader reader = org.apache.lucene.index.DirectoryReader.open(writer)) {
          assertEquals(2, reader.leaves().size());
          IllegalArgumentException e = expectThrows(IllegalArgumentException.class,
              () -> newSearcher(reader).search(HashCodeField.newTopKQuery(CODE, HashCode.fromHex("00112233"), 1), 1));
          assertTrue(e.getMessage(), e.getMessage().contains("64-bit") && e.getMessage().contains("32 bits"));
        }
        // merging them would mix lengths in one segment: searching it then fails loudly, never silently
        writer.forceMerge(1);
        try (IndexReader reader = org.apache.lucene.index.DirectoryReader.open(writer)) {
          RuntimeException e = expectThrows(RuntimeException.class,
              () -> new IndexSearcher(reader).search(
                  HashCodeField.newTopKQuery(CODE, HashCode.fromHex("00112233"), 1), 1));
          assertTrue(e.getMessage(), e.getMessage().contains("32") && e.getMessage().contains("64"));
        }
      }
    }
  }

}
