package org.bicmr.opensearch.model;

import java.io.IOException;
import java.util.Map;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;

/**
 * The node's models (name → description as JSON text), the bundles that failed to load, and the registry's
 * generation (1 at the node's start, one more at each reload).
 */
public final class ModelsResponse extends ActionResponse implements ToXContentObject {
  private final long generation;
  private final Map<String, String> models;
  private final Map<String, String> failures;

  public ModelsResponse(long generation, Map<String, String> models, Map<String, String> failures) {
    this.generation = generation;
    this.models = models;
    this.failures = failures;
  }

  public ModelsResponse(StreamInput in) throws IOException {
    super(in);
    generation = in.readVLong();
    models = in.readMap(StreamInput::readString, StreamInput::readString);
    failures = in.readMap(StreamInput::readString, StreamInput::readString);
  }

  @Override
  public void writeTo(StreamOutput out) throws IOException {
    out.writeVLong(generation);
    out.writeMap(models, StreamOutput::writeString, StreamOutput::writeString);
    out.writeMap(failures, StreamOutput::writeString, StreamOutput::writeString);
  }

  public Map<String, String> models() {
    return models;
  }

  @Override
  public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
    builder.startObject().field("generation", generation).startObject("models");
    for (var e : models.entrySet()) {
      builder.field(e.getKey());
      builder.rawValue(new java.io.ByteArrayInputStream(e.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8)),
          org.opensearch.common.xcontent.XContentType.JSON.xContent().mediaType());
    }
    builder.endObject().startObject("failed");
    for (var e : failures.entrySet()) {
      builder.field(e.getKey(), e.getValue());
    }
    return builder.endObject().endObject();
  }
}
