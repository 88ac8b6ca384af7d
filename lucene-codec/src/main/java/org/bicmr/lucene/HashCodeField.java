package org.bicmr.lucene;

import java.util.Objects;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.BytesTermAttribute;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.index.DocValuesType;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.search.Query;
import org.apache.lucene.util.BytesRef;
import org.bicmr.codes.HashCode;

/**
 * A field holding one l-bit {@link HashCode} per document, searchable by Hamming distance.
 *
 * <p>The code is stored as fixed-length binary doc values (l/8 bytes in {@link HashCode}'s layout), so it works with
 * every codec; the field type records l in the field's attributes ({@value #BITS_ATTRIBUTE}). Searches load a
 * segment's codes into memory: a query given a {@link HashCodeCache} keeps them there for later searches, one without
 * loads them for its own search. The code is also indexed as one term (its bytes), which
 * serves exact lookups (radius 0) from the postings, and through which the indexing chain refuses a document whose
 * code length differs from that of the codes already in the segment being written ({@link IllegalArgumentException};
 * the document is not added). A document may have at most one code per field.
 *
 * <pre class="prettyprint">
 * document.add(new HashCodeField("image_code", HashCode.fromHex("a3f0...")));
 * TopDocs hits = searcher.search(HashCodeField.newTopKQuery("image_code", queryCode, 10), 10);
 * // repeated searches: keep the codes in memory, within a byte limit
 * HashCodeCache cache = new HashCodeCache(256L &lt;&lt; 20);
 * hits = searcher.search(HashCodeField.newQuery("image_code", queryCode, 10, queryCode.bits(), null, cache), 10);
 * </pre>
 */
public final class HashCodeField extends Field {
  /** The field attribute that records the code length in bits. */
  public static final String BITS_ATTRIBUTE = "bicmr.hashcode.bits";

  private static final FieldType[] TYPES = new FieldType[HashCode.MAX_BITS / 8 + 1];

  static {
    for (int bytes = 1; bytes < TYPES.length; bytes++) {
      FieldType type = new FieldType();
      type.setDocValuesType(DocValuesType.BINARY);
      type.setIndexOptions(IndexOptions.DOCS);
      type.setOmitNorms(true);
      type.setTokenized(false);
      type.putAttribute(BITS_ATTRIBUTE, Integer.toString(bytes * 8));
      type.freeze();
      TYPES[bytes] = type;
    }
  }

  private final HashCode code;

  /**
   * Indexes {@code code} in field {@code name}; the field's length is the code's.
   *
   * @throws NullPointerException if {@code name} or {@code code} is null, naming it (as Lucene's own fields do)
   */
  public HashCodeField(String name, HashCode code) {
    this(name, code, TYPES[Objects.requireNonNull(code, "code").bits() / 8]);
  }

  /**
   * Indexes {@code code} in field {@code name}, whose length is declared by {@code type} (from {@link #fieldType(int)}).
   *
   * @throws IllegalArgumentException if the code's length is not the declared one
   * @throws NullPointerException if an argument is null, naming it (as Lucene's own fields do)
   */
  public HashCodeField(String name, HashCode code, FieldType type) {
    super(Objects.requireNonNull(name, "name"), new BytesRef(Objects.requireNonNull(code, "code").toBytes()),
        checkType(name, code, type));
    this.code = code;
  }

  private static FieldType checkType(String name, HashCode code, FieldType type) {
    Objects.requireNonNull(type, "type");
    String declared = type.getAttributes() == null ? null : type.getAttributes().get(BITS_ATTRIBUTE);
    if (type.docValuesType() != DocValuesType.BINARY || declared == null) {
      throw new IllegalArgumentException(
          "field \"" + name + "\": the field type must come from HashCodeField.fieldType(bits), got " + type);
    }
    if (Integer.parseInt(declared) != code.bits()) {
      throw new IllegalArgumentException(
          "field \"" + name + "\" holds " + declared + "-bit codes, got a " + code.bits() + "-bit code");
    }
    return type;
  }

