package org.bicmr.opensearch.stats;

import java.io.IOException;
import java.util.Map;
import org.bicmr.opensearch.model.EncodeStats;
import org.opensearch.action.support.nodes.BaseNodeResponse;
import org.opensearch.cluster.node.DiscoveryNode;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.common.unit.ByteSizeValue;
import org.opensearch.core.xcontent.ToXContentFragment;
import org.opensearch.core.xcontent.XContentBuilder;

/**
 * One node's figures: its code cache, its {@code bicmr_codes} breaker and its encode calls per model and source.
 *
 * @param encode model → source ({@code api}, {@code ingest}, {@code query}) → calls
 */
public final class NodeStats extends BaseNodeResponse implements ToXContentFragment {
  /**
   * The code cache: bytes held, of which in use by running searches, and the limit; segment cores with arrays, loads,
   * evictions and refusals.
   */
  public record Codes(long heldBytes, long inUseBytes, long limitBytes, int segments, long loads, long evictions,
      long refusals) {}

  /** The circuit breaker: its name, limit, the bytes charged to it, and how often it refused. */
  public record Breaker(String name, long limitBytes, long estimatedBytes, long tripped) {}

  private final Codes codes;
  private final Breaker breaker;
  private final Map<String, Map<String, EncodeStats>> encode;

  NodeStats(DiscoveryNode node, Codes codes, Breaker breaker, Map<String, Map<String, EncodeStats>> encode) {
    super(node);
    this.codes = codes;
    this.breaker = breaker;
    this.encode = encode;
  }

  NodeStats(StreamInput in) throws IOException {
    super(in);
    codes = new Codes(in.readVLong(), in.readVLong(), in.readVLong(), in.readVInt(), in.readVLong(), in.readVLong(),
        in.readVLong());
    breaker = new Breaker(in.readString(), in.readLong(), in.readLong(), in.readVLong());
    encode = in.readMap(StreamInput::readString, i -> i.readMap(StreamInput::readString, EncodeStats::read));
  }

  @Override
  public void writeTo(StreamOutput out) throws IOException {
    super.writeTo(out);
    out.writeVLong(codes.heldBytes());
    out.writeVLong(codes.inUseBytes());
    out.writeVLong(codes.limitBytes());
    out.writeVInt(codes.segments());
    out.writeVLong(codes.loads());
    out.writeVLong(codes.evictions());
    out.writeVLong(codes.refusals());
    out.writeString(breaker.name());
    out.writeLong(breaker.limitBytes());
    out.writeLong(breaker.estimatedBytes());
    out.writeVLong(breaker.tripped());
    out.writeMap(encode, StreamOutput::writeString, (o, bySource) -> o.writeMap(bySource, StreamOutput::writeString,
        (w, stats) -> stats.writeTo(w)));
  }

  public Codes codes() {
    return codes;
  }

  public Breaker breaker() {
    return breaker;
  }

  /** Model → source → calls. */
  public Map<String, Map<String, EncodeStats>> encode() {
    return encode;
  }

  @Override
  public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
    builder.field("name", getNode().getName());
    builder.startObject("codes");
    builder.humanReadableField("held_in_bytes", "held", new ByteSizeValue(codes.heldBytes()));
    builder.humanReadableField("in_use_in_bytes", "in_use", new ByteSizeValue(codes.inUseBytes()));
    builder.humanReadableField("limit_in_bytes", "limit", new ByteSizeValue(codes.limitBytes()));
    builder.field("segments", codes.segments()).field("loads", codes.loads()).field("evictions", codes.evictions())
        .field("refusals", codes.refusals());
    builder.endObject();
    builder.startObject("breaker").field("name", breaker.name());
    builder.humanReadableField("limit_size_in_bytes", "limit_size", new ByteSizeValue(breaker.limitBytes()));
    builder.humanReadableField("estimated_size_in_bytes", "estimated_size",
        new ByteSizeValue(breaker.estimatedBytes()));
    builder.field("tripped", breaker.tripped());
    builder.endObject();
    builder.startObject("encode");
    for (var model : encode.entrySet()) {
      builder.startObject(model.getKey());
      EncodeStats total = EncodeStats.NONE;
      for (EncodeStats s : model.getValue().values()) {
        total = total.plus(s);
      }
      total.toXContent(builder, params);
      builder.startObject("by_source");
      for (var source : model.getValue().entrySet()) {
        builder.startObject(source.getKey());
        source.getValue().toXContent(builder, params);
        builder.endObject();
      }
      builder.endObject().endObject();
    }
    return builder.endObject();
  }
}
