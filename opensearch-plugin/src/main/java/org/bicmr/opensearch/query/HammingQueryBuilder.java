package org.bicmr.opensearch.query;

import java.io.IOException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.lucene.search.Query;
import org.apache.lucene.util.SetOnce;
import org.bicmr.codes.HashCode;
import org.bicmr.codes.ModelName;
import org.bicmr.lucene.HammingDistanceQuery;
import org.bicmr.lucene.HashCodeField;
import org.bicmr.opensearch.mapper.CodeValues;
import org.bicmr.opensearch.mapper.HashCodeFieldType;
import org.bicmr.opensearch.model.EncodeAction;
import org.bicmr.opensearch.model.EncodeRequest;
import org.bicmr.opensearch.model.EncodeResponse;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.mapper.MappedFieldType;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryRewriteContext;
import org.opensearch.index.query.QueryShardContext;

/**
 * {@code bicmr_hamming}: the documents whose code in a {@code bicmr_code} field is nearest in Hamming distance to the
 * query's — given as a code, or as a text, an image feature vector or an encoded image (base64 PNG/JPEG, for a model
 * with an image feature extractor) that a model encodes. Encoding runs once per request
 * on the coordinating node, in the rewrite phase (an async action, as neural search does), never per shard; each shard
 * then answers its exact top k (and/or radius) with lucene-codec's {@link HammingDistanceQuery}, whose score is
 * 1/(1+d).
 */
public final class HammingQueryBuilder extends AbstractQueryBuilder<HammingQueryBuilder> {
  /** The query's name in JSON. */
  public static final String NAME = "bicmr_hamming";
  /** The largest k a request may ask for. */
  public static final int MAX_K = 10_000;
  static final int DEFAULT_K = 10;

  private final String field;
  private final String text;
  private final float[] imageFeatures;
  private final byte[] image;
  private final String code;
  private final String model;
  private final Integer k;
  private final Integer maxDistance;
  private final QueryBuilder filter;
  /** Set while the text or features are being encoded; not serialised (rewrite completes on the coordinator). */
  private final Supplier<EncodeResponse> encoded;
  /** After the rewrite of a text: the words a bag-of-words model ignored, for explain and profile; else null. */
  private final java.util.List<String> ignoredWords;

  private HammingQueryBuilder(String field, String text, float[] imageFeatures, byte[] image, String code, String model,
      Integer k, Integer maxDistance, QueryBuilder filter, Supplier<EncodeResponse> encoded,
      java.util.List<String> ignoredWords) {
    this.field = field;
    this.text = text;
    this.imageFeatures = imageFeatures;
    this.image = image;
    this.code = code;
    this.model = model;
    this.k = k;
    this.maxDistance = maxDistance;
    this.filter = filter;
    this.encoded = encoded;
    this.ignoredWords = ignoredWords == null || ignoredWords.isEmpty() ? null : java.util.List.copyOf(ignoredWords);
  }

