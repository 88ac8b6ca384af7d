package org.bicmr.opensearch.reload;

import java.io.IOException;
import org.opensearch.action.support.nodes.BaseNodesRequest;
import org.opensearch.core.common.io.stream.StreamInput;

/** A reload on the nodes named by id (or {@code _local}, {@code _all}, ...); none named: every node. */
public final class ReloadRequest extends BaseNodesRequest<ReloadRequest> {
  /** A reload on {@code nodeIds}, or on every node when none is given. */
  public ReloadRequest(String... nodeIds) {
    super(nodeIds);
  }

  /** Reads a request another node wrote. */
  public ReloadRequest(StreamInput in) throws IOException {
    super(in);
  }
}
