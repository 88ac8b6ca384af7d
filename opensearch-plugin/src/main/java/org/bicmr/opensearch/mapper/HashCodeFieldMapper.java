package org.bicmr.opensearch.mapper;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.search.Query;
import org.bicmr.codes.HashCode;
import org.bicmr.lucene.HashCodeCache;
import org.bicmr.lucene.HashCodeField;
import org.bicmr.lucene.HashCodeSubstringsField;
import org.opensearch.common.xcontent.support.XContentMapValues;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.mapper.FieldMapper;
import org.opensearch.index.mapper.MapperParsingException;
import org.opensearch.index.mapper.ParametrizedFieldMapper;
import org.opensearch.index.mapper.ParseContext;

/**
 * The {@code bicmr_code} field: an l-bit code per document, given as hex (l/4 characters) or as an array of l numbers
 * read as signs (≥ 0 → 1), indexed with lucene-codec's {@link HashCodeField} (binary doc values + the code as one
 * term). Parameters, none of which can change in a mapping update: {@code bits} (required), {@code model} (optional),
 * and {@code index}: {@code "scan"} (the default) or {@code "multi_index_hashing"}, which also indexes the code's
 * substrings ({@link HashCodeSubstringsField}) so that {@code bicmr_hamming} answers small radii and top k from
 * their postings when that costs less than the scan, segment by segment. The number of substrings is {@code
 * substrings}, or derived from {@code expected_docs} (documents per shard, default 1,000,000) as substrings of about
 * log2(expected_docs) bits.
 */
public final class HashCodeFieldMapper extends ParametrizedFieldMapper {
  /** The mapping type name. */
  public static final String CONTENT_TYPE = "bicmr_code";

  /**
   * Parses {@code "type": "bicmr_code"} mappings into fields whose searches hold their codes in {@code cache} (the
   * node's).
   */
  public static TypeParser parser(HashCodeCache cache) {
    Objects.requireNonNull(cache, "cache");
    return new TypeParser((name, context) -> new Builder(name, cache));
  }

  /** {@code index}: the scan only. */
  public static final String SCAN = "scan";
  /** {@code index}: the scan, or the substrings' postings where cheaper. */
  public static final String MULTI_INDEX_HASHING = "multi_index_hashing";
  static final long DEFAULT_EXPECTED_DOCS = 1_000_000;

  private final int bits;
  private final String model;
  private final String index;
  private final Integer substrings;
  private final Long expectedDocs;
  /** The substrings indexed per code, or 0 when {@code index} is {@code scan}. */
  private final int m;
  private final FieldType luceneType;
  private final HashCodeCache cache;

  private HashCodeFieldMapper(String simpleName, HashCodeFieldType type, MultiFields multiFields, CopyTo copyTo,
      Builder builder) {
    super(simpleName, type, multiFields, copyTo);
    this.bits = type.bits();
    this.model = type.model();
    this.index = builder.index.getValue();
    this.substrings = builder.substrings.getValue();
    this.expectedDocs = builder.expectedDocs.getValue();
    this.m = type.substrings();
    this.luceneType = HashCodeField.fieldType(bits);
    this.cache = type.codesCache();
  }

  private static HashCodeFieldMapper toType(FieldMapper in) {
    return (HashCodeFieldMapper) in;
  }

  /** Builds the mapper from the mapping's parameters. */
  static final class Builder extends ParametrizedFieldMapper.Builder {
    private final Parameter<Integer> bits = Parameter.intParam("bits", false, m -> toType(m).bits, -1)
        .setValidator(b -> {
          if (b == -1) {
            throw new IllegalArgumentException("bits: a bicmr_code field needs \"bits\", the code length");
          }
          HashCode.checkBits("bits", b);
        });
    private final Parameter<String> model = Parameter.stringParam("model", false, m -> toType(m).model, null)
        .acceptsNull();
    private final Parameter<String> index = Parameter.restrictedStringParam("index", false, m -> toType(m).index,
        SCAN, MULTI_INDEX_HASHING);
    private final Parameter<Integer> substrings = new Parameter<>("substrings", false, () -> null,
        (n, c, o) -> o == null ? null : XContentMapValues.nodeIntegerValue(o), m -> toType(m).substrings)
        .acceptsNull();
    private final Parameter<Long> expectedDocs = new Parameter<>("expected_docs", false, () -> null,
        (n, c, o) -> o == null ? null : XContentMapValues.nodeLongValue(o), m -> toType(m).expectedDocs)
        .acceptsNull();
    private final Parameter<Map<String, String>> meta = Parameter.metaParam();
    private final HashCodeCache cache;

