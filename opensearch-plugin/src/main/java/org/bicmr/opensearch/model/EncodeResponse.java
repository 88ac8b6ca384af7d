package org.bicmr.opensearch.model;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.bicmr.codes.HashCode;
import org.bicmr.onnx.TextWords;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;

/**
 * The codes of encoded inputs, in request order, and the model that made them; for a single text also which of its
 * words the model read (a bag-of-words model ignores the words outside its vocabulary).
 */
public final class EncodeResponse extends ActionResponse implements ToXContentObject {
  /** The most ignored words listed; a longer list ends with "…". */
  static final int IGNORED_SHOWN = 50;

  private final String model;
  private final List<HashCode> codes;
  private final TextWords words;

  public EncodeResponse(String model, List<HashCode> codes) {
    this(model, codes, null);
  }

  /** @param words which words of the single text were read, or null (not one text) */
  public EncodeResponse(String model, List<HashCode> codes, TextWords words) {
    this.model = model;
    this.codes = List.copyOf(codes);
    this.words = words;
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
    words = in.readBoolean() ? new TextWords(in.readStringList(), in.readStringList(), in.readBoolean()) : null;
  }

  @Override
  public void writeTo(StreamOutput out) throws IOException {
    out.writeString(model);
    out.writeVInt(codes.size());
    for (HashCode c : codes) {
      out.writeByteArray(c.toBytes());
    }
    out.writeBoolean(words != null);
    if (words != null) {
      out.writeStringCollection(words.used());
      out.writeStringCollection(words.ignored());
      out.writeBoolean(words.everyWord());
    }
  }

  /** Which words of the single text were read, or null. */
  public TextWords words() {
    return words;
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
    if (words != null && !words.everyWord()) { // a sentence encoder reads every word: nothing to say
      builder.startObject("words").field("used", words.used());
      List<String> ignored = words.ignored().size() <= IGNORED_SHOWN ? words.ignored()
          : new ArrayList<>(words.ignored().subList(0, IGNORED_SHOWN));
      if (ignored.size() < words.ignored().size()) {
        ignored.add("…");
      }
      builder.field("ignored", ignored).endObject();
    }
    return builder.endObject();
  }
}
