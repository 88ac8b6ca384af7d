package org.bicmr.training.images.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

/** Minified JavaScript literals as nsfwjs' model.min.js writes them read as the JSON they stand for. */
class JsLiteralTest {
  @Test
  void readsMinifiedLiterals() {
    String js = "x={a:{b:[1,-.5,.999,8.999999749903509e-7,-2E3],c:!0,d:!1,e:null,'f g':\"h\\\"i\\u0041\",$k:[],l:{}}}"
        + " trailing";
    JsLiteral.Parsed p = JsLiteral.parse(js, 2);
    assertEquals(JsonParser.parseString("{\"a\":{\"b\":[1,-0.5,0.999,8.999999749903509e-7,-2000],\"c\":true,"
        + "\"d\":false,\"e\":null,\"f g\":\"h\\\"iA\",\"$k\":[],\"l\":{}}}"), p.value());
    assertEquals(js.indexOf(" trailing"), p.end());
    JsonObject o = p.value().getAsJsonObject().getAsJsonObject("a");
    assertEquals(8.999999749903509e-7, o.getAsJsonArray("b").get(3).getAsDouble());
  }

  @Test
  void readsSpacesAndNestedArrays() {
    assertEquals(JsonParser.parseString("{\"padding\":[[0,1],[0,1]],\"n\":[null,224,224,3]}"),
        JsLiteral.parse("{ padding : [ [0, 1], [0,1] ] , n: [null, 224, 224, 3] }", 0).value());
  }

  @Test
  void errorsNameTheOffsetAndWhatWasFound() {
    assertEquals("JavaScript literal at offset 3: expected a literal, found foo",
        assertThrows(IllegalArgumentException.class, () -> JsLiteral.parse("{a:foo}", 0)).getMessage());
    assertEquals("JavaScript literal at offset 4: expected ',' or '}', found ;",
        assertThrows(IllegalArgumentException.class, () -> JsLiteral.parse("{a:1;}", 0)).getMessage());
    assertEquals("JavaScript literal at offset 4: expected more text, found the end",
        assertThrows(IllegalArgumentException.class, () -> JsLiteral.parse("[1,2", 0)).getMessage());
    assertEquals("JavaScript literal at offset 1: expected !0 or !1, found !2",
        assertThrows(IllegalArgumentException.class, () -> JsLiteral.parse("!2", 0)).getMessage());
  }
}