  /**
   * A validated query: exactly one of {@code text}, {@code imageFeatures} and {@code code} is non-null.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static HammingQueryBuilder of(String field, String text, float[] imageFeatures, String code, String model,
      Integer k, Integer maxDistance, QueryBuilder filter) {
    return of(field, text, imageFeatures, null, code, model, k, maxDistance, filter);
  }

  /**
   * A validated query: exactly one of {@code text}, {@code imageFeatures}, {@code image} (PNG or JPEG bytes) and
   * {@code code} is non-null.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static HammingQueryBuilder of(String field, String text, float[] imageFeatures, byte[] image, String code,
      String model, Integer k, Integer maxDistance, QueryBuilder filter) {
    if (field == null || field.isEmpty()) {
      throw new IllegalArgumentException("[" + NAME + "] needs a field name");
    }
    int inputs = (text != null ? 1 : 0) + (imageFeatures != null ? 1 : 0) + (image != null ? 1 : 0)
        + (code != null ? 1 : 0);
    if (inputs != 1) {
      throw new IllegalArgumentException("[" + NAME + "] field [" + field + "]: give exactly one of [text], "
          + "[image_features], [image] and [code], got " + inputs);
    }
    if (image != null && image.length == 0) {
      throw new IllegalArgumentException("[" + NAME + "] field [" + field + "]: [image] is empty");
    }
    if (text != null && text.isBlank()) {
      throw new IllegalArgumentException("[" + NAME + "] field [" + field + "]: [text] is empty");
    }
    if (imageFeatures != null) {
      if (imageFeatures.length == 0) {
        throw new IllegalArgumentException("[" + NAME + "] field [" + field + "]: [image_features] is empty");
      }
      for (int i = 0; i < imageFeatures.length; i++) {
        if (!Float.isFinite(imageFeatures[i])) {
          throw new IllegalArgumentException("[" + NAME + "] field [" + field + "]: [image_features][" + i + "] is "
              + imageFeatures[i] + ", expected a finite number");
        }
      }
    }
    if (code != null) {
      try {
        HashCode.fromHex(code);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("[" + NAME + "] field [" + field + "]: [code] " + e.getMessage(), e);
      }
    }
    if (k != null && (k < 1 || k > MAX_K)) {
      throw new IllegalArgumentException("[" + NAME + "] field [" + field + "]: [k] must be between 1 and " + MAX_K
          + ", got " + k);
    }
    if (maxDistance != null && maxDistance < 0) {
      throw new IllegalArgumentException("[" + NAME + "] field [" + field + "]: [max_distance] must be at least 0, got "
          + maxDistance);
    }
    if (model != null && !ModelName.isValid(model)) {
      throw new IllegalArgumentException("[" + NAME + "] field [" + field + "]: [model] must be a model name "
          + "(" + ModelName.PATTERN + "), got [" + model + "]");
    }
    return new HammingQueryBuilder(field, text, imageFeatures, image, code == null ? null : code.toLowerCase(
        java.util.Locale.ROOT), model, k, maxDistance, filter, null, null);
  }

  /** Reads a builder another node wrote. */
  public HammingQueryBuilder(StreamInput in) throws IOException {
    super(in);
    field = in.readString();
    text = in.readOptionalString();
    imageFeatures = in.readBoolean() ? in.readFloatArray() : null;
    image = in.readBoolean() ? in.readByteArray() : null;
    code = in.readOptionalString();
    model = in.readOptionalString();
    k = in.readOptionalVInt();
    maxDistance = in.readOptionalVInt();
    filter = in.readOptionalNamedWriteable(QueryBuilder.class);
    encoded = null;
    ignoredWords = in.readOptionalStringList();
  }

  @Override
  protected void doWriteTo(StreamOutput out) throws IOException {
    if (encoded != null) {
      throw new IllegalStateException("[" + NAME + "] must be rewritten before it is sent to another node");
    }
    out.writeString(field);
    out.writeOptionalString(text);
    out.writeBoolean(imageFeatures != null);
    if (imageFeatures != null) {
      out.writeFloatArray(imageFeatures);
    }
    out.writeBoolean(image != null);
    if (image != null) {
      out.writeByteArray(image);
    }
    out.writeOptionalString(code);
    out.writeOptionalString(model);
    out.writeOptionalVInt(k);
    out.writeOptionalVInt(maxDistance);
    out.writeOptionalNamedWriteable(filter);
    out.writeOptionalStringCollection(ignoredWords);
  }

  @Override
  protected void doXContent(XContentBuilder builder, Params params) throws IOException {
    builder.startObject(NAME).startObject(field);
    if (text != null) {
      builder.field(HammingQueryParser.TEXT.getPreferredName(), text);
    }
    if (imageFeatures != null) {
      builder.array(HammingQueryParser.IMAGE_FEATURES.getPreferredName(), imageFeatures);
    }
    if (image != null) {
      builder.field(HammingQueryParser.IMAGE.getPreferredName(), Base64.getEncoder().encodeToString(image));
    }
    if (code != null) {
      builder.field(HammingQueryParser.CODE.getPreferredName(), code);
    }
    if (model != null) {
      builder.field(HammingQueryParser.MODEL.getPreferredName(), model);
    }
    if (k != null) {
      builder.field(HammingQueryParser.K.getPreferredName(), k);
    }
    if (maxDistance != null) {
      builder.field(HammingQueryParser.MAX_DISTANCE.getPreferredName(), maxDistance);
    }
    if (filter != null) {
      builder.field(HammingQueryParser.FILTER.getPreferredName(), filter);
    }
    printBoostAndQueryName(builder);
    builder.endObject().endObject();
  }

  /** Parses {@code {"bicmr_hamming": {"<field>": {...}}}} (the parser is positioned inside the outer object). */
  public static HammingQueryBuilder fromXContent(XContentParser parser) throws IOException {
    return HammingQueryParser.parse(parser);
  }

