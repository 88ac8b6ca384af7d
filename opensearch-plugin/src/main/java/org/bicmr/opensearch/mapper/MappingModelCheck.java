package org.bicmr.opensearch.mapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.bicmr.opensearch.model.MappedField;
import org.bicmr.opensearch.model.ModelRegistry;
import org.bicmr.opensearch.model.Models;
import org.opensearch.action.ActionRequest;
import org.opensearch.action.admin.indices.create.CreateIndexRequest;
import org.opensearch.action.admin.indices.mapping.put.PutMappingRequest;
import org.opensearch.action.support.ActionFilter;
import org.opensearch.action.support.ActionFilterChain;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.metadata.MappingMetadata;
import org.opensearch.cluster.metadata.Metadata;
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
 * The other way round, {@link #fieldsByModel} tells a model reload which fields name each model, so that a bundle
 * whose code length differs from theirs is refused.
 */
public final class MappingModelCheck implements ActionFilter {
  private final Supplier<Models> models;

  /** @param models this node's models (the supplier gives null until the plugin has loaded them: nothing is checked) */
  public MappingModelCheck(Supplier<Models> models) {
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
    Models nodeModels = models.get();
    if (mapping != null && !mapping.isEmpty() && nodeModels != null
        && mapping.contains(HashCodeFieldMapper.CONTENT_TYPE)) {
      try (Models.Lease lease = nodeModels.acquire()) {
        check(XContentHelper.convertToMap(JsonXContent.jsonXContent, mapping, false), "", lease.registry());
      } catch (IllegalArgumentException e) {
        listener.onFailure(e);
        return;
      } catch (RuntimeException e) {
        // not JSON this check can read: the mapping parser gives the user its own error
      }
    }
    chain.proceed(task, action, request, listener);
  }

  /** Checks every {@code bicmr_code} field below {@code node} that names a model against {@code registry}. */
  static void check(Map<String, Object> node, String path, ModelRegistry registry) {
    codeFields(node, path, (field, definition) -> {
      if (!(definition.get("model") instanceof String model)) {
        return;
      }
      int modelBits;
      try {
        modelBits = registry.get(model).bits();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("field [" + field + "]: " + e.getMessage(), e);
      }
      Object bits = definition.get("bits");
      if (bits != null && !String.valueOf(modelBits).equals(String.valueOf(bits))) {
        throw new IllegalArgumentException("field [" + field + "]: \"bits\" is " + bits + ", but model [" + model
            + "] gives " + modelBits + "-bit codes");
      }
    });
  }

  /** Per model name: the {@code bicmr_code} fields of the cluster's indices whose mapping names it, with their bits. */
  public static Map<String, List<MappedField>> fieldsByModel(Metadata metadata) {
    Map<String, List<MappedField>> fields = new TreeMap<>();
    for (IndexMetadata index : metadata) {
      MappingMetadata mapping = index.mapping();
      if (mapping == null) {
        continue;
      }
      codeFields(mapping.sourceAsMap(), "", (field, definition) -> {
        if (definition.get("model") instanceof String model && definition.get("bits") != null) {
          fields.computeIfAbsent(model, m -> new ArrayList<>()).add(new MappedField(index.getIndex().getName(), field,
              Integer.parseInt(String.valueOf(definition.get("bits")))));
        }
      });
    }
    return fields;
  }

  /**
   * Calls {@code visitor} with the path and definition of every {@code bicmr_code} field in {@code properties} (and
   * multi-fields) below {@code node}; {@code path} is the field path so far.
   */
  @SuppressWarnings("unchecked")
  private static void codeFields(Map<String, Object> node, String path,
      BiConsumer<String, Map<String, Object>> visitor) {
    if (HashCodeFieldMapper.CONTENT_TYPE.equals(node.get("type"))) {
      visitor.accept(path.isEmpty() ? "?" : path, node);
    }
    for (Map.Entry<String, Object> e : node.entrySet()) {
      if (e.getValue() instanceof Map<?, ?> child) {
        boolean fields = e.getKey().equals("properties") || e.getKey().equals("fields");
        if (fields) {
          for (Map.Entry<String, Object> f : ((Map<String, Object>) child).entrySet()) {
            if (f.getValue() instanceof Map<?, ?> definition) {
              codeFields((Map<String, Object>) definition, path.isEmpty() ? f.getKey() : path + "." + f.getKey(),
                  visitor);
            }
          }
        } else {
          codeFields((Map<String, Object>) child, path, visitor);
        }
      }
    }
  }
}
