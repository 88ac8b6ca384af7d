package org.bicmr.lucene;

import static org.bicmr.lucene.HammingDistanceQueryTest.CODE;
import static org.bicmr.lucene.HammingDistanceQueryTest.withCode;

import java.io.IOException;
import java.util.Locale;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.util.BytesRef;

/** The code arrays: loaded once per segment core, counted, released with the segment. */
public class HashCodeCacheTest extends LuceneTestCase {
  public void testCodeArraysAreReleasedWithTheSegments() throws IOException {
    long before = HashCodeCache.DEFAULT.ramBytesUsed();
    try (Directory dir = newDirectory()) {
      try (IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig())) {
        for (int i = 0; i < 1000; i++) {
          writer.addDocument(withCode(String.format(Locale.ROOT, "%016x", i * 0x9E3779B97F4A7C15L)));
        }
      }
      try (IndexReader reader = DirectoryReader.open(dir)) {
        new IndexSearcher(reader).search(HashCodeField.newTopKQuery(CODE, HashCode.fromHex("0000000000000000"), 3), 3);
        long held = HashCodeCache.DEFAULT.ramBytesUsed() - before;
        assertTrue("held " + held, held >= 1000 * 8 && held < 1000 * 8 + 4096);
      }
      assertEquals(before, HashCodeCache.DEFAULT.ramBytesUsed());
    }
  }

  public void testDeletionsDoNotReloadTheArrays() throws IOException {
    try (Directory dir = newDirectory()) {
      try (IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig())) {
        for (int i = 0; i < 100; i++) {
          writer.addDocument(withCode(String.format(Locale.ROOT, "%04x", i)));
        }
        writer.commit();
        try (DirectoryReader reader = DirectoryReader.open(writer)) {
          IndexSearcher searcher = new IndexSearcher(reader);
          assertEquals(1, searcher.count(HashCodeField.newRadiusQuery(CODE, HashCode.fromHex("0005"), 0)));
          assertEquals(8, searcher.count(HashCodeField.newRadiusQuery(CODE, HashCode.fromHex("0005"), 1)));
          long held = HashCodeCache.DEFAULT.ramBytesUsed();
          int segments = HashCodeCache.DEFAULT.segmentCount();
          writer.deleteDocuments(new Term(CODE, new BytesRef(HashCode.fromHex("0005").toBytes())));
          try (DirectoryReader reopened = DirectoryReader.openIfChanged(reader, writer)) {
            assertNotNull(reopened);
            IndexSearcher after = new IndexSearcher(reopened);
            assertEquals(0, after.count(HashCodeField.newRadiusQuery(CODE, HashCode.fromHex("0005"), 0)));
            // within 1 bit of 0x0005 among 0..99: 0x01, 0x04, 0x07, 0x0d, 0x15, 0x25, 0x45, and 0x05 itself (deleted)
            assertEquals(7, after.count(HashCodeField.newRadiusQuery(CODE, HashCode.fromHex("0005"), 1)));
            assertEquals(held, HashCodeCache.DEFAULT.ramBytesUsed()); // same core, same arrays
            assertEquals(segments, HashCodeCache.DEFAULT.segmentCount());
          }
        }
      }
    }
  }
}
