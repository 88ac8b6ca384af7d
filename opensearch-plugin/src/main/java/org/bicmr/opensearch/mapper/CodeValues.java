package org.bicmr.opensearch.mapper;

import java.io.IOException;
import java.util.Locale;
import org.bicmr.codes.HashCode;
import org.opensearch.core.xcontent.XContentParser;

/**
 * Reads a code as JSON gives it (DESIGN §3): a hex string of l/4 characters, or an array of l numbers read as signs
 * (a raw hash-layer output). Errors name what was expected and what came.
 */
public final class CodeValues {
  private CodeValues() {}

  /** The code at the parser's current token, which must have {@code bits} bits. */
  public static HashCode parse(XContentParser parser, int bits) throws IOException {
    XContentParser.Token token = parser.currentToken();
    if (token == XContentParser.Token.VALUE_STRING) {
      return fromHex(parser.text(), bits);
    }
    if (token == XContentParser.Token.START_ARRAY) {
      float[] signs = new float[bits];
      int n = 0;
      while ((token = parser.nextToken()) != XContentParser.Token.END_ARRAY) {
        if (token != XContentParser.Token.VALUE_NUMBER) {
          throw new IllegalArgumentException("expected a hex string or an array of " + bits + " numbers, got an array "
              + "holding " + token);
        }
        float v = parser.floatValue();
        if (n < bits) {
          signs[n] = v;
        }
        n++;
        if (Float.isNaN(v)) {
          throw new IllegalArgumentException("element " + (n - 1) + " of the sign array is NaN");
        }
      }
      if (n != bits) {
        throw new IllegalArgumentException("expected " + bits + " signs (a " + bits + "-bit code), got " + n);
      }
      return HashCode.fromSigns(signs);
    }
    throw new IllegalArgumentException("expected a hex string or an array of " + bits + " numbers, got " + token);
  }

  /** The code of a hex string, which must have {@code bits}/4 characters. */
  public static HashCode fromHex(String hex, int bits) {
    if (hex.length() != bits / 4) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "expected %d hex characters (a %d-bit code), got %d: \"%s\"", bits / 4, bits, hex.length(),
          hex.length() > 80 ? hex.substring(0, 77) + "..." : hex));
    }
    try {
      return HashCode.fromHex(hex);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("expected hex (0-9, a-f), got \"" + hex + "\"", e);
    }
  }
}
