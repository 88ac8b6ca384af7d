package org.bicmr.opensearch.mapper;

import static org.hamcrest.Matchers.containsString;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.BytesTermAttribute;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.util.BytesRef;
import org.bicmr.codes.HashCode;
import org.bicmr.lucene.HashCodeField;
import org.bicmr.lucene.HashCodeSubstringsField;
import org.bicmr.opensearch.BiCmrPlugin;
import org.opensearch.index.mapper.DocumentMapper;
import org.opensearch.index.mapper.MapperParsingException;
import org.opensearch.index.mapper.MapperService;
import org.opensearch.index.mapper.MapperServiceTestCase;
import org.opensearch.index.mapper.ParsedDocument;
import org.opensearch.plugins.Plugin;

/** The {@code bicmr_code} mapping: hex and sign arrays in, HashCodeField out, errors naming the field, fixed bits. */
public class HashCodeFieldMapperTests extends MapperServiceTestCase {

  @Override
  protected Collection<? extends Plugin> getPlugins() {
    return List.of(new BiCmrPlugin(org.opensearch.common.settings.Settings.EMPTY));
  }

  private DocumentMapper mapper16() throws Exception {
    return createDocumentMapper(fieldMapping(b -> b.field("type", "bicmr_code").field("bits", 16).field("model", "m")));
  }

  private static HashCodeField codeField(ParsedDocument doc) {
    for (IndexableField f : doc.rootDoc().getFields("field")) {
      if (f instanceof HashCodeField h) {
        return h;
      }
    }
    throw new AssertionError("no HashCodeField in " + doc.rootDoc());
  }

  public void testHexAndSignArraysGiveTheSameCode() throws Exception {
    DocumentMapper mapper = mapper16();
    ParsedDocument hex = mapper.parse(source(b -> b.field("field", "AC0E")));
    // signs ≥ 0 are 1: 1010 1100 0000 1110 = ac0e, bit 0 first
    float[] signs = {1, -1, 0.5f, -2, 1, 1, -1, -1, -1, -1, -1, -1, 0, 3, 1, -0.1f};
    ParsedDocument array = mapper.parse(source(b -> b.array("field", signs)));
    assertEquals(HashCode.fromHex("ac0e"), codeField(hex).code());
    assertEquals(HashCode.fromHex("ac0e"), codeField(array).code());
    assertEquals(new BytesRef(new byte[] {(byte) 0xac, 0x0e}), codeField(hex).binaryValue());
    ParsedDocument none = mapper.parse(source(b -> b.field("field", (String) null)));
    assertEquals(0, none.rootDoc().getFields("field").length);
  }

  public void testBadValuesNameTheFieldAndWhatWasExpected() throws Exception {
    DocumentMapper mapper = mapper16();
    assertParseError(mapper, "ac0", "failed to parse field [field] of type [bicmr_code]: expected 4 hex characters (a "
        + "16-bit code), got 3: \"ac0\"");
    assertParseError(mapper, "zzzz", "expected hex (0-9, a-f), got \"zzzz\"");
    MapperParsingException e = expectThrows(MapperParsingException.class,
        () -> mapper.parse(source(b -> b.array("field", new float[] {1, 2, 3}))));
    assertThat(e.getCause().getMessage(), containsString("expected 16 signs (a 16-bit code), got 3"));
    e = expectThrows(MapperParsingException.class, () -> mapper.parse(source(b -> b.field("field", 7))));
    assertThat(e.getCause().getMessage(), containsString("expected a hex string or an array of 16 numbers"));
  }

  private void assertParseError(DocumentMapper mapper, String value, String fragment) {
    MapperParsingException e = expectThrows(MapperParsingException.class,
        () -> mapper.parse(source(b -> b.field("field", value))));
    assertThat(e.getCause().getMessage(), containsString(fragment));
  }

  public void testBitsAreRequiredValidAndFixed() throws Exception {
    MapperParsingException missing = expectThrows(MapperParsingException.class,
        () -> createDocumentMapper(fieldMapping(b -> b.field("type", "bicmr_code"))));
    assertThat(missing.getMessage(), containsString("a bicmr_code field needs \"bits\""));
    MapperParsingException odd = expectThrows(MapperParsingException.class,
        () -> createDocumentMapper(fieldMapping(b -> b.field("type", "bicmr_code").field("bits", 12))));
    assertThat(odd.getMessage(), containsString("multiple of 8"));

    MapperService service = createMapperService(fieldMapping(b -> b.field("type", "bicmr_code").field("bits", 16)
        .field("model", "m")));
    IllegalArgumentException bits = expectThrows(IllegalArgumentException.class, () -> merge(service,
        fieldMapping(b -> b.field("type", "bicmr_code").field("bits", 32).field("model", "m"))));
    assertThat(bits.getMessage(), containsString("Cannot update parameter [bits] from [16] to [32]"));
    IllegalArgumentException model = expectThrows(IllegalArgumentException.class, () -> merge(service,
        fieldMapping(b -> b.field("type", "bicmr_code").field("bits", 16).field("model", "other"))));
    assertThat(model.getMessage(), containsString("Cannot update parameter [model] from [m] to [other]"));
    HashCodeFieldType type = (HashCodeFieldType) service.fieldType("field");
    assertEquals(16, type.bits());
    assertEquals("m", type.model());
  }