  @Override
  protected QueryBuilder doRewrite(QueryRewriteContext context) throws IOException {
    if (code != null) {
      QueryBuilder rewrittenFilter = filter == null ? null : filter.rewrite(context);
      return rewrittenFilter == filter ? this
          : copy(text, imageFeatures, image, code, model, rewrittenFilter, null, ignoredWords);
    }
    if (encoded != null) {
      EncodeResponse response = encoded.get();
      return response == null ? this
          : copy(null, null, null, response.code().toHex(), response.model(), filter, null,
              response.words() == null || response.words().everyWord() ? null : response.words().ignored());
    }
    SetOnce<EncodeResponse> result = new SetOnce<>();
    EncodeRequest request = (image != null ? EncodeRequest.ofImage(model, image)
        : EncodeRequest.of(model, text, imageFeatures)).from(EncodeRequest.Source.QUERY);
    String input = image != null ? "[image]" : text != null ? "[text]" : "[image_features]";
    context.registerAsyncAction((client, listener) -> client.execute(EncodeAction.INSTANCE, request,
        ActionListener.wrap(response -> {
          result.set(response);
          listener.onResponse(null);
        }, e -> listener.onFailure(e instanceof IllegalArgumentException ? new IllegalArgumentException("[" + NAME
            + "] field [" + field + "] " + input + ": " + e.getMessage(), e) : e))));
    return copy(text, imageFeatures, image, null, model, filter, result::get, null);
  }

  private HammingQueryBuilder copy(String text, float[] features, byte[] image, String code, String model,
      QueryBuilder filter, Supplier<EncodeResponse> encoded, java.util.List<String> ignored) {
    HammingQueryBuilder copy = new HammingQueryBuilder(field, text, features, image, code, model, k, maxDistance,
        filter, encoded, ignored);
    copy.boost(boost()).queryName(queryName());
    return copy;
  }

  @Override
  protected Query doToQuery(QueryShardContext context) throws IOException {
    if (code == null) {
      throw new IllegalStateException("[" + NAME + "] field [" + field + "]: the text or image was not encoded; the "
          + "query must be rewritten first");
    }
    MappedFieldType type = context.fieldMapper(field);
    if (type == null) {
      throw new IllegalArgumentException("[" + NAME + "] field [" + field + "] is not mapped");
    }
    if (!(type instanceof HashCodeFieldType codeType)) {
      throw new IllegalArgumentException("[" + NAME + "] field [" + field + "] is of type [" + type.typeName()
          + "], expected [bicmr_code]");
    }
    int bits = codeType.bits();
    if (codeType.model() != null && model != null && !codeType.model().equals(model)) {
      throw new IllegalArgumentException("[" + NAME + "] field [" + field + "] holds codes of model ["
          + codeType.model() + "], the query uses model [" + model + "]");
    }
    HashCode query;
    try {
      query = CodeValues.fromHex(code, bits);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("[" + NAME + "] field [" + field + "] has " + bits + "-bit codes: "
          + e.getMessage() + (model != null ? " (model [" + model + "])" : ""), e);
    }
    if (maxDistance != null && maxDistance > bits) {
      throw new IllegalArgumentException("[" + NAME + "] field [" + field + "]: [max_distance] must be between 0 and "
          + bits + ", got " + maxDistance);
    }
    int limit = k != null ? k : maxDistance != null ? HammingDistanceQuery.ALL : DEFAULT_K;
    Query filterQuery = filter == null ? null : filter.toQuery(context);
    Query hamming = HashCodeField.newQuery(field, query, limit, maxDistance == null ? bits : maxDistance, filterQuery,
        codeType.codesCache()); // the node's cache: a load it has no room for fails with the breaker's 429
    return ignoredWords == null ? hamming : new IgnoredWordsQuery(hamming, ignoredWords);
  }

  @Override
  protected boolean doEquals(HammingQueryBuilder o) {
    return field.equals(o.field) && Objects.equals(text, o.text) && Arrays.equals(imageFeatures, o.imageFeatures)
        && Arrays.equals(image, o.image)
        && Objects.equals(code, o.code) && Objects.equals(model, o.model) && Objects.equals(k, o.k)
        && Objects.equals(maxDistance, o.maxDistance) && Objects.equals(filter, o.filter)
        && Objects.equals(encoded, o.encoded) && Objects.equals(ignoredWords, o.ignoredWords);
  }

  @Override
  protected int doHashCode() {
    return Objects.hash(field, text, Arrays.hashCode(imageFeatures), Arrays.hashCode(image), code, model, k, maxDistance, filter, encoded,
        ignoredWords);
  }

  @Override
  public String getWriteableName() {
    return NAME;
  }

  public String field() {
    return field;
  }

  public String code() {
    return code;
  }

  public String model() {
    return model;
  }

  /** The requested k, or null for the default. */
  public Integer k() {
    return k;
  }

  /** The largest Hamming distance, or null for none. */
  public Integer maxDistance() {
    return maxDistance;
  }
}
