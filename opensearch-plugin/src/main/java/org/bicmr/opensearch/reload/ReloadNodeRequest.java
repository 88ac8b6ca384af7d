package org.bicmr.opensearch.reload;

import java.io.IOException;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.transport.TransportRequest;

/** What one node is asked: reload (nothing to say beyond that). */
final class ReloadNodeRequest extends TransportRequest {
  ReloadNodeRequest() {}

  ReloadNodeRequest(StreamInput in) throws IOException {
    super(in);
  }
}
