package org.bicmr.opensearch.model;

import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.HandledTransportAction;
import org.opensearch.common.inject.Inject;
import org.opensearch.core.action.ActionListener;
import org.opensearch.tasks.Task;
import org.opensearch.transport.TransportService;

/**
 * Runs {@link EncodeAction} with one registry of the node's {@link Models}, held for the call: a request is encoded
 * whole by one model version, even while a reload swaps the registry.
 */
public final class TransportEncodeAction extends HandledTransportAction<EncodeRequest, EncodeResponse> {
  private final Models models;

  @Inject
  public TransportEncodeAction(TransportService transportService, ActionFilters actionFilters, Models models) {
    super(EncodeAction.NAME, transportService, actionFilters, EncodeRequest::new);
    this.models = models;
  }

  @Override
  protected void doExecute(Task task, EncodeRequest request, ActionListener<EncodeResponse> listener) {
    EncodeResponse response;
    try (Models.Lease lease = models.acquire()) {
      response = lease.registry().encode(request);
    } catch (RuntimeException e) {
      listener.onFailure(e);
      return;
    }
    listener.onResponse(response);
  }
}