  @Override
  public TokenStream tokenStream(Analyzer analyzer, TokenStream reuse) {
    // the indexing chain hands back the stream of the previous document of this field in the same segment
    CodeTokenStream stream = reuse instanceof CodeTokenStream previous ? previous : new CodeTokenStream();
    stream.setCode(name, code, (BytesRef) fieldsData);
    return stream;
  }

  /** The single term of a code; remembers the code length of the segment being written. */
  private static final class CodeTokenStream extends TokenStream {
    private final BytesTermAttribute term = addAttribute(BytesTermAttribute.class);
    private int segmentBits = -1;
    private BytesRef value;
    private boolean done = true;

    void setCode(String field, HashCode code, BytesRef bytes) {
      if (segmentBits >= 0 && segmentBits != code.bits()) {
        throw new IllegalArgumentException(
            "field \"" + field + "\" holds " + segmentBits + "-bit codes in the segment being written, got a "
                + code.bits() + "-bit code");
      }
      segmentBits = code.bits();
      value = bytes;
    }

    @Override
    public boolean incrementToken() {
      if (done) {
        return false;
      }
      clearAttributes();
      term.setBytesRef(value);
      done = true;
      return true;
    }

    @Override
    public void reset() {
      done = false;
    }

    @Override
    public void close() {
      value = null;
    }
  }

  /** The field type of fields holding {@code bits}-bit codes. */
  public static FieldType fieldType(int bits) {
    HashCode.checkBits("bits", bits);
    return TYPES[bits / 8];
  }

  /** The code this field holds. */
  public HashCode code() {
    return code;
  }

  /** Not supported: a field's code is fixed at construction, so its length and attribute always agree. */
  @Override
  public void setBytesValue(BytesRef value) {
    throw new UnsupportedOperationException("create a new HashCodeField instead of changing the code of \"" + name + "\"");
  }

  /** Not supported, see {@link #setBytesValue(BytesRef)}. */
  @Override
  public void setBytesValue(byte[] value) {
    setBytesValue(new BytesRef(value));
  }

  /** The code length recorded in a field's attributes, or -1 when the field was not written by this class. */
  static int bitsOf(FieldInfo info) {
    String bits = info.getAttribute(BITS_ATTRIBUTE);
    if (bits == null) {
      return -1;
    }
    try {
      return Integer.parseInt(bits);
    } catch (NumberFormatException e) {
      throw new IllegalStateException(
          "field \"" + info.name + "\" has attribute " + BITS_ATTRIBUTE + "=\"" + bits + "\", expected a number", e);
    }
  }

  /**
   * The k documents whose code in {@code field} is closest to {@code code} (ties by ascending doc id). These factories
   * throw a {@link NullPointerException} naming {@code field} or {@code code} when it is null, as Lucene's do.
   */
  public static Query newTopKQuery(String field, HashCode code, int k) {
    return new HammingDistanceQuery(field, code, k, Objects.requireNonNull(code, "code").bits(), null);
  }

  /** The k closest documents among those matching {@code filter}. */
  public static Query newTopKQuery(String field, HashCode code, int k, Query filter) {
    return new HammingDistanceQuery(field, code, k, Objects.requireNonNull(code, "code").bits(), filter);
  }

  /** Every document whose code is within {@code maxDistance} of {@code code} (the hash-lookup protocol). */
  public static Query newRadiusQuery(String field, HashCode code, int maxDistance) {
    return new HammingDistanceQuery(field, code, HammingDistanceQuery.ALL, maxDistance, null);
  }

  /** The k closest documents within {@code maxDistance} among those matching {@code filter} (null for all). */
  public static Query newQuery(String field, HashCode code, int k, int maxDistance, Query filter) {
    return new HammingDistanceQuery(field, code, k, maxDistance, filter);
  }

  /**
   * The k closest documents within {@code maxDistance} among those matching {@code filter} (null for all), the
   * segments' codes held by {@code cache} for this and later searches (null: loaded for this search alone).
   */
  public static Query newQuery(String field, HashCode code, int k, int maxDistance, Query filter, HashCodeCache cache) {
    return new HammingDistanceQuery(field, code, k, maxDistance, filter, cache);
  }
}
