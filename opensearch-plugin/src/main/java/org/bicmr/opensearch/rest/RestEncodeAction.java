package org.bicmr.opensearch.rest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bicmr.opensearch.model.EncodeAction;
import org.bicmr.opensearch.model.EncodeRequest;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestToXContentListener;
import org.opensearch.transport.client.node.NodeClient;

/**
 * {@code POST _plugins/bicmr/_encode} with {@code {"model": "…", "text": "…"}} or {@code {"image_features": […]}}:
 * the code of one input, {@code {"model", "bits", "code"}}.
 */
public final class RestEncodeAction extends BaseRestHandler {
  @Override
  public String getName() {
    return "bicmr_encode";
  }

  @Override
  public List<Route> routes() {
    return List.of(new Route(RestRequest.Method.POST, "/_plugins/bicmr/_encode"),
        new Route(RestRequest.Method.GET, "/_plugins/bicmr/_encode"));
  }

  @Override
  protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
    Map<String, Object> body = request.contentParser().map();
    for (String key : body.keySet()) {
      if (!List.of("model", "text", "image_features").contains(key)) {
        throw new IllegalArgumentException("[_encode] unknown key [" + key + "]; keys: model, text, image_features");
      }
    }
    Object model = body.get("model");
    Object text = body.get("text");
    Object features = body.get("image_features");
    if ((text == null) == (features == null)) {
      throw new IllegalArgumentException("[_encode] give exactly one of [text] and [image_features]");
    }
    if (model != null && !(model instanceof String)) {
      throw new IllegalArgumentException("[_encode] [model] must be a string, got " + model);
    }
    if (text != null && !(text instanceof String)) {
      throw new IllegalArgumentException("[_encode] [text] must be a string, got " + text);
    }
    float[] vector = features == null ? null : EncodeRequest.features("[_encode] [image_features]", features);
    EncodeRequest encode = EncodeRequest.of((String) model, (String) text, vector);
    return channel -> client.execute(EncodeAction.INSTANCE, encode, new RestToXContentListener<>(channel));
  }
}