    Builder(String name, HashCodeCache cache) {
      super(name);
      this.cache = cache;
    }

    @Override
    protected List<Parameter<?>> getParameters() {
      return List.of(bits, model, index, substrings, expectedDocs, meta);
    }

    @Override
    public HashCodeFieldMapper build(BuilderContext context) {
      HashCodeFieldType type = new HashCodeFieldType(buildFullName(context), bits.getValue(), model.getValue(),
          substringsFor(name), meta.getValue(), cache);
      return new HashCodeFieldMapper(name, type, multiFieldsBuilder.build(this, context), copyTo.build(), this);
    }

    /** m from the parameters, or 0 for {@code index: scan}; refuses parameters that do not go together. */
    private int substringsFor(String field) {
      if (index.getValue().equals(SCAN)) {
        if (substrings.getValue() != null || expectedDocs.getValue() != null) {
          throw new MapperParsingException("field [" + field + "]: \"substrings\" and \"expected_docs\" need "
              + "\"index\": \"" + MULTI_INDEX_HASHING + "\", got \"index\": \"" + SCAN + "\"");
        }
        return 0;
      }
      if (substrings.getValue() != null && expectedDocs.getValue() != null) {
        throw new MapperParsingException("field [" + field + "]: give \"substrings\" or \"expected_docs\", not both");
      }
      if (substrings.getValue() != null) {
        try {
          HashCodeSubstringsField.checkSubstrings(bits.getValue(), substrings.getValue());
        } catch (IllegalArgumentException e) {
          throw new MapperParsingException("field [" + field + "]: " + e.getMessage(), e);
        }
        return substrings.getValue();
      }
      long docs = expectedDocs.getValue() == null ? DEFAULT_EXPECTED_DOCS : expectedDocs.getValue();
      if (docs < 1) {
        throw new MapperParsingException("field [" + field + "]: expected_docs must be at least 1, got " + docs);
      }
      return HashCodeSubstringsField.suggestedSubstrings(bits.getValue(), docs);
    }
  }

  @Override
  public HashCodeFieldType fieldType() {
    return (HashCodeFieldType) super.fieldType();
  }

  @Override
  protected void parseCreateField(ParseContext context) throws IOException {
    XContentParser parser = context.parser();
    if (parser.currentToken() == XContentParser.Token.VALUE_NULL) {
      return;
    }
    HashCode code;
    try {
      code = CodeValues.parse(parser, bits);
    } catch (IllegalArgumentException e) {
      throw new MapperParsingException("failed to parse field [" + name() + "] of type [" + CONTENT_TYPE + "]: "
          + e.getMessage(), e);
    }
    if (context.doc().getField(name()) != null) {
      throw new MapperParsingException("field [" + name() + "] of type [" + CONTENT_TYPE + "] takes one code per "
          + "document, got several");
    }
    context.doc().add(new HashCodeField(name(), code, luceneType));
    if (m > 0) {
      context.doc().add(new HashCodeSubstringsField(name(), code, m));
    }
  }

  /** A sign array is one value, not one value per element. */
  @Override
  public boolean parsesArrayValue() {
    return true;
  }

  @Override
  public ParametrizedFieldMapper.Builder getMergeBuilder() {
    return new Builder(simpleName(), cache).init(this);
  }

  @Override
  protected String contentType() {
    return CONTENT_TYPE;
  }

  /** The field's code length. */
  public int bits() {
    return bits;
  }

  /** Queries on the field's codes; see {@link HashCodeFieldType#termQuery}. */
  static Query exact(String field, HashCode code) {
    return new org.apache.lucene.search.TermQuery(new org.apache.lucene.index.Term(field,
        new org.apache.lucene.util.BytesRef(code.toBytes())));
  }
}
