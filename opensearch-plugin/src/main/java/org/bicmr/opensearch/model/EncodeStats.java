package org.bicmr.opensearch.model;

import java.io.IOException;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.common.io.stream.Writeable;
import org.opensearch.core.xcontent.ToXContentFragment;
import org.opensearch.core.xcontent.XContentBuilder;

/**
 * Encode calls of one model on one node (for one source, or in all): how many, how many inputs they held, how many
 * failed, and the time they took in the model, in nanoseconds.
 */
public record EncodeStats(long calls, long inputs, long failures, long nanos) implements Writeable, ToXContentFragment {
  /** No calls. */
  public static final EncodeStats NONE = new EncodeStats(0, 0, 0, 0);

  /** Reads what {@link #writeTo} wrote. */
  public static EncodeStats read(StreamInput in) throws IOException {
    return new EncodeStats(in.readVLong(), in.readVLong(), in.readVLong(), in.readVLong());
  }

  @Override
  public void writeTo(StreamOutput out) throws IOException {
    out.writeVLong(calls);
    out.writeVLong(inputs);
    out.writeVLong(failures);
    out.writeVLong(nanos);
  }

  /** The sum of two. */
  public EncodeStats plus(EncodeStats other) {
    return new EncodeStats(calls + other.calls, inputs + other.inputs, failures + other.failures, nanos + other.nanos);
  }

  /** {@code calls}, {@code inputs}, {@code failures}, {@code time_in_millis} (and {@code time} when human). */
  @Override
  public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
    builder.field("calls", calls).field("inputs", inputs).field("failures", failures);
    builder.humanReadableField("time_in_millis", "time",
        org.opensearch.common.unit.TimeValue.timeValueNanos(nanos));
    return builder;
  }
}