  public void testMultiIndexHashingIndexesTheSubstrings() throws Exception {
    DocumentMapper mapper = createDocumentMapper(fieldMapping(b -> b.field("type", "bicmr_code").field("bits", 16)
        .field("index", "multi_index_hashing").field("substrings", 4)));
    ParsedDocument doc = mapper.parse(source(b -> b.field("field", "ac0e")));
    IndexableField[] substrings = doc.rootDoc().getFields("field" + HashCodeSubstringsField.SUFFIX);
    assertEquals(1, substrings.length);
    assertEquals("4", substrings[0].fieldType().getAttributes().get(HashCodeSubstringsField.SUBSTRINGS_ATTRIBUTE));
    // 16 bits in 4 substrings of 4: a, c, 0, e; each term is the substring's number, then its value in 8 bytes
    List<BytesRef> terms = new ArrayList<>();
    try (TokenStream stream = substrings[0].tokenStream(null, null)) {
      BytesTermAttribute term = stream.addAttribute(BytesTermAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        terms.add(BytesRef.deepCopyOf(term.getBytesRef()));
      }
    }
    assertEquals(List.of(term(0, 0xa), term(1, 0xc), term(2, 0x0), term(3, 0xe)), terms);
    assertEquals(4, ((HashCodeFieldType) createMapperService(fieldMapping(b -> b.field("type", "bicmr_code")
        .field("bits", 16).field("index", "multi_index_hashing").field("substrings", 4))).fieldType("field"))
        .substrings());
  }

  private static BytesRef term(int j, int value) {
    byte[] bytes = new byte[9];
    bytes[0] = (byte) j;
    bytes[8] = (byte) value;
    return new BytesRef(bytes);
  }

  public void testSubstringsFollowExpectedDocs() throws Exception {
    // substrings of about log2(n) bits: 1,000,000 docs (the default) -> 20 bits -> 64 / 20 -> 3; 65,536 -> 16 -> 4
    assertEquals(3, substringsOf(fieldMapping(b -> b.field("type", "bicmr_code").field("bits", 64)
        .field("index", "multi_index_hashing"))));
    assertEquals(4, substringsOf(fieldMapping(b -> b.field("type", "bicmr_code").field("bits", 64)
        .field("index", "multi_index_hashing").field("expected_docs", 65536))));
    assertEquals(0, substringsOf(fieldMapping(b -> b.field("type", "bicmr_code").field("bits", 64))));
    ParsedDocument scanned = createDocumentMapper(fieldMapping(b -> b.field("type", "bicmr_code").field("bits", 16)))
        .parse(source(b -> b.field("field", "ac0e")));
    assertEquals(0, scanned.rootDoc().getFields("field" + HashCodeSubstringsField.SUFFIX).length);
  }

  private int substringsOf(org.opensearch.core.xcontent.XContentBuilder mapping) throws Exception {
    return ((HashCodeFieldType) createMapperService(mapping).fieldType("field")).substrings();
  }

  public void testIndexOptionsThatDoNotGoTogetherAreRefused() throws Exception {
    assertMappingError(b -> b.field("type", "bicmr_code").field("bits", 16).field("substrings", 2),
        "field [field]: \"substrings\" and \"expected_docs\" need \"index\": \"multi_index_hashing\"");
    assertMappingError(b -> b.field("type", "bicmr_code").field("bits", 16).field("index", "multi_index_hashing")
        .field("substrings", 2).field("expected_docs", 100), "give \"substrings\" or \"expected_docs\", not both");
    assertMappingError(b -> b.field("type", "bicmr_code").field("bits", 128).field("index", "multi_index_hashing")
        .field("substrings", 1), "a 128-bit code splits into 2 to 128 substrings (each at most 64 bits), got 1");
    assertMappingError(b -> b.field("type", "bicmr_code").field("bits", 16).field("index", "hnsw"),
        "Unknown value [hnsw] for field [index] - accepted values are [scan, multi_index_hashing]");
    MapperService service = createMapperService(fieldMapping(b -> b.field("type", "bicmr_code").field("bits", 16)));
    IllegalArgumentException update = expectThrows(IllegalArgumentException.class, () -> merge(service,
        fieldMapping(b -> b.field("type", "bicmr_code").field("bits", 16).field("index", "multi_index_hashing"))));
    assertThat(update.getMessage(), containsString("Cannot update parameter [index] from [scan] to [multi_index_hashing]"));
  }

  private void assertMappingError(org.opensearch.common.CheckedConsumer<org.opensearch.core.xcontent.XContentBuilder,
      java.io.IOException> mapping, String fragment) {
    MapperParsingException e = expectThrows(MapperParsingException.class, () -> createDocumentMapper(
        fieldMapping(mapping)));
    assertThat(e.getMessage() + " / " + e.getCause(), e.getMessage() + " " + (e.getCause() == null ? ""
        : e.getCause().getMessage()), containsString(fragment));
  }
}
