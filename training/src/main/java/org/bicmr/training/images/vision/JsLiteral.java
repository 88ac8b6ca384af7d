package org.bicmr.training.images.vision;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;

/**
 * Reads one JavaScript object or array literal as a minifier writes it — unquoted keys, {@code !0}/{@code !1} for
 * true/false, numbers like {@code .5} or {@code -.87} — into Gson's JSON tree. Only literals: no expressions,
 * identifiers other than {@code true false null}, or comments. Errors name the offset and what was found.
 */
final class JsLiteral {
  private final String text;
  private int pos;

  private JsLiteral(String text, int pos) {
    this.text = text;
    this.pos = pos;
  }

  /** The literal starting at {@code start} (an {@code {}, {@code [} or {@code "}) and the offset just past it. */
  record Parsed(JsonElement value, int end) {}

  static Parsed parse(String text, int start) {
    JsLiteral p = new JsLiteral(text, start);
    JsonElement v = p.value();
    return new Parsed(v, p.pos);
  }

  private JsonElement value() {
    skipSpace();
    char c = peek();
    return switch (c) {
      case '{' -> object();
      case '[' -> array();
      case '"', '\'' -> new JsonPrimitive(string());
      case '!' -> bool();
      default -> {
        if (c == '-' || c == '.' || (c >= '0' && c <= '9')) {
          yield number();
        }
        int start = pos;
        String word = identifier();
        yield switch (word) {
          case "true" -> new JsonPrimitive(true);
          case "false" -> new JsonPrimitive(false);
          case "null" -> JsonNull.INSTANCE;
          default -> {
            pos = start;
            throw error("a literal", word.isEmpty() ? String.valueOf(c) : word);
          }
        };
      }
    };
  }

  private JsonObject object() {
    expect('{');
    JsonObject o = new JsonObject();
    skipSpace();
    if (peek() == '}') {
      pos++;
      return o;
    }
    while (true) {
      skipSpace();
      char c = peek();
      String key = c == '"' || c == '\'' ? string() : identifierOrNumber();
      skipSpace();
      expect(':');
      o.add(key, value());
      skipSpace();
      char next = next();
      if (next == '}') {
        return o;
      }
      if (next != ',') {
        pos--;
        throw error("',' or '}'", String.valueOf(next));
      }
    }
  }

  private JsonArray array() {
    expect('[');
    JsonArray a = new JsonArray();
    skipSpace();
    if (peek() == ']') {
      pos++;
      return a;
    }
    while (true) {
      a.add(value());
      skipSpace();
      char next = next();
      if (next == ']') {
        return a;
      }
      if (next != ',') {
        pos--;
        throw error("',' or ']'", String.valueOf(next));
      }
    }
  }

  private JsonPrimitive bool() {
    expect('!');
    char d = next();
    if (d != '0' && d != '1') {
      pos--;
      throw error("!0 or !1", "!" + d);
    }
    return new JsonPrimitive(d == '0');
  }

  private JsonPrimitive number() {
    int start = pos;
    while (pos < text.length() && "+-.0123456789eE".indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
    String s = text.substring(start, pos);
    try {
      return new JsonPrimitive(new BigDecimal(s));
    } catch (NumberFormatException e) {
      pos = start;
      throw error("a number", s);
    }
  }

  private String string() {
    char quote = next();
    StringBuilder sb = new StringBuilder();
    while (true) {
      char c = next();
      if (c == quote) {
        return sb.toString();
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = next();
      switch (e) {
        case 'n' -> sb.append('\n');
        case 't' -> sb.append('\t');
        case 'r' -> sb.append('\r');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'u' -> {
          if (pos + 4 > text.length()) {
            throw error("four hex digits after \\u", "end of text");
          }
          sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
          pos += 4;
        }
        default -> sb.append(e); // \" \' \\ \/
      }
    }
  }

  private String identifier() {
    int start = pos;
    while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_'
        || text.charAt(pos) == '$')) {
      pos++;
    }
    return text.substring(start, pos);
  }

  private String identifierOrNumber() {
    String key = identifier();
    if (key.isEmpty()) {
      throw error("a key", String.valueOf(peek()));
    }
    return key;
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private char peek() {
    if (pos >= text.length()) {
      throw error("more text", "the end");
    }
    return text.charAt(pos);
  }

  private char next() {
    char c = peek();
    pos++;
    return c;
  }

  private void expect(char c) {
    char got = peek();
    if (got != c) {
      throw error("'" + c + "'", String.valueOf(got));
    }
    pos++;
  }

  private IllegalArgumentException error(String expected, String found) {
    return new IllegalArgumentException("JavaScript literal at offset " + pos + ": expected " + expected + ", found "
        + found);
  }
}
