package org.bicmr.opensearch.mapper;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.search.Query;
import org.bicmr.lucene.HashCode;
import org.bicmr.lucene.HashCodeField;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.mapper.FieldMapper;
import org.opensearch.index.mapper.MapperParsingException;
import org.opensearch.index.mapper.ParametrizedFieldMapper;
import org.opensearch.index.mapper.ParseContext;

/**
 * The {@code bicmr_code} field: an l-bit code per document, given as hex (l/4 characters) or as an array of l numbers
 * read as signs (≥ 0 → 1), indexed with lucene-codec's {@link HashCodeField} (binary doc values + the code as one
 * term). Parameters {@code bits} (required) and {@code model} (optional) cannot change in a mapping update.
 */
public final class HashCodeFieldMapper extends ParametrizedFieldMapper {
  /** The mapping type name. */
  public static final String CONTENT_TYPE = "bicmr_code";

  /** Parses {@code "type": "bicmr_code"} mappings. */
  public static final TypeParser PARSER = new TypeParser((name, context) -> new Builder(name));

  private final int bits;
  private final String model;
  private final FieldType luceneType;

  private HashCodeFieldMapper(String simpleName, HashCodeFieldType type, MultiFields multiFields, CopyTo copyTo) {
    super(simpleName, type, multiFields, copyTo);
    this.bits = type.bits();
    this.model = type.model();
    this.luceneType = HashCodeField.fieldType(bits);
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
    private final Parameter<Map<String, String>> meta = Parameter.metaParam();

    Builder(String name) {
      super(name);
    }

    @Override
    protected List<Parameter<?>> getParameters() {
      return List.of(bits, model, meta);
    }

    @Override
    public HashCodeFieldMapper build(BuilderContext context) {
      HashCodeFieldType type = new HashCodeFieldType(buildFullName(context), bits.getValue(), model.getValue(),
          meta.getValue());
      return new HashCodeFieldMapper(name, type, multiFieldsBuilder.build(this, context), copyTo.build());
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
  }

  /** A sign array is one value, not one value per element. */
  @Override
  public boolean parsesArrayValue() {
    return true;
  }

  @Override
  public ParametrizedFieldMapper.Builder getMergeBuilder() {
    return new Builder(simpleName()).init(this);
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
