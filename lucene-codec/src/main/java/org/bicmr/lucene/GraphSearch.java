package org.bicmr.lucene;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.codecs.bitvectors.HnswBitVectorsFormat;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnByteVectorQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.IOUtils;
import org.bicmr.codes.HashCode;

/**
 * The approximate side of {@link HammingDistanceQuery}: Lucene's kNN search over the HNSW graph of the {@link
 * HashCodeGraphField}s gives k candidates (honouring deletions and the filter), whose exact distances from the code
 * array decide which lie within the radius and how they score.
 */
final class GraphSearch {
  static final String METHOD = "an HNSW graph (approximate)";

  private GraphSearch() {}

  static Query rewrite(IndexSearcher searcher, HammingDistanceQuery query) throws IOException {
    IndexReader reader = searcher.getIndexReader();
    String field = query.getField();
    String graphField = field + HashCodeGraphField.SUFFIX;
    List<LeafReaderContext> leaves = reader.leaves();
    HashCode code = query.getCode();
    for (LeafReaderContext leaf : leaves) {
      checkGraph(leaf, field, graphField, code);
    }
    TopDocs candidates = searcher.search(
        new KnnByteVectorQuery(graphField, code.toBytes(), query.getK(), query.getFilter()), query.getK());
    long[] keys = new long[candidates.scoreDocs.length];
    int n = 0;
    long[] words = code.words();
    HashCodeCache.Lease[] leases = new HashCodeCache.Lease[leaves.size()]; // each segment's codes, held once
    try {
      for (ScoreDoc hit : candidates.scoreDocs) {
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(hit.doc, leaves));
        if (leases[leaf.ord] == null) {
          leases[leaf.ord] = HashCodeCache.acquire(query.getCache(), leaf.reader(), field);
        }
        SegmentCodes codes = leases[leaf.ord] == null ? null : leases[leaf.ord].codes();
        int doc = hit.doc - leaf.docBase;
        if (codes == null || codes.hasCode(doc) == false) {
          continue; // a graph entry without a code
        }
        int d = codes.distance(doc, words);
        if (d <= query.getMaxDistance()) {
          keys[n++] = ((long) d << 32) | hit.doc;
        }
      }
    } finally {
      IOUtils.close(leases);
    }
    if (n == 0) {
      return new MatchNoDocsQuery("no graph candidate within Hamming distance " + query.getMaxDistance());
    }
    keys = Arrays.copyOf(keys, n);
    Arrays.sort(keys);
    String[] methods = new String[leaves.size()];
    Arrays.fill(methods, METHOD);
    return HammingHitsQuery.create(reader, field, keys, methods);
  }

  /** A segment with codes must have their graph, written as bit vectors; its length must be the query's. */
  private static void checkGraph(LeafReaderContext leaf, String field, String graphField, HashCode code) {
    FieldInfo codeInfo = leaf.reader().getFieldInfos().fieldInfo(field);
    if (codeInfo == null) {
      return;
    }
    SegmentCodes.checkQuery(field, HashCodeField.bitsOf(codeInfo), code);
    FieldInfo graphInfo = leaf.reader().getFieldInfos().fieldInfo(graphField);
    if (graphInfo == null || graphInfo.getVectorDimension() == 0) {
      throw new IllegalStateException("field \"" + field + "\": segment " + leaf.ord + " has codes but no graph field \""
          + graphField + "\"; an approximate search needs HashCodeGraphField beside every HashCodeField");
    }
    String format = graphInfo.getAttribute(PerFieldKnnVectorsFormat.PER_FIELD_FORMAT_KEY);
    if (format != null && format.equals(HnswBitVectorsFormat.NAME) == false) {
      throw new IllegalStateException("field \"" + graphField + "\" was written with vectors format " + format
          + ", expected " + HnswBitVectorsFormat.NAME + " (write the index with HashCodeGraphCodec)");
    }
  }
}
