package org.bicmr.lucene;

import static org.bicmr.lucene.HammingDistanceQueryTest.CODE;

import java.io.IOException;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.bicmr.codes.HashCode;

/** Ranking another query's matches by hand-computed distances; the randomized checks are in the query's test. */
public class HammingTopKCollectorManagerTest extends LuceneTestCase {

  private static Document doc(String group, String hex) {
    Document doc = new Document();
    doc.add(new StringField("group", group, Field.Store.NO));
    if (hex != null) {
      doc.add(new HashCodeField(CODE, HashCode.fromHex(hex)));
    }
    return doc;
  }

  public void testRanksTheMatchesOfAnotherQuery() throws IOException {
    try (Directory dir = newDirectory()) {
      try (IndexWriter writer = new IndexWriter(dir, newIndexWriterConfig().setMergePolicy(newLogMergePolicy()))) {
        writer.addDocument(doc("a", "ff")); // 0: d = 8
        writer.addDocument(doc("b", "01")); // 1: d = 1, not matched
        writer.addDocument(doc("a", "03")); // 2: d = 2
        writer.commit(); // a second segment
        writer.addDocument(doc("a", null)); // 3: no code
        writer.addDocument(doc("a", "80")); // 4: d = 1
      }
      try (IndexReader reader = DirectoryReader.open(dir)) {
        IndexSearcher searcher = newSearcher(reader, true, true, Concurrency.INTRA_SEGMENT);
        Query groupA = new TermQuery(new Term("group", "a"));
        HashCode zero = HashCode.fromHex("00");

        TopDocs top = searcher.search(groupA, new HammingTopKCollectorManager(CODE, zero, 2));
        assertEquals(3, top.totalHits.value()); // docs 0, 2, 4 have a code; 3 has none
        assertEquals(2, top.scoreDocs.length);
        assertEquals(4, top.scoreDocs[0].doc);
        assertEquals(1, ((HammingScoreDoc) top.scoreDocs[0]).distance);
        assertEquals(0.5f, top.scoreDocs[0].score, 0f);
        assertEquals(2, top.scoreDocs[1].doc);
        assertEquals(2, ((HammingScoreDoc) top.scoreDocs[1]).distance);

        TopDocs near = searcher.search(groupA, new HammingTopKCollectorManager(CODE, zero, 5, 1));
        assertEquals(1, near.totalHits.value());
        assertEquals(4, near.scoreDocs[0].doc);

        TopDocs all = searcher.search(groupA, new HammingTopKCollectorManager(CODE, zero, HammingDistanceQuery.ALL, 8));
        assertEquals(3, all.scoreDocs.length);
        assertEquals(0, all.scoreDocs[2].doc);
        assertEquals(8, ((HammingScoreDoc) all.scoreDocs[2]).distance);
      }
    }
  }
}
