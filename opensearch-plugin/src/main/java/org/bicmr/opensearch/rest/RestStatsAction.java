package org.bicmr.opensearch.rest;

import java.util.List;
import org.bicmr.opensearch.stats.StatsAction;
import org.bicmr.opensearch.stats.StatsRequest;
import org.opensearch.core.common.Strings;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestActions;
import org.opensearch.transport.client.node.NodeClient;

/**
 * {@code GET _plugins/bicmr/stats} (every node) and {@code GET _plugins/bicmr/{node_id}/stats} (ids, names or
 * {@code _local}, comma-separated): per node, the code cache, the {@code bicmr_codes} breaker and the encode calls.
 */
public final class RestStatsAction extends BaseRestHandler {
  @Override
  public String getName() {
    return "bicmr_stats";
  }

  @Override
  public List<Route> routes() {
    return List.of(new Route(RestRequest.Method.GET, "/_plugins/bicmr/stats"),
        new Route(RestRequest.Method.GET, "/_plugins/bicmr/{node_id}/stats"));
  }

  @Override
  protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
    StatsRequest stats = new StatsRequest(Strings.splitStringByCommaToArray(request.param("node_id")));
    stats.timeout(request.param("timeout"));
    return channel -> client.execute(StatsAction.INSTANCE, stats, new RestActions.NodesResponseRestListener<>(channel));
  }
}
