package org.bicmr.lucene;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.bicmr.codes.HashCode;

/**
 * The approximate search over {@link HashCodeGraphField}: every hit carries its exact distance and respects radius,
 * filter and deletions (checked against the known codes), and the graph finds most of the true top 10 on clustered
 * codes (recall against a brute-force ranking).
 */
public class GraphSearchTest extends LuceneTestCase {
  private static final String CODE = "code";

  public void testApproximateHitsAreExactlyScoredAndMostlyTheTrueNeighbours() throws IOException {
    Random random = random();
    int n = 3000;
    byte[][] codes = new byte[n][];
    List<byte[]> centres = new ArrayList<>();
    for (int c = 0; c < 30; c++) {
      centres.add(HammingDistanceQueryTest.randomCode(random, 64));
    }
    Set<Integer> deleted = new HashSet<>();
    try (Directory dir = newDirectory()) {
      IndexWriterConfig config = new IndexWriterConfig().setCodec(new HashCodeGraphCodec(Codec.getDefault()));
      try (IndexWriter writer = new IndexWriter(dir, config)) {
        for (int i = 0; i < n; i++) {
          codes[i] = HammingDistanceQueryTest.nearby(random, centres.get(random.nextInt(centres.size())));
          writer.addDocument(document(i, codes[i], true));
          if (i % 97 == 0) {
            writer.commit(); // several segments
          }
        }
        for (int i = 0; i < n; i += 13) {
          writer.deleteDocuments(new Term("id", Integer.toString(i)));
          deleted.add(i);
        }
      }
      try (IndexReader reader = DirectoryReader.open(dir)) { // the default codec reads it: the graph format is named
        IndexSearcher searcher = new IndexSearcher(reader);
        int found = 0;
        int wanted = 0;
        for (int q = 0; q < 30; q++) {
          byte[] query = HammingDistanceQueryTest.nearby(random, centres.get(random.nextInt(centres.size())));
          HashCode code = HashCode.fromBytes(query);
          int radius = q % 3 == 0 ? 3 : 64;
          boolean filtered = q % 5 == 0;
          TermQuery filter = filtered ? new TermQuery(new Term("parity", "even")) : null;
          TopDocs hits = searcher.search(new HammingDistanceQuery(CODE, code, 10, radius, filter, true), 10);
          ScoreDoc[] exact = searcher.search(new HammingDistanceQuery(CODE, code, 10, radius, filter), 10).scoreDocs;
          // ties make the exact answer's documents ambiguous: a hit counts when it is as near as the exact 10th
          int tenth = exact.length == 0 ? -1 : HammingDistanceQuery.distance(exact[exact.length - 1].score);
          int previous = -1;
          for (ScoreDoc hit : hits.scoreDocs) {
            int id = id(searcher, hit.doc);
            int d = HammingDistanceQueryTest.bitByBitDistance(codes[id], query);
            assertEquals("score of doc " + id, HammingDistanceQuery.score(d), hit.score, 0f);
            assertTrue("within the radius", d <= radius);
            assertFalse("not deleted", deleted.contains(id));
            assertTrue("matches the filter", filtered == false || id % 2 == 0);
            assertTrue("sorted by distance", d >= previous);
            previous = d;
            if (d <= tenth) {
              found++;
            }
          }
          wanted += exact.length;
        }
        double recall = found / (double) wanted;
        System.out.println("GraphSearchTest: recall@10 " + recall + " over 30 queries");
        assertTrue("recall@10 " + recall, recall >= 0.8);
        // a hit's explanation names the graph (k = 10 and no radius, so the approximate search finds some hit)
        HammingDistanceQuery query = new HammingDistanceQuery(CODE, HashCode.fromBytes(codes[1]), 10, 64, null, true);
        assertTrue(searcher.explain(query, searcher.search(query, 1).scoreDocs[0].doc).toString()
            .contains("segment searched by " + GraphSearch.METHOD));
      }
    }
  }

  public void testBadUseIsRefusedClearly() throws IOException {
    HashCode code = HashCode.fromHex("00ff00ff00ff00ff");
    IllegalArgumentException noK = expectThrows(IllegalArgumentException.class,
        () -> new HammingDistanceQuery(CODE, code, HammingDistanceQuery.ALL, 64, null, true));
    assertTrue(noK.getMessage(), noK.getMessage().contains("needs a k"));
    try (Directory dir = newDirectory()) {
      try (IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig())) {
        writer.addDocument(document(0, code.toBytes(), false));
      }
      try (IndexReader reader = DirectoryReader.open(dir)) {
        IndexSearcher searcher = new IndexSearcher(reader);
        IllegalStateException noGraph = expectThrows(IllegalStateException.class,
            () -> searcher.search(new HammingDistanceQuery(CODE, code, 5, 64, null, true), 5));
        assertTrue(noGraph.getMessage(), noGraph.getMessage().contains("no graph field \"code$hnsw\""));
        IllegalArgumentException wrongLength = expectThrows(IllegalArgumentException.class, () -> searcher.search(
            new HammingDistanceQuery(CODE, HashCode.fromHex("00ff"), 5, 16, null, true), 5));
        assertTrue(wrongLength.getMessage(), wrongLength.getMessage().contains("64-bit codes"));
      }
    }
    try (Directory dir = newDirectory()) {
      try (IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig())) { // not HashCodeGraphCodec
        writer.addDocument(document(0, code.toBytes(), true));
      }
      try (IndexReader reader = DirectoryReader.open(dir)) {
        IllegalStateException wrongFormat = expectThrows(IllegalStateException.class, () -> new IndexSearcher(reader)
            .search(new HammingDistanceQuery(CODE, code, 5, 64, null, true), 5));
        assertTrue(wrongFormat.getMessage(), wrongFormat.getMessage().contains("write the index with HashCodeGraphCodec"));
      }
    }
  }

  private static Document document(int id, byte[] code, boolean graph) {
    Document doc = new Document();
    doc.add(new StringField("id", Integer.toString(id), Field.Store.YES));
    doc.add(new StringField("parity", id % 2 == 0 ? "even" : "odd", Field.Store.NO));
    doc.add(new HashCodeField(CODE, HashCode.fromBytes(code)));
    if (graph) {
      doc.add(new HashCodeGraphField(CODE, HashCode.fromBytes(code)));
    }
    return doc;
  }

  private static int id(IndexSearcher searcher, int doc) throws IOException {
    return Integer.parseInt(searcher.storedFields().document(doc).get("id"));
  }
}
