package org.bicmr.opensearch.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bicmr.codes.HashCode;
import org.bicmr.onnx.TextWords;
import org.opensearch.common.io.stream.BytesStreamOutput;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.xcontent.ToXContent;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.test.OpenSearchTestCase;

/**
 * {@code _encode}'s answer: a transport round trip keeps codes and words; the JSON names the words a bag-of-words
 * model read and ignored (a long list cut with "…"), and says nothing about words for a sentence encoder.
 */
public class EncodeResponseTests extends OpenSearchTestCase {

  public void testRoundTripKeepsCodesAndWords() throws Exception {
    EncodeResponse response = new EncodeResponse("tiny", List.of(HashCode.fromHex("00ff")),
        new TextWords(List.of("beach"), List.of("a", "giraffe"), false));
    BytesStreamOutput out = new BytesStreamOutput();
    response.writeTo(out);
    EncodeResponse back = new EncodeResponse(out.bytes().streamInput());
    assertEquals("tiny", back.model());
    assertEquals(response.codes(), back.codes());
    assertEquals(response.words(), back.words());
    BytesStreamOutput none = new BytesStreamOutput();
    new EncodeResponse("tiny", List.of(HashCode.fromHex("00ff"))).writeTo(none);
    assertNull(new EncodeResponse(none.bytes().streamInput()).words());
  }

  @SuppressWarnings("unchecked")
  public void testTheJsonNamesTheWordsReadAndIgnored() throws Exception {
    Map<String, Object> json = json(new EncodeResponse("tiny", List.of(HashCode.fromHex("00ff")),
        new TextWords(List.of("beach"), List.of("a", "giraffe", "on", "the"), false)));
    assertEquals("00ff", json.get("code"));
    assertEquals(Map.of("used", List.of("beach"), "ignored", List.of("a", "giraffe", "on", "the")), json.get("words"));

    List<String> many = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      many.add("w" + i);
    }
    Map<String, Object> cut = (Map<String, Object>) json(new EncodeResponse("tiny", List.of(HashCode.fromHex("00ff")),
        new TextWords(List.of(), many, false))).get("words");
    List<String> ignored = (List<String>) cut.get("ignored");
    assertEquals(51, ignored.size());
    assertEquals("w49", ignored.get(49));
    assertEquals("…", ignored.get(50));

    assertFalse(json(new EncodeResponse("bicmr-default", List.of(HashCode.fromHex("00ff")),
        new TextWords(List.of(), List.of(), true))).containsKey("words"));
  }

  private static Map<String, Object> json(EncodeResponse response) throws Exception {
    XContentBuilder builder = JsonXContent.contentBuilder();
    response.toXContent(builder, ToXContent.EMPTY_PARAMS);
    return XContentHelper.convertToMap(JsonXContent.jsonXContent, BytesReference.bytes(builder).utf8ToString(), false);
  }
}
