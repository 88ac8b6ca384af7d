package org.bicmr.opensearch.model;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.bicmr.lucene.HashCode;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;

/** The codes of encoded inputs, in request order, and the model that made them. */
public final class EncodeResponse extends ActionResponse implements ToXContentObject {
  private final String model;
  private final List<HashCode> codes;

  public EncodeResponse(String model, List<HashCode> codes) {
    this.model = model;
    this.codes = List.copyOf(codes);
  }

  public EncodeResponse(StreamInput in) throws IOException {
    super(in);
    model = in.readString();
    int n = in.readVInt();
    List<HashCode> read = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      read.add(HashCode.fromBytes(in.readByteArray()));
    }
    codes = List.copyOf(read);
  }

  @Override
  public void writeTo(StreamOutput out) throws IOException {
    out.writeString(model);
    out.writeVInt(codes.size());
    for (HashCode c : codes) {
      out.writeByteArray(c.toBytes());
    }
  }

  public String model() {
    return model;
  }

  public List<HashCode> codes() {
    return codes;
  }

  /** The single code of a one-input request. */
  public HashCode code() {
    return codes.get(0);
  }

  @Override
  public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
    builder.startObject().field("model", model).field("bits", codes.get(0).bits());
    if (codes.size() == 1) {
      builder.field("code", codes.get(0).toHex());
    } else {
      builder.startArray("codes");
      for (HashCode c : codes) {
        builder.value(c.toHex());
      }
      builder.endArray();
    }
    return builder.endObject();
  }
}
