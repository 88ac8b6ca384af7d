package org.bicmr.opensearch.reload;

import java.io.IOException;
import java.util.List;
import org.bicmr.opensearch.mapper.MappingModelCheck;
import org.bicmr.opensearch.model.Models;
import org.opensearch.action.FailedNodeException;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.nodes.TransportNodesAction;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;

/**
 * Runs {@link ReloadAction} on each node: {@link Models#reload} with the {@code bicmr_code} fields of the node's
 * cluster state that name a model, on the generic thread pool (loading bundles takes a while).
 */
public final class TransportReloadAction
    extends TransportNodesAction<ReloadRequest, ReloadResponse, ReloadNodeRequest, NodeReload> {
  private final Models models;

  @Inject
  public TransportReloadAction(ThreadPool threadPool, ClusterService clusterService, TransportService transportService,
      ActionFilters actionFilters, Models models) {
    super(ReloadAction.NAME, threadPool, clusterService, transportService, actionFilters, ReloadRequest::new,
        ReloadNodeRequest::new, ThreadPool.Names.GENERIC, NodeReload.class);
    this.models = models;
  }

  @Override
  protected ReloadResponse newResponse(ReloadRequest request, List<NodeReload> nodes,
      List<FailedNodeException> failures) {
    return new ReloadResponse(clusterService.getClusterName(), nodes, failures);
  }

  @Override
  protected ReloadNodeRequest newNodeRequest(ReloadRequest request) {
    return new ReloadNodeRequest();
  }

  @Override
  protected NodeReload newNodeResponse(StreamInput in) throws IOException {
    return new NodeReload(in);
  }

  @Override
  protected NodeReload nodeOperation(ReloadNodeRequest request) {
    return new NodeReload(clusterService.localNode(),
        models.reload(MappingModelCheck.fieldsByModel(clusterService.state().metadata())));
  }
}
