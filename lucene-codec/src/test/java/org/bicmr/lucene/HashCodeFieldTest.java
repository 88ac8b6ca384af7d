package org.bicmr.lucene;

import static org.bicmr.lucene.HammingDistanceQueryTest.CODE;
import static org.bicmr.lucene.HammingDistanceQueryTest.withCode;

import java.io.IOException;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.tests.util.TestUtil;
import org.apache.lucene.util.BytesRef;
import org.bicmr.codes.HashCode;

/** Index-time behaviour of {@link HashCodeField}: declared lengths, one length per segment, the exact-code term. */
public class HashCodeFieldTest extends LuceneTestCase {
  public void testOneSegmentRefusesASecondCodeLength() throws IOException {
    try (Directory dir = newDirectory()) {
      IndexWriterConfig config = new IndexWriterConfig().setMaxBufferedDocs(1000).setRAMBufferSizeMB(64);
      try (IndexWriter writer = new IndexWriter(dir, config)) {
        writer.addDocument(withCode("0011223344556677"));
        IllegalArgumentException e =
            expectThrows(IllegalArgumentException.class, () -> writer.addDocument(withCode("00112233")));
        assertTrue(e.getMessage(), e.getMessage().contains("\"" + CODE + "\"") && e.getMessage().contains("64-bit")
            && e.getMessage().contains("32-bit"));
        writer.addDocument(withCode("8011223344556677"));
        writer.commit();
        assertEquals(2, writer.getDocStats().numDocs); // the refused document was not added
      }
      try (IndexReader reader = DirectoryReader.open(dir)) {
        TopDocs top = newSearcher(reader).search(
            HashCodeField.newTopKQuery(CODE, HashCode.fromHex("0011223344556677"), 5), 5);
        assertEquals(2, top.scoreDocs.length);
        assertEquals(1f, top.scoreDocs[0].score, 0f);
        assertEquals(0.5f, top.scoreDocs[1].score, 0f);
      }
      TestUtil.checkIndex(dir);
    }
  }


  public void testFieldTypeDeclaresTheLength() {
    IllegalArgumentException e = expectThrows(IllegalArgumentException.class,
        () -> new HashCodeField(CODE, HashCode.fromHex("00ff"), HashCodeField.fieldType(64)));
    assertTrue(e.getMessage(), e.getMessage().contains("\"" + CODE + "\"") && e.getMessage().contains("64-bit")
        && e.getMessage().contains("16-bit"));
    e = expectThrows(IllegalArgumentException.class, () -> HashCodeField.fieldType(12));
    assertTrue(e.getMessage(), e.getMessage().contains("got 12"));
    e = expectThrows(IllegalArgumentException.class,
        () -> new HashCodeField(CODE, HashCode.fromHex("00ff"), StringField.TYPE_NOT_STORED));
    assertTrue(e.getMessage(), e.getMessage().contains("HashCodeField.fieldType"));
    assertEquals(16, new HashCodeField(CODE, HashCode.fromHex("00ff"), HashCodeField.fieldType(16)).code().bits());
  }


  public void testPlainBinaryDocValuesWork() throws IOException {
    try (Directory dir = newDirectory()) {
      try (IndexWriter writer = new IndexWriter(dir, newIndexWriterConfig())) {
        for (String hex : new String[] {"f0f0", "0000", "f0f1"}) {
          Document doc = new Document();
          doc.add(new BinaryDocValuesField(CODE, new BytesRef(HashCode.fromHex(hex).toBytes())));
          writer.addDocument(doc);
        }
      }
      try (IndexReader reader = DirectoryReader.open(dir)) {
        IndexSearcher searcher = newSearcher(reader);
        TopDocs top = searcher.search(HashCodeField.newRadiusQuery(CODE, HashCode.fromHex("f0f0"), 0), 5);
        assertEquals(1, top.scoreDocs.length);
        assertEquals(0, top.scoreDocs[0].doc);
        top = searcher.search(HashCodeField.newTopKQuery(CODE, HashCode.fromHex("f0f0"), 2), 5);
        assertEquals(2, top.scoreDocs[1].doc);
      }
    }
  }


  public void testTheCodeIsIndexedAsATerm() throws IOException {
    try (Directory dir = newDirectory()) {
      try (IndexWriter writer = new IndexWriter(dir, newIndexWriterConfig())) {
        writer.addDocument(withCode("cafe"));
        writer.addDocument(withCode("beef"));
        writer.addDocument(withCode("cafe"));
      }
      try (IndexReader reader = DirectoryReader.open(dir)) {
        IndexSearcher searcher = newSearcher(reader);
        assertEquals(2, searcher.count(new TermQuery(new Term(CODE, new BytesRef(HashCode.fromHex("cafe").toBytes())))));
        assertEquals(1, searcher.count(new TermQuery(new Term(CODE, new BytesRef(HashCode.fromHex("beef").toBytes())))));
      }
      TestUtil.checkIndex(dir);
    }
  }
}
