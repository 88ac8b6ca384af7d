package org.bicmr.opensearch.mapper;

import java.util.Map;
import java.util.function.Supplier;
import org.bicmr.opensearch.model.ModelRegistry;
import org.opensearch.action.ActionRequest;
import org.opensearch.action.admin.indices.create.CreateIndexRequest;
import org.opensearch.action.admin.indices.mapping.put.PutMappingRequest;
import org.opensearch.action.support.ActionFilter;
import org.opensearch.action.support.ActionFilterChain;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.tasks.Task;

/**
 * Refuses an index creation or a mapping update whose {@code bicmr_code} field names a model this node does not
 * serve, or gives {@code bits} other than the model's code length, when the request is made (a field cannot change
 * afterwards, and the mismatch would otherwise show only at the first document or search). Only new requests are
 * checked: mappings already stored are never re-checked, so an index stays readable if a bundle is removed later.
 */
public final class MappingModelCheck implements ActionFilter {
  private final Supplier<ModelRegistry> models;

  /** @param models this node's registry, or null until the plugin has loaded it (then nothing is checked) */
  public MappingModelCheck(Supplier<ModelRegistry> models) {
    this.models = models;
  }

  @Override
  public int order() {
    return 0;
  }

  @Override
  public <Request extends ActionRequest, Response extends ActionResponse> void apply(Task task, String action,
      Request request, ActionListener<Response> listener, ActionFilterChain<Request, Response> chain) {
    String mapping = request instanceof CreateIndexRequest create ? create.mappings()
        : request instanceof PutMappingRequest put ? put.source() : null;
    ModelRegistry registry = models.get();
    if (mapping != null && !mapping.isEmpty() && registry != null && mapping.contains(HashCodeFieldMapper.CONTENT_TYPE)) {
      try {
        check(XContentHelper.convertToMap(JsonXContent.jsonXContent, mapping, false), "", registry);
      } catch (IllegalArgumentException e) {
        listener.onFailure(e);
        return;
      } catch (RuntimeException e) {
        // not JSON this check can read: the mapping parser gives the user its own error
      }
    }
    chain.proceed(task, action, request, listener);
  }

  /** Walks {@code properties} (and multi-fields) below {@code node}; {@code path} is the field path so far. */
  @SuppressWarnings("unchecked")
  static void check(Map<String, Object> node, String path, ModelRegistry registry) {
    if (HashCodeFieldMapper.CONTENT_TYPE.equals(node.get("type")) && node.get("model") instanceof String model) {
      String field = path.isEmpty() ? "?" : path;
      int modelBits;
      try {
        modelBits = registry.get(model).bits();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("field [" + field + "]: " + e.getMessage(), e);
      }
      Object bits = node.get("bits");
      if (bits != null && !String.valueOf(modelBits).equals(String.valueOf(bits))) {
        throw new IllegalArgumentException("field [" + field + "]: \"bits\" is " + bits + ", but model [" + model
            + "] gives " + modelBits + "-bit codes");
      }
    }
    for (Map.Entry<String, Object> e : node.entrySet()) {
      if (e.getValue() instanceof Map<?, ?> child) {
        boolean fields = e.getKey().equals("properties") || e.getKey().equals("fields");
        if (fields) {
          for (Map.Entry<String, Object> f : ((Map<String, Object>) child).entrySet()) {
            if (f.getValue() instanceof Map<?, ?> definition) {
              check((Map<String, Object>) definition, path.isEmpty() ? f.getKey() : path + "." + f.getKey(), registry);
            }
          }
        } else {
          check((Map<String, Object>) child, path, registry);
        }
      }
    }
  }
}
