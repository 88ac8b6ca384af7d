package org.bicmr.opensearch.rest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bicmr.opensearch.model.EncodeAction;
import org.bicmr.opensearch.model.EncodeRequest;
import org.bicmr.opensearch.model.ImageBytes;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestToXContentListener;
import org.opensearch.transport.client.node.NodeClient;

/**
 * {@code POST _plugins/bicmr/_encode} with {@code {"model": "…", "text": "…"}}, {@code {"image_features": […]}} or
 * {@code {"image": "<base64 PNG or JPEG>"}} (a model with an image feature extractor): the code of one input,
 * {@code {"model", "bits", "code"}}.
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
      if (!List.of("model", "text", "image_features", "image").contains(key)) {
        throw new IllegalArgumentException("[_encode] unknown key [" + key + "]; keys: model, text, image_features, "
            + "image");
      }
    }
    Object model = body.get("model");
    Object text = body.get("text");
    Object features = body.get("image_features");
    Object image = body.get("image");
    if ((text != null ? 1 : 0) + (features != null ? 1 : 0) + (image != null ? 1 : 0) != 1) {
      throw new IllegalArgumentException("[_encode] give exactly one of [text], [image_features] and [image]");
    }
    if (model != null && !(model instanceof String)) {
      throw new IllegalArgumentException("[_encode] [model] must be a string, got " + model);
    }
    if (text != null && !(text instanceof String)) {
      throw new IllegalArgumentException("[_encode] [text] must be a string, got " + text);
    }
    EncodeRequest encode;
    if (image != null) {
      encode = EncodeRequest.ofImage((String) model, ImageBytes.decode("[_encode] [image]", image));
    } else {
      float[] vector = features == null ? null : EncodeRequest.features("[_encode] [image_features]", features);
      encode = EncodeRequest.of((String) model, (String) text, vector);
    }
    return channel -> client.execute(EncodeAction.INSTANCE, encode, new RestToXContentListener<>(channel));
  }
}
