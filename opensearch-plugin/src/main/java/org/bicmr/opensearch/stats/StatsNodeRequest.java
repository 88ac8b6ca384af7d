package org.bicmr.opensearch.stats;

import java.io.IOException;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.transport.TransportRequest;

/** What one node is asked: its stats (nothing to say beyond that). */
final class StatsNodeRequest extends TransportRequest {
  StatsNodeRequest() {}

  StatsNodeRequest(StreamInput in) throws IOException {
    super(in);
  }
}
