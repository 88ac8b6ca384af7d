package org.bicmr.opensearch.query;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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
        if (TEXT.match(key, parser.getDeprecationHandler()) && token == XContentParser.Token.VALUE_STRING) {
          text = parser.text();
        } else if (IMAGE_FEATURES.match(key, parser.getDeprecationHandler())
            && token == XContentParser.Token.START_ARRAY) {
          features = floats(parser);
        } else if (IMAGE.match(key, parser.getDeprecationHandler()) && token == XContentParser.Token.VALUE_STRING) {
          image = ImageBytes.decode("the value", parser.text());
        } else if (CODE.match(key, parser.getDeprecationHandler()) && token == XContentParser.Token.VALUE_STRING) {
          code = parser.text();
        } else if (MODEL.match(key, parser.getDeprecationHandler()) && token == XContentParser.Token.VALUE_STRING) {
          model = parser.text();
        } else if (K.match(key, parser.getDeprecationHandler()) && token == XContentParser.Token.VALUE_NUMBER) {
          k = parser.intValue(false);
        } else if (MAX_DISTANCE.match(key, parser.getDeprecationHandler())
            && token == XContentParser.Token.VALUE_NUMBER) {
          maxDistance = parser.intValue(false);
        } else if (FILTER.match(key, parser.getDeprecationHandler()) && token == XContentParser.Token.START_OBJECT) {
          filter = AbstractQueryBuilder.parseInnerQueryBuilder(parser);
        } else if (AbstractQueryBuilder.BOOST_FIELD.match(key, parser.getDeprecationHandler())
            && token == XContentParser.Token.VALUE_NUMBER) {
          boost = parser.floatValue();
        } else if (AbstractQueryBuilder.NAME_FIELD.match(key, parser.getDeprecationHandler())
            && token == XContentParser.Token.VALUE_STRING) {
          queryName = parser.text();
        } else {
          throw error(parser, "[" + HammingQueryBuilder.NAME + "] field [" + field + "]: unknown key [" + key
              + "] or wrong value type " + token + " (keys: text, image_features, image, code, model, k, max_distance, "
              + "filter, boost, _name)");
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

  private static ParsingException error(XContentParser parser, String message) {
    return new ParsingException(parser.getTokenLocation(), message);
  }
}
