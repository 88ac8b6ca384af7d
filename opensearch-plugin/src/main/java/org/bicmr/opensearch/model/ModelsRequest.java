package org.bicmr.opensearch.model;

import java.io.IOException;
import org.opensearch.action.ActionRequest;
import org.opensearch.action.ActionRequestValidationException;
import org.opensearch.core.common.io.stream.StreamInput;

/** Lists the models of the node that receives it. */
public final class ModelsRequest extends ActionRequest {
  public ModelsRequest() {}

  public ModelsRequest(StreamInput in) throws IOException {
    super(in);
  }

  @Override
  public ActionRequestValidationException validate() {
    return null;
  }
}
