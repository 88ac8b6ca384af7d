package org.bicmr.opensearch.model;

import java.io.IOException;
import java.util.List;
import org.opensearch.action.ActionRequest;
import org.opensearch.action.ActionRequestValidationException;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;

/**
 * Encode texts, image feature vectors or encoded images (PNG/JPEG bytes; one or a batch) with a model (null: the
 * default model), on behalf of a {@link Source} (counted per model in {@code _plugins/bicmr/stats}).
 */
public final class EncodeRequest extends ActionRequest {
  /** Who asks for the encoding. */
  public enum Source {
    /** {@code _plugins/bicmr/_encode} (and Java callers that say nothing else). */
    API,
    /** The rewrite of a {@code bicmr_hamming} query. */
    QUERY,
    /** The {@code bicmr_hash} ingest processor. */
    INGEST;

    /** The name in the stats: {@code api}, {@code query}, {@code ingest}. */
    public String key() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Source source;
  private final String model;
  private final List<String> texts;
  private final List<float[]> features;
  private final List<byte[]> images;

  /** Exactly one of {@code texts} and {@code features} is non-null and non-empty. */
  public EncodeRequest(String model, List<String> texts, List<float[]> features) {
    this(model, texts, features, null);
  }

  /** Exactly one of {@code texts}, {@code features} and {@code images} is non-null and non-empty. */
  public EncodeRequest(String model, List<String> texts, List<float[]> features, List<byte[]> images) {
    this(Source.API, model, texts, features, images);
  }

  private EncodeRequest(Source source, String model, List<String> texts, List<float[]> features, List<byte[]> images) {
    this.source = java.util.Objects.requireNonNull(source, "source");
    this.model = model;
    this.texts = texts;
    this.features = features;
    this.images = images;
  }

  /** One text ({@code text} non-null) or one feature vector. */
  public static EncodeRequest of(String model, String text, float[] features) {
    return new EncodeRequest(model, text == null ? null : List.of(text), features == null ? null : List.of(features));
  }

  /** One encoded image. */
  public static EncodeRequest ofImage(String model, byte[] image) {
    return new EncodeRequest(model, null, null, List.of(image));
  }

  /** The same request on behalf of {@code source}. */
  public EncodeRequest from(Source source) {
    return new EncodeRequest(source, model, texts, features, images);
  }

  public EncodeRequest(StreamInput in) throws IOException {
    super(in);
    source = in.readEnum(Source.class);
    model = in.readOptionalString();
    texts = in.readBoolean() ? in.readStringList() : null;
    features = in.readBoolean() ? in.readList(StreamInput::readFloatArray) : null;
    images = in.readBoolean() ? in.readList(StreamInput::readByteArray) : null;
  }

  @Override
  public void writeTo(StreamOutput out) throws IOException {
    super.writeTo(out);
    out.writeEnum(source);
    out.writeOptionalString(model);
    out.writeBoolean(texts != null);
    if (texts != null) {
      out.writeStringCollection(texts);
    }
    out.writeBoolean(features != null);
    if (features != null) {
      out.writeCollection(features, StreamOutput::writeFloatArray);
    }
    out.writeBoolean(images != null);
    if (images != null) {
      out.writeCollection(images, StreamOutput::writeByteArray);
    }
  }

  @Override
  public ActionRequestValidationException validate() {
    int inputs = (texts != null ? 1 : 0) + (features != null ? 1 : 0) + (images != null ? 1 : 0);
    if (inputs != 1 || (texts != null && texts.isEmpty()) || (features != null && features.isEmpty())
        || (images != null && images.isEmpty())) {
      ActionRequestValidationException e = new ActionRequestValidationException();
      e.addValidationError("give exactly one of [text], [image_features] and [image]");
      return e;
    }
    return null;
  }

  /**
   * An image feature vector as JSON gives it (a list of numbers), for a request: {@code what} names where it came
   * from in the errors, e.g. "[bicmr_hash] field [features]".
   */
  public static float[] features(String what, Object value) {
    if (!(value instanceof List<?> list) || list.isEmpty()) {
      throw new IllegalArgumentException(what + " must hold an array of numbers (image features), got "
          + (value instanceof List<?> ? "an empty array" : value == null ? "null" : value.getClass().getSimpleName()));
    }
    float[] out = new float[list.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(list.get(i) instanceof Number n)) {
        throw new IllegalArgumentException(what + "[" + i + "] is not a number: " + list.get(i));
      }
      out[i] = n.floatValue();
    }
    return out;
  }

  public String model() {
    return model;
  }

  public Source source() {
    return source;
  }

  /** The number of texts, feature vectors or images to encode. */
  public int inputs() {
    return texts != null ? texts.size() : features != null ? features.size() : images != null ? images.size() : 0;
  }

  public List<String> texts() {
    return texts;
  }

  public List<float[]> features() {
    return features;
  }

  public List<byte[]> images() {
    return images;
  }
}
