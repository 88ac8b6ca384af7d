package org.bicmr.opensearch.model;

import java.util.Set;
import java.util.function.Supplier;
import org.opensearch.action.ActionRequest;
import org.opensearch.action.bulk.BulkAction;
import org.opensearch.action.search.SearchAction;
import org.opensearch.action.support.ActionFilter;
import org.opensearch.action.support.ActionFilterChain;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.tasks.Task;

/**
 * Holds one registry of the node's models for each bulk request (an index request runs as one) and each search
 * request, from its start on this node until its response: every {@code bicmr_hash} processor of its pipelines and
 * every {@code bicmr_hamming} clause it encodes then uses one model version, even while a reload swaps the models.
 * Other requests hold a registry per encode call.
 */
public final class RequestModels implements ActionFilter {
  private static final Set<String> ACTIONS = Set.of(BulkAction.NAME, SearchAction.NAME);

  private final Supplier<Models> models;

  /** @param models this node's models (the supplier gives null until the plugin has loaded them: nothing is held) */
  public RequestModels(Supplier<Models> models) {
    this.models = models;
  }

  @Override
  public int order() {
    return 0;
  }

  @Override
  public <Request extends ActionRequest, Response extends ActionResponse> void apply(Task task, String action,
      Request request, ActionListener<Response> listener, ActionFilterChain<Request, Response> chain) {
    Models nodeModels = models.get();
    if (nodeModels == null || !ACTIONS.contains(action)) {
      chain.proceed(task, action, request, listener);
      return;
    }
    nodeModels.withOneRegistry(listener, held -> chain.proceed(task, action, request, held));
  }
}
