package org.bicmr.opensearch.model;

import org.opensearch.action.ActionRunnable;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.HandledTransportAction;
import org.opensearch.common.inject.Inject;
import org.opensearch.core.action.ActionListener;
import org.opensearch.tasks.Task;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;

/**
 * Runs {@link EncodeAction} with one registry of the node's {@link Models}, held for the call: a request is encoded
 * whole by one model version, even while a reload swaps the registry. The encoding runs on the plugin's {@link
 * #THREAD_POOL}, never on the calling thread: a query's text arrives on a network thread (the coordinating node
 * rewrites the query there), which must not wait for a model.
 */
public final class TransportEncodeAction extends HandledTransportAction<EncodeRequest, EncodeResponse> {
  /** The plugin's thread pool for encoding texts and images outside ingest (queries, {@code _encode}). */
  public static final String THREAD_POOL = "bicmr_encode";

  private final Models models;
  private final ThreadPool threadPool;

  @Inject
  public TransportEncodeAction(TransportService transportService, ActionFilters actionFilters, Models models,
      ThreadPool threadPool) {
    super(EncodeAction.NAME, transportService, actionFilters, EncodeRequest::new);
    this.models = models;
    this.threadPool = threadPool;
  }

  @Override
  protected void doExecute(Task task, EncodeRequest request, ActionListener<EncodeResponse> listener) {
    // the pool's executor carries the thread context over, and with it the registry a search holds
    threadPool.executor(THREAD_POOL).execute(ActionRunnable.supply(listener, () -> {
      try (Models.Lease lease = models.acquire()) {
        return lease.registry().encode(request);
      }
    }));
  }
}
