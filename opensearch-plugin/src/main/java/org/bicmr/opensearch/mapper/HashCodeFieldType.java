package org.bicmr.opensearch.mapper;

import java.util.Map;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.Query;
import org.bicmr.codes.HashCode;
import org.bicmr.lucene.HashCodeCache;
import org.opensearch.index.mapper.MappedFieldType;
import org.opensearch.index.mapper.SourceValueFetcher;
import org.opensearch.index.mapper.TextSearchInfo;
import org.opensearch.index.mapper.ValueFetcher;
import org.opensearch.index.query.QueryShardContext;
import org.opensearch.index.query.QueryShardException;
import org.opensearch.search.lookup.SearchLookup;

/**
 * The mapped type of a {@code bicmr_code} field: its code length, the model whose codes it holds (or null), exact
 * term queries on a code, exists queries through the doc values, and the node's code cache, in which the
 * {@code bicmr_hamming} query (which does the Hamming search) holds the segments' codes.
 */
public final class HashCodeFieldType extends MappedFieldType {
  private final int bits;
  private final String model;
  private final int substrings;
  private final HashCodeCache cache;

  HashCodeFieldType(String name, int bits, String model, int substrings, Map<String, String> meta,
      HashCodeCache cache) {
    super(name, true, false, true, TextSearchInfo.NONE, meta);
    this.bits = bits;
    this.model = model;
    this.substrings = substrings;
    this.cache = cache;
  }

  /** The node's code cache (the plugin's), which searches of this field hold its segments' codes in. */
  public HashCodeCache codesCache() {
    return cache;
  }

  /** The substrings indexed per code for multi-index hashing, or 0 when the field is only scanned. */
  public int substrings() {
    return substrings;
  }

  /** The code length l. */
  public int bits() {
    return bits;
  }

  /** The model the field's codes come from, or null when the mapping does not say. */
  public String model() {
    return model;
  }

  @Override
  public String typeName() {
    return HashCodeFieldMapper.CONTENT_TYPE;
  }

  @Override
  public ValueFetcher valueFetcher(QueryShardContext context, SearchLookup searchLookup, String format) {
    if (format != null) {
      throw new IllegalArgumentException("field [" + name() + "] of type [" + typeName() + "] doesn't support formats");
    }
    return SourceValueFetcher.identity(name(), context, format);
  }

  @Override
  public Query termQuery(Object value, QueryShardContext context) {
    if (!(value instanceof String hex) && !(value instanceof org.apache.lucene.util.BytesRef)) {
      throw new QueryShardException(context, "field [" + name() + "] of type [" + typeName() + "] takes a hex code, got "
          + value);
    }
    String text = value instanceof String s ? s : ((org.apache.lucene.util.BytesRef) value).utf8ToString();
    try {
      HashCode code = CodeValues.fromHex(text, bits);
      return HashCodeFieldMapper.exact(name(), code);
    } catch (IllegalArgumentException e) {
      throw new QueryShardException(context, "field [" + name() + "]: " + e.getMessage());
    }
  }

  @Override
  public Query existsQuery(QueryShardContext context) {
    return new FieldExistsQuery(name());
  }
}
