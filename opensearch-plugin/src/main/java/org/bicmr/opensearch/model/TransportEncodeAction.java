package org.bicmr.opensearch.model;

import java.util.List;
import org.bicmr.codes.HashCode;
import org.bicmr.onnx.HashEncoder;
import org.bicmr.onnx.TextWords;
import org.bicmr.onnx.ModelBundle;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.HandledTransportAction;
import org.opensearch.common.inject.Inject;
import org.opensearch.core.action.ActionListener;
import org.opensearch.tasks.Task;
import org.opensearch.transport.TransportService;

/** Runs {@link EncodeAction} with the node's {@link ModelRegistry}, which counts and times each call per model. */
public final class TransportEncodeAction extends HandledTransportAction<EncodeRequest, EncodeResponse> {
  private final ModelRegistry registry;

  @Inject
  public TransportEncodeAction(TransportService transportService, ActionFilters actionFilters, ModelRegistry registry) {
    super(EncodeAction.NAME, transportService, actionFilters, EncodeRequest::new);
    this.registry = registry;
  }

  @Override
  protected void doExecute(Task task, EncodeRequest request, ActionListener<EncodeResponse> listener) {
    registry.recordEncodeRequest();
    String name = request.model() == null ? ModelRegistry.DEFAULT_MODEL : request.model();
    ModelBundle bundle;
    try {
      bundle = registry.get(request.model());
    } catch (RuntimeException e) {
      listener.onFailure(e);
      return;
    }
    long start = System.nanoTime();
    EncodeResponse response;
    try {
      HashEncoder encoder = bundle.encoder().withMaxPixels(registry.imageMaxPixels());
      List<HashCode> codes = request.texts() != null ? encoder.encodeTexts(request.texts())
          : request.images() != null ? encoder.encodeImageBytes(request.images())
          : encoder.encodeImages(request.features());
      // one text (an _encode or a query): also which of its words the model read
      TextWords words = request.texts() != null && request.texts().size() == 1
          ? encoder.words(request.texts().get(0)) : null;
      response = new EncodeResponse(name, codes, words);
    } catch (RuntimeException e) {
      registry.recordEncode(name, request.source(), request.inputs(), System.nanoTime() - start, true);
      listener.onFailure(e);
      return;
    }
    registry.recordEncode(name, request.source(), request.inputs(), System.nanoTime() - start, false);
    listener.onResponse(response);
  }
}
