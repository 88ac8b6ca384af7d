package org.bicmr.opensearch.mapper;

import static org.hamcrest.Matchers.containsString;

import java.util.Collection;
import java.util.List;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.util.BytesRef;
import org.bicmr.lucene.HashCode;
import org.bicmr.lucene.HashCodeField;
import org.bicmr.opensearch.BiCmrPlugin;
import org.opensearch.index.mapper.DocumentMapper;
import org.opensearch.index.mapper.MapperParsingException;
import org.opensearch.index.mapper.MapperService;
import org.opensearch.index.mapper.ParsedDocument;
import org.opensearch.index.mapper.MapperServiceTestCase;
import org.opensearch.plugins.Plugin;

/** The {@code bicmr_code} mapping: hex and sign arrays in, HashCodeField out, errors naming the field, fixed bits. */
public class HashCodeFieldMapperTests extends MapperServiceTestCase {

  @Override
  protected Collection<? extends Plugin> getPlugins() {
    return List.of(new BiCmrPlugin());
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
}
