package org.bicmr.opensearch.query;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.bicmr.codes.HashCode;
import org.bicmr.opensearch.model.ImageBytes;
import org.opensearch.core.ParseField;
import org.opensearch.core.common.ParsingException;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.QueryBuilder;

/**
 * Reads {@code {"<field>": {"text" | "image_features" | "image" | "code": …, "model", "k", "max_distance", "filter", "boost",
 * "_name"}}}. An unknown key, a second field, a wrong value type or a builder rule broken is a {@link
 * ParsingException} naming it.
 */
final class HammingQueryParser {
  static final ParseField TEXT = new ParseField("text");
  static final ParseField IMAGE_FEATURES = new ParseField("image_features");
  static final ParseField IMAGE = new ParseField("image");
  static final ParseField CODE = new ParseField("code");
  static final ParseField MODEL = new ParseField("model");
  static final ParseField K = new ParseField("k");
  static final ParseField MAX_DISTANCE = new ParseField("max_distance");
  static final ParseField FILTER = new ParseField("filter");

  private HammingQueryParser() {}

  static HammingQueryBuilder parse(XContentParser parser) throws IOException {
    String field = null;
    String text = null;
    float[] features = null;
    byte[] image = null;
    String code = null;
    String model = null;
    Integer k = null;
    Integer maxDistance = null;
    QueryBuilder filter = null;
    float boost = AbstractQueryBuilder.DEFAULT_BOOST;
    String queryName = null;

    XContentParser.Token token = parser.nextToken();
    if (token != XContentParser.Token.FIELD_NAME) {
      throw error(parser, "expected a field name, got " + token);
    }
    field = parser.currentName();
    if (parser.nextToken() != XContentParser.Token.START_OBJECT) {
      throw error(parser, "field [" + field + "] must hold an object");
    }
    String key = null;
    while ((token = parser.nextToken()) != XContentParser.Token.END_OBJECT) {
      if (token == XContentParser.Token.FIELD_NAME) {
        key = parser.currentName();
        continue;
      }
      try {
        if (TEXT.match(key, parser.getDeprecationHandler())) {
          text = string(parser, token);
        } else if (IMAGE_FEATURES.match(key, parser.getDeprecationHandler())) {
          expect(token, XContentParser.Token.START_ARRAY, "an array of numbers");
          features = floats(parser);
        } else if (IMAGE.match(key, parser.getDeprecationHandler())) {
          image = ImageBytes.decode("the value", string(parser, token));
        } else if (CODE.match(key, parser.getDeprecationHandler())) {
          // hex, or an array of l numbers read as signs, as the field takes them
          code = token == XContentParser.Token.START_ARRAY ? HashCode.fromSigns(floats(parser)).toHex()
              : string(parser, token);
        } else if (MODEL.match(key, parser.getDeprecationHandler())) {
          model = string(parser, token);
        } else if (K.match(key, parser.getDeprecationHandler())) {
          k = integer(parser, token);
        } else if (MAX_DISTANCE.match(key, parser.getDeprecationHandler())) {
          maxDistance = integer(parser, token);
        } else if (FILTER.match(key, parser.getDeprecationHandler())) {
          expect(token, XContentParser.Token.START_OBJECT, "a query object");
          filter = AbstractQueryBuilder.parseInnerQueryBuilder(parser);
        } else if (AbstractQueryBuilder.BOOST_FIELD.match(key, parser.getDeprecationHandler())) {
          number(token);
          boost = parser.floatValue(true);
        } else if (AbstractQueryBuilder.NAME_FIELD.match(key, parser.getDeprecationHandler())) {
          queryName = string(parser, token);
        } else {
          throw error(parser, "[" + HammingQueryBuilder.NAME + "] field [" + field + "]: unknown key [" + key
              + "] (keys: text, image_features, image, code, model, k, max_distance, filter, boost, _name)");
        }
      } catch (IllegalArgumentException e) {
        throw new ParsingException(parser.getTokenLocation(), "[" + HammingQueryBuilder.NAME + "] field [" + field
            + "] [" + key + "]: " + e.getMessage(), e);
      }
    }
    if (parser.nextToken() != XContentParser.Token.END_OBJECT) {
      throw error(parser, "[" + HammingQueryBuilder.NAME + "] takes one field, got [" + field + "] and ["
          + parser.currentName() + "]");
    }
    try {
      HammingQueryBuilder builder = HammingQueryBuilder.of(field, text, features, image, code, model, k, maxDistance,
          filter);
      builder.boost(boost).queryName(queryName);
      return builder;
    } catch (IllegalArgumentException e) {
      throw new ParsingException(parser.getTokenLocation(), e.getMessage(), e);
    }
  }

  private static float[] floats(XContentParser parser) throws IOException {
    List<Float> values = new ArrayList<>();
    XContentParser.Token token;
    while ((token = parser.nextToken()) != XContentParser.Token.END_ARRAY) {
      if (token != XContentParser.Token.VALUE_NUMBER) {
        throw new IllegalArgumentException("expected numbers, got " + token + " at position " + values.size());
      }
      values.add(parser.floatValue());
    }
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  private static String string(XContentParser parser, XContentParser.Token token) throws IOException {
    expect(token, XContentParser.Token.VALUE_STRING, "a string");
    return parser.text();
  }

  /** A whole number, also as a string ("10"), as OpenSearch's own parsers take it. */
  private static int integer(XContentParser parser, XContentParser.Token token) throws IOException {
    number(token);
    try {
      return parser.intValue(true);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("expected a whole number, got [" + parser.text() + "]", e);
    }
  }

  private static void number(XContentParser.Token token) {
    if (token != XContentParser.Token.VALUE_NUMBER && token != XContentParser.Token.VALUE_STRING) {
      throw new IllegalArgumentException("expected a number, got " + describe(token));
    }
  }

  private static void expect(XContentParser.Token token, XContentParser.Token expected, String what) {
    if (token != expected) {
      throw new IllegalArgumentException("expected " + what + ", got " + describe(token));
    }
  }

  private static String describe(XContentParser.Token token) {
    return switch (token) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER -> "a number";
      case VALUE_BOOLEAN -> "a boolean";
      case VALUE_NULL -> "null";
      default -> token.toString();
    };
  }

  private static ParsingException error(XContentParser parser, String message) {
    return new ParsingException(parser.getTokenLocation(), message);
  }
}
