package org.bicmr.opensearch.reload;

import java.io.IOException;
import java.util.List;
import org.opensearch.action.FailedNodeException;
import org.opensearch.action.support.nodes.BaseNodesResponse;
import org.opensearch.cluster.ClusterName;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContentFragment;
import org.opensearch.core.xcontent.XContentBuilder;

/**
 * Every asked node's {@link NodeReload}, keyed by node id: {@code "nodes": {...}}, after OpenSearch's usual
 * {@code _nodes} header (whose {@code failures} name the nodes where the reload failed) and {@code cluster_name}.
 */
public final class ReloadResponse extends BaseNodesResponse<NodeReload> implements ToXContentFragment {
  ReloadResponse(ClusterName clusterName, List<NodeReload> nodes, List<FailedNodeException> failures) {
    super(clusterName, nodes, failures);
  }

  /** Reads a response another node wrote. */
  public ReloadResponse(StreamInput in) throws IOException {
    super(in);
  }

  @Override
  protected List<NodeReload> readNodesFrom(StreamInput in) throws IOException {
    return in.readList(NodeReload::new);
  }

  @Override
  protected void writeNodesTo(StreamOutput out, List<NodeReload> nodes) throws IOException {
    out.writeList(nodes);
  }

  @Override
  public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
    builder.startObject("nodes");
    for (NodeReload node : getNodes()) {
      builder.startObject(node.getNode().getId());
      node.toXContent(builder, params);
      builder.endObject();
    }
    return builder.endObject();
  }
}
