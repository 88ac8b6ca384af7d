package org.bicmr.lucene;

import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.bitvectors.HnswBitVectorsFormat;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;

/**
 * A codec that writes the {@link HashCodeGraphField}s of an index as HNSW graphs over bit vectors (Lucene's {@code
 * HnswBitVectorsFormat}) and everything else as its base codec does. It keeps the base codec's name: the per-field
 * vectors format records the graph format's own name, so any reader with {@code lucene-codecs} on its class path opens
 * the index without this class.
 *
 * <pre class="prettyprint">
 * IndexWriterConfig config = new IndexWriterConfig().setCodec(new HashCodeGraphCodec(Codec.getDefault(), 16, 100));
 * </pre>
 */
public final class HashCodeGraphCodec extends FilterCodec {
  private final KnnVectorsFormat graphs;
  private final KnnVectorsFormat vectors;

  /**
   * @param base the codec for everything else (its vectors format must be per field, as Lucene's default codecs' are)
   * @param maxConn the graph's neighbours per node (HNSW's M; Lucene's default 16)
   * @param beamWidth candidates kept while inserting (Lucene's default 100)
   */
  public HashCodeGraphCodec(Codec base, int maxConn, int beamWidth) {
    super(base.getName(), base);
    this.graphs = new HnswBitVectorsFormat(maxConn, beamWidth);
    KnnVectorsFormat baseVectors = base.knnVectorsFormat();
    this.vectors = new PerFieldKnnVectorsFormat() {
      @Override
      public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
        if (field.endsWith(HashCodeGraphField.SUFFIX)) {
          return graphs;
        }
        return baseVectors instanceof PerFieldKnnVectorsFormat perField
            ? perField.getKnnVectorsFormatForField(field)
            : baseVectors;
      }
    };
  }

  /** Lucene's defaults: M 16, beam width 100. */
  public HashCodeGraphCodec(Codec base) {
    this(base, 16, 100);
  }

  @Override
  public KnnVectorsFormat knnVectorsFormat() {
    return vectors;
  }
}
