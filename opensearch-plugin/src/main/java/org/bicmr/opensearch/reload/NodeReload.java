package org.bicmr.opensearch.reload;

import java.io.IOException;
import java.util.Map;
import org.bicmr.opensearch.model.ReloadReport;
import org.opensearch.action.support.nodes.BaseNodeResponse;
import org.opensearch.cluster.node.DiscoveryNode;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContentFragment;
import org.opensearch.core.xcontent.XContentBuilder;

/** What a reload did on one node: its {@link ReloadReport}. */
public final class NodeReload extends BaseNodeResponse implements ToXContentFragment {
  private final ReloadReport report;

  NodeReload(DiscoveryNode node, ReloadReport report) {
    super(node);
    this.report = report;
  }

  NodeReload(StreamInput in) throws IOException {
    super(in);
    long generation = in.readVLong();
    Map<String, ReloadReport.Model> models = in.readMap(StreamInput::readString,
        i -> new ReloadReport.Model(i.readString(), i.readString(), i.readVInt()));
    report = new ReloadReport(generation, models, in.readStringList(),
        in.readMap(StreamInput::readString, StreamInput::readString));
  }

  @Override
  public void writeTo(StreamOutput out) throws IOException {
    super.writeTo(out);
    out.writeVLong(report.generation());
    out.writeMap(report.models(), StreamOutput::writeString, (o, m) -> {
      o.writeString(m.status());
      o.writeString(m.version());
      o.writeVInt(m.bits());
    });
    out.writeStringCollection(report.removed());
    out.writeMap(report.failed(), StreamOutput::writeString, StreamOutput::writeString);
  }

  /** What the reload did here. */
  public ReloadReport report() {
    return report;
  }

  /**
   * {@code name}, {@code generation}, {@code models} (name → status, version, bits), {@code removed} and
   * {@code failed} (name → reason).
   */
  @Override
  public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
    builder.field("name", getNode().getName()).field("generation", report.generation());
    builder.startObject("models");
    for (var e : report.models().entrySet()) {
      builder.startObject(e.getKey()).field("status", e.getValue().status()).field("version", e.getValue().version())
          .field("bits", e.getValue().bits()).endObject();
    }
    builder.endObject();
    builder.field("removed", report.removed());
    builder.startObject("failed");
    for (var e : report.failed().entrySet()) {
      builder.field(e.getKey(), e.getValue());
    }
    return builder.endObject();
  }
}
