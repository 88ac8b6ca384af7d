package org.bicmr.opensearch.stats;

import java.io.IOException;
import org.opensearch.action.support.nodes.BaseNodesRequest;
import org.opensearch.core.common.io.stream.StreamInput;

/** The stats of the nodes named by id (or {@code _local}, {@code _all}, ...); none named: every node. */
public final class StatsRequest extends BaseNodesRequest<StatsRequest> {
  public StatsRequest(String... nodeIds) {
    super(nodeIds);
  }

  public StatsRequest(StreamInput in) throws IOException {
    super(in);
  }
}
