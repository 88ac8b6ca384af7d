package org.bicmr.opensearch.rest;

import java.util.List;
import org.bicmr.opensearch.reload.ReloadAction;
import org.bicmr.opensearch.reload.ReloadRequest;
import org.opensearch.core.common.Strings;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestActions;
import org.opensearch.transport.client.node.NodeClient;

/**
 * {@code POST _plugins/bicmr/models/_reload} (every node) and {@code POST _plugins/bicmr/{node_id}/models/_reload}:
 * each node reads its models directory again and swaps its models; per node, what it now serves.
 */
public final class RestReloadAction extends BaseRestHandler {
  @Override
  public String getName() {
    return "bicmr_models_reload";
  }

  @Override
  public List<Route> routes() {
    return List.of(new Route(RestRequest.Method.POST, "/_plugins/bicmr/models/_reload"),
        new Route(RestRequest.Method.POST, "/_plugins/bicmr/{node_id}/models/_reload"));
  }

  @Override
  protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
    ReloadRequest reload = new ReloadRequest(Strings.splitStringByCommaToArray(request.param("node_id")));
    reload.timeout(request.param("timeout"));
    return channel -> client.execute(ReloadAction.INSTANCE, reload,
        new RestActions.NodesResponseRestListener<>(channel));
  }
}
