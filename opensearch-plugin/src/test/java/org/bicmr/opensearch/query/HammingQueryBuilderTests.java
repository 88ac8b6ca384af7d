package org.bicmr.opensearch.query;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import org.apache.lucene.search.Query;
import org.bicmr.codes.HashCode;
import org.bicmr.lucene.HammingDistanceQuery;
import org.bicmr.opensearch.BiCmrPlugin;
import org.opensearch.action.admin.indices.mapping.put.PutMappingRequest;
import org.opensearch.common.compress.CompressedXContent;
import org.opensearch.core.common.ParsingException;
import org.opensearch.index.mapper.MapperService;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.index.query.QueryRewriteContext;
import org.opensearch.index.query.QueryShardContext;
import org.opensearch.plugins.Plugin;
import org.opensearch.test.AbstractQueryTestCase;
import org.opensearch.test.TestGeoShapeFieldMapperPlugin;

/**
 * {@code bicmr_hamming} through OpenSearch's query builder test harness: random builders are parsed back from their
 * JSON, serialised across versions, compared for equality and turned into Lucene queries; plus the JSON errors. Text
 * and image inputs need the encode action, which this harness's client cannot run: here they are replaced by a code
 * before {@code toQuery} (the async rewrite itself is tested on a real cluster in {@code HammingSearchIT}).
 */
public class HammingQueryBuilderTests extends AbstractQueryTestCase<HammingQueryBuilder> {
  private static final String CODE_64 = "code64";
  private static final String CODE_16 = "code16";

  @Override
  protected Collection<Class<? extends Plugin>> getPlugins() {
    return List.of(BiCmrPlugin.class, TestGeoShapeFieldMapperPlugin.class);
  }

  @Override
  protected void initializeAdditionalMappings(MapperService mapperService) throws IOException {
    mapperService.merge("_doc", new CompressedXContent(PutMappingRequest.simpleMapping(
        CODE_64, "type=bicmr_code,bits=64", CODE_16, "type=bicmr_code,bits=16,model=m16").toString()),
        MapperService.MergeReason.MAPPING_UPDATE);
  }

