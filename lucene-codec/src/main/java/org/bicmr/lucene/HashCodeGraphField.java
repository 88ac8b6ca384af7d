package org.bicmr.lucene;

import java.util.Objects;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.KnnByteVectorField;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.bicmr.codes.HashCode;

/**
 * The approximate companion of a {@link HashCodeField}: the code as a bit vector in an HNSW graph (Lucene's {@code
 * HnswBitVectorsFormat}, Hamming distance), in field {@code name + SUFFIX}. Add it beside the {@code HashCodeField} of
 * the same name and code, write the index with {@link HashCodeGraphCodec}, and ask {@link HammingDistanceQuery} for an
 * {@code approximate} search: it takes its candidates from the graph instead of looking at every code, so it can miss
 * true neighbours (measure recall on your data, see BENCHMARKS.md), and scores them by their exact distance.
 */
public final class HashCodeGraphField extends KnnByteVectorField {
  /** Appended to the code field's name to name the graph's field. */
  public static final String SUFFIX = "$hnsw";

  /** The graph entry of {@code code}, for the code field {@code name}. */
  public HashCodeGraphField(String name, HashCode code) {
    super(Objects.requireNonNull(name, "name") + SUFFIX, Objects.requireNonNull(code, "code").toBytes(),
        type(code.bits()));
  }

  private static FieldType type(int bits) {
    // the bit-vector format compares by Hamming distance whatever the declared similarity
    FieldType type = new FieldType(KnnByteVectorField.createFieldType(bits / 8, VectorSimilarityFunction.EUCLIDEAN));
    type.putAttribute(HashCodeField.BITS_ATTRIBUTE, Integer.toString(bits));
    type.freeze();
    return type;
  }
}
