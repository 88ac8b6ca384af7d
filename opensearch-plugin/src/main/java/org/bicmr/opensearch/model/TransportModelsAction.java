package org.bicmr.opensearch.model;

import com.google.gson.JsonObject;
import java.util.Map;
import java.util.TreeMap;
import org.bicmr.onnx.ModelBundle;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.HandledTransportAction;
import org.opensearch.common.inject.Inject;
import org.opensearch.core.action.ActionListener;
import org.opensearch.tasks.Task;
import org.opensearch.transport.TransportService;

/** Runs {@link ModelsAction} with the node's current {@link ModelRegistry}. */
public final class TransportModelsAction extends HandledTransportAction<ModelsRequest, ModelsResponse> {
  private final Models nodeModels;

  @Inject
  public TransportModelsAction(TransportService transportService, ActionFilters actionFilters, Models models) {
    super(ModelsAction.NAME, transportService, actionFilters, ModelsRequest::new);
    this.nodeModels = models;
  }

  @Override
  protected void doExecute(Task task, ModelsRequest request, ActionListener<ModelsResponse> listener) {
    ModelsResponse response;
    try (Models.Lease lease = nodeModels.acquire()) {
      response = describe(lease.registry());
    } catch (RuntimeException e) {
      listener.onFailure(e);
      return;
    }
    listener.onResponse(response);
  }

  private static ModelsResponse describe(ModelRegistry registry) {
    Map<String, String> models = new TreeMap<>();
    for (var e : registry.bundles().entrySet()) {
      ModelBundle b = e.getValue();
      JsonObject d = new JsonObject();
      d.addProperty("bundle_name", b.name());
      d.addProperty("version", b.version());
      d.addProperty("bits", b.bits());
      d.addProperty("image_dim", b.imageDim());
      d.addProperty("image_feature", b.imageFeature());
      d.addProperty("image_bytes", b.hasImageExtractor()); // whether "image" (base64 PNG/JPEG) is accepted
      if (b.hasImageExtractor()) {
        d.add("image_preprocessing", b.manifest().getAsJsonObject("image").get("preprocessing"));
      }
      d.addProperty("text_dim", b.textDim());
      d.addProperty("trained_on", b.trainedOn());
      d.addProperty("device", b.device().toString());
      d.add("metrics", b.metrics());
      models.put(e.getKey(), d.toString());
    }
    return new ModelsResponse(registry.generation(), models, registry.failures());
  }
}