  private static String randomHex(Random r, int bits) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < bits / 4; i++) {
      s.append(Character.forDigit(r.nextInt(16), 16));
    }
    return s.toString();
  }

  @Override
  protected HammingQueryBuilder doCreateTestQueryBuilder() {
    boolean wide = randomBoolean();
    String field = wide ? CODE_64 : CODE_16;
    int bits = wide ? 64 : 16;
    String text = null;
    float[] features = null;
    byte[] image = null;
    String code = null;
    switch (randomIntBetween(0, 4)) {
      case 0 -> text = randomAlphaOfLengthBetween(1, 10) + " " + randomAlphaOfLengthBetween(1, 10);
      case 1 -> {
        features = new float[randomIntBetween(1, 8)];
        for (int i = 0; i < features.length; i++) {
          features[i] = randomFloat();
        }
      }
      case 2 -> image = randomByteArrayOfLength(randomIntBetween(1, 64)); // any bytes: decoded at encode time
      default -> code = randomHex(random(), bits);
    }
    String model = wide ? (randomBoolean() ? null : "m64") : (randomBoolean() ? null : "m16");
    Integer k = randomBoolean() ? null : randomIntBetween(1, HammingQueryBuilder.MAX_K);
    Integer maxDistance = randomBoolean() ? null : randomIntBetween(0, bits);
    QueryBuilder filter = randomBoolean() ? null : QueryBuilders.termQuery(KEYWORD_FIELD_NAME, randomAlphaOfLength(5));
    return HammingQueryBuilder.of(field, text, features, image, code, model, k, maxDistance, filter);
  }

  /** Text and image inputs become a code as the encode action would (a fixed function of the input here). */
  @Override
  protected QueryBuilder rewriteQuery(HammingQueryBuilder builder, QueryRewriteContext context) throws IOException {
    HammingQueryBuilder coded = builder;
    if (builder.code() == null) {
      int bits = builder.field().equals(CODE_64) ? 64 : 16;
      coded = HammingQueryBuilder.of(builder.field(), null, null, randomHex(new Random(java.util.Objects.hash(
          field(builder, "text"), java.util.Arrays.hashCode((float[]) field(builder, "imageFeatures")),
          java.util.Arrays.hashCode((byte[]) field(builder, "image")))), bits),
          builder.model(), kOf(builder), maxDistanceOf(builder), filterOf(builder));
      coded.boost(builder.boost()).queryName(builder.queryName());
    }
    return super.rewriteQuery(coded, context);
  }

  private static Integer kOf(HammingQueryBuilder b) {
    return (Integer) field(b, "k");
  }

  private static Integer maxDistanceOf(HammingQueryBuilder b) {
    return (Integer) field(b, "maxDistance");
  }

  private static QueryBuilder filterOf(HammingQueryBuilder b) {
    return (QueryBuilder) field(b, "filter");
  }

  private static Object field(HammingQueryBuilder b, String name) {
    try {
      var f = HammingQueryBuilder.class.getDeclaredField(name);
      f.setAccessible(true);
      return f.get(b);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  protected void doAssertLuceneQuery(HammingQueryBuilder builder, Query query, QueryShardContext context) {
    assertThat(query, instanceOf(HammingDistanceQuery.class));
    HammingDistanceQuery q = (HammingDistanceQuery) query;
    assertEquals(builder.field(), q.getField());
    int bits = builder.field().equals(CODE_64) ? 64 : 16;
    assertEquals(bits, q.getCode().bits());
    if (builder.code() != null) {
      assertEquals(HashCode.fromHex(builder.code()), q.getCode());
    }
    Integer k = kOf(builder);
    Integer maxDistance = maxDistanceOf(builder);
    int expectedK = k != null ? k : maxDistance != null ? HammingDistanceQuery.ALL : HammingQueryBuilder.DEFAULT_K;
    assertEquals(expectedK, q.getK());
    assertEquals(maxDistance != null ? maxDistance : bits, q.getMaxDistance());
    assertEquals(filterOf(builder) == null, q.getFilter() == null);
    // the node's code cache reaches the query through the field type, never a static
    assertSame(((org.bicmr.opensearch.mapper.HashCodeFieldType) context.fieldMapper(builder.field())).codesCache(),
        q.getCache());
    assertNotNull(q.getCache());
  }

  /** Text and image inputs cannot become a Lucene query before the rewrite has encoded them; codes can. */
  @Override
  public void testMustRewrite() throws IOException {
    QueryShardContext context = createShardContext();
    HammingQueryBuilder text = HammingQueryBuilder.of(CODE_64, "sunset beach", null, null, null, 5, null, null);
    IllegalStateException e = expectThrows(IllegalStateException.class, () -> text.toQuery(context));
    assertEquals("[bicmr_hamming] field [code64]: the text or image was not encoded; the query must be "
        + "rewritten first", e.getMessage());
    HammingQueryBuilder features = HammingQueryBuilder.of(CODE_16, null, new float[] {1, 2}, null, null, 5, null, null);
    expectThrows(IllegalStateException.class, () -> features.toQuery(context));
    HammingQueryBuilder image = HammingQueryBuilder.of(CODE_16, null, null, new byte[] {1}, null, null, 5, null, null);
    expectThrows(IllegalStateException.class, () -> image.toQuery(context));
    assertThat(HammingQueryBuilder.of(CODE_16, null, null, "00ff", null, 5, null, null).toQuery(context),
        instanceOf(HammingDistanceQuery.class));
  }

  public void testParsesTheDesignJson() throws IOException {
    String json = "{\"bicmr_hamming\": {\"code64\": {\"code\": \"00FF00FF00FF00FF\", \"model\": \"m64\", \"k\": 7, "
        + "\"max_distance\": 12, \"filter\": {\"term\": {\"" + KEYWORD_FIELD_NAME + "\": \"cc-by\"}}, "
        + "\"boost\": 2.0, \"_name\": \"q\"}}}";
    HammingQueryBuilder b = (HammingQueryBuilder) parseQuery(json);
    assertEquals("code64", b.field());
    assertEquals("00ff00ff00ff00ff", b.code());
    assertEquals(2.0f, b.boost(), 0f);
    assertEquals("q", b.queryName());
    assertEquals(Integer.valueOf(7), kOf(b));
    assertEquals(Integer.valueOf(12), maxDistanceOf(b));
  }

  public void testBadJsonIsAParsingErrorNamingTheProblem() {
    assertParseError("{\"bicmr_hamming\": {\"code64\": {\"text\": \"a\", \"code\": \"00ff00ff00ff00ff\"}}}",
        "give exactly one of [text], [image_features], [image] and [code], got 2");
    assertParseError("{\"bicmr_hamming\": {\"code64\": {\"k\": 3}}}",
        "give exactly one of [text], [image_features], [image] and [code], got 0");
    assertParseError("{\"bicmr_hamming\": {\"code64\": {\"code\": \"00ff00ff00ff00ff\", \"k\": 0}}}",
        "[k] must be between 1 and 10000, got 0");
    assertParseError("{\"bicmr_hamming\": {\"code64\": {\"code\": \"00ff00ff00ff00ff\", \"k\": 10001}}}",
        "[k] must be between 1 and 10000, got 10001");
    assertParseError("{\"bicmr_hamming\": {\"code64\": {\"code\": \"00ff00ff00ff00ff\", \"max_distance\": -1}}}",
        "[max_distance] must be at least 0, got -1");
    assertParseError("{\"bicmr_hamming\": {\"code64\": {\"code\": \"zz\"}}}", "[code]");
    assertParseError("{\"bicmr_hamming\": {\"code64\": {\"text\": \"  \"}}}", "[text] is empty");
    assertParseError("{\"bicmr_hamming\": {\"code64\": {\"text\": \"a\", \"model\": \"../etc\"}}}",
        "[model] must be a model name ([a-z0-9][a-z0-9_.-]*), got [../etc]");
    assertParseError("{\"bicmr_hamming\": {\"code64\": {\"text\": \"a\", \"colour\": 1}}}", "unknown key [colour]");
    assertParseError("{\"bicmr_hamming\": {\"code64\": {\"text\": \"a\"}, \"code16\": {\"text\": \"b\"}}}",
        "takes one field, got [code64] and [code16]");
    assertParseError("{\"bicmr_hamming\": {\"code64\": {\"image_features\": [1, \"x\"]}}}",
        "expected numbers, got VALUE_STRING at position 1");
    assertParseError("{\"bicmr_hamming\": {\"code64\": {\"image\": \"not base64!\"}}}",
        "[bicmr_hamming] field [code64] [image]: the value is not valid base64 (");
    assertParseError("{\"bicmr_hamming\": {\"code64\": {\"image\": \"\"}}}",
        "[bicmr_hamming] field [code64] [image]: the value is an empty string; expected base64 image bytes");
    assertParseError("{\"bicmr_hamming\": {\"code64\": {\"image\": [1, 2]}}}",
        "[bicmr_hamming] field [code64] [image]: expected a string, got an array");
    assertParseError("{\"bicmr_hamming\": {\"code64\": {\"text\": \"a\", \"k\": [10]}}}",
        "[bicmr_hamming] field [code64] [k]: expected a number, got an array");
    assertParseError("{\"bicmr_hamming\": {\"code64\": {\"text\": \"a\", \"k\": \"ten\"}}}",
        "[bicmr_hamming] field [code64] [k]: expected a whole number, got [ten]");
    assertParseError("{\"bicmr_hamming\": {\"code64\": {\"text\": 5}}}",
        "[bicmr_hamming] field [code64] [text]: expected a string, got a number");
    assertParseError("{\"bicmr_hamming\": {\"code64\": {\"image\": \"iVBORw0KGgo=\", \"text\": \"a\"}}}",
        "give exactly one of [text], [image_features], [image] and [code], got 2");
  }

  public void testNumbersAsStringsAndACodeAsSignsAreAccepted() throws IOException {
    // "k": "10" as OpenSearch's own parsers take it; the code as 64 signs, as the field takes it: bits 0-3 and 63
    // set, most significant bit first (DESIGN §3), is f000000000000001
    StringBuilder signs = new StringBuilder();
    for (int i = 0; i < 64; i++) {
      signs.append(i == 0 ? "" : ", ").append(i < 4 || i == 63 ? "0.5" : "-1");
    }
    HammingQueryBuilder b = (HammingQueryBuilder) parseQuery("{\"bicmr_hamming\": {\"code64\": {\"code\": ["
        + signs + "], \"k\": \"7\", \"max_distance\": \"3\", \"boost\": \"2.5\"}}}");
    assertEquals("f000000000000001", b.code());
    assertEquals(Integer.valueOf(7), b.k());
    assertEquals(Integer.valueOf(3), b.maxDistance());
    assertEquals(2.5f, b.boost(), 0f);
  }

  public void testAnImageIsBase64InJsonAndADataUriIsAccepted() throws IOException {
    byte[] bytes = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
    String base64 = java.util.Base64.getEncoder().encodeToString(bytes);
    HammingQueryBuilder b = (HammingQueryBuilder) parseQuery("{\"bicmr_hamming\": {\"code64\": {\"image\": \""
        + base64 + "\", \"k\": 3}}}");
    assertArrayEquals(bytes, (byte[]) field(b, "image"));
    assertThat(b.toString(), containsString("\"" + base64 + "\""));
    HammingQueryBuilder uri = (HammingQueryBuilder) parseQuery("{\"bicmr_hamming\": {\"code64\": {\"image\": "
        + "\"data:image/png;base64," + base64 + "\", \"k\": 3}}}");
    assertEquals(b, uri);
    String tooLong = "A".repeat(org.bicmr.opensearch.model.ImageBytes.MAX_BASE64_CHARS + 4);
    assertParseError("{\"bicmr_hamming\": {\"code64\": {\"image\": \"" + tooLong + "\"}}}", "holds "
        + tooLong.length() + " base64 characters, more than the limit of "
        + org.bicmr.opensearch.model.ImageBytes.MAX_BASE64_CHARS);
  }

  private void assertParseError(String json, String fragment) {
    ParsingException e = expectThrows(ParsingException.class, () -> parseQuery(json));
    assertThat(e.getMessage(), containsString(fragment));
  }

  public void testToQueryChecksTheFieldAgainstTheCode() throws IOException {
    QueryShardContext context = createShardContext();
    assertToQueryError(context, HammingQueryBuilder.of(CODE_64, null, null, "00ff", null, null, null, null),
        "[bicmr_hamming] field [code64] has 64-bit codes: expected 16 hex characters (a 64-bit code), got 4: \"00ff\"");
    assertToQueryError(context, HammingQueryBuilder.of(CODE_16, null, null, "00ff", "other", null, null, null),
        "[bicmr_hamming] field [code16] holds codes of model [m16], the query uses model [other]");
    assertToQueryError(context, HammingQueryBuilder.of(CODE_16, null, null, "00ff", null, null, 17, null),
        "[bicmr_hamming] field [code16]: [max_distance] must be between 0 and 16, got 17");
    assertToQueryError(context, HammingQueryBuilder.of(KEYWORD_FIELD_NAME, null, null, "00ff", null, null, null, null),
        "[bicmr_hamming] field [" + KEYWORD_FIELD_NAME + "] is of type [keyword], expected [bicmr_code]");
    assertToQueryError(context, HammingQueryBuilder.of("nope", null, null, "00ff", null, null, null, null),
        "[bicmr_hamming] field [nope] is not mapped");
  }

  private static void assertToQueryError(QueryShardContext context, HammingQueryBuilder b, String message) {
    IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> b.toQuery(context));
    assertEquals(message, e.getMessage());
  }
}
