package org.bicmr.opensearch.rest;

import java.util.List;
import org.bicmr.opensearch.model.ModelsAction;
import org.bicmr.opensearch.model.ModelsRequest;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestToXContentListener;
import org.opensearch.transport.client.node.NodeClient;

/** {@code GET _plugins/bicmr/models}: the node's models (bits, dimensions, metrics, device) and failed bundles. */
public final class RestModelsAction extends BaseRestHandler {
  @Override
  public String getName() {
    return "bicmr_models";
  }

  @Override
  public List<Route> routes() {
    return List.of(new Route(RestRequest.Method.GET, "/_plugins/bicmr/models"));
  }

  @Override
  protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
    return channel -> client.execute(ModelsAction.INSTANCE, new ModelsRequest(), new RestToXContentListener<>(channel));
  }
}
