package org.bicmr.opensearch.stats;

import java.io.IOException;
import java.util.List;
import org.bicmr.lucene.HashCodeCache;
import org.bicmr.opensearch.model.Models;
import org.opensearch.action.FailedNodeException;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.nodes.TransportNodesAction;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.core.common.breaker.CircuitBreaker;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.indices.breaker.CircuitBreakerService;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;

/** Answers {@link StatsAction} on each node from the node's code cache, breaker and models. */
public final class TransportStatsAction
    extends TransportNodesAction<StatsRequest, StatsResponse, StatsNodeRequest, NodeStats> {
  /** The name of the plugin's breaker (registered by {@code BiCmrPlugin}, which this package does not depend on). */
  private static final String BREAKER = "bicmr_codes";

  private final HashCodeCache cache;
  private final CircuitBreakerService breakers;
  private final Models models;

  @Inject
  public TransportStatsAction(ThreadPool threadPool, ClusterService clusterService, TransportService transportService,
      ActionFilters actionFilters, HashCodeCache cache, CircuitBreakerService breakers, Models models) {
    super(StatsAction.NAME, threadPool, clusterService, transportService, actionFilters, StatsRequest::new,
        StatsNodeRequest::new, ThreadPool.Names.MANAGEMENT, NodeStats.class);
    this.cache = cache;
    this.breakers = breakers;
    this.models = models;
  }

  @Override
  protected StatsResponse newResponse(StatsRequest request, List<NodeStats> nodes, List<FailedNodeException> failures) {
    return new StatsResponse(clusterService.getClusterName(), nodes, failures);
  }

  @Override
  protected StatsNodeRequest newNodeRequest(StatsRequest request) {
    return new StatsNodeRequest();
  }

  @Override
  protected NodeStats newNodeResponse(StreamInput in) throws IOException {
    return new NodeStats(in);
  }

  @Override
  protected NodeStats nodeOperation(StatsNodeRequest request) {
    NodeStats.Codes codes = new NodeStats.Codes(cache.ramBytesUsed(), cache.inUseBytes(), cache.maxBytes(),
        cache.segmentCount(),
        cache.loadCount(), cache.evictionCount(), cache.refusalCount());
    CircuitBreaker b = breakers.getBreaker(BREAKER);
    NodeStats.Breaker breaker = b == null ? new NodeStats.Breaker(BREAKER, -1, 0, 0)
        : new NodeStats.Breaker(b.getName(), b.getLimit(), b.getUsed(), b.getTrippedCount());
    return new NodeStats(clusterService.localNode(), codes, breaker, models.encodeStats());
  }
}
