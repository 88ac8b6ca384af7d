package org.bicmr.opensearch.ingest;

import java.util.Map;
import org.bicmr.opensearch.mapper.HashCodeFieldMapper;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.metadata.MappingMetadata;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.ingest.IngestDocument;

/**
 * Checks, for a document about to be indexed, that its index maps the processor's target field as a {@code
 * bicmr_code} field of the processor's model (when the mapping names one), and reports the mapped code length, which
 * the processor compares with its model's codes. An index that does not exist yet, or does
 * not map the field, passes: the mapping will be created from the document.
 */
final class TargetFieldCheck {
  private final ClusterService clusterService;
  private final String targetField;
  private final String model;
  /** Per index, the last mapping seen and the target field's definition in it (parsing a mapping per document is slow). */
  private final java.util.concurrent.ConcurrentHashMap<String, Parsed> parsed = new java.util.concurrent.ConcurrentHashMap<>();

  private record Parsed(MappingMetadata mapping, Map<String, Object> definition) {}

  TargetFieldCheck(ClusterService clusterService, String targetField, String model) {
    this.clusterService = clusterService;
    this.targetField = targetField;
    this.model = model;
  }

  /** Checks the mapping's type and model; returns the mapped code length, or -1 when the field is not mapped yet. */
  int check(IngestDocument document) {
    if (clusterService == null) {
      return -1;
    }
    Object index = document.getSourceAndMetadata().get(IngestDocument.Metadata.INDEX.getFieldName());
    if (index == null) {
      return -1;
    }
    IndexMetadata metadata = clusterService.state().metadata().index(index.toString());
    MappingMetadata mapping = metadata == null ? null : metadata.mapping();
    if (mapping == null) {
      return -1;
    }
    Parsed cached = parsed.get(index.toString());
    if (cached == null || cached.mapping() != mapping) {
      cached = new Parsed(mapping, field(mapping.sourceAsMap(), targetField.split("\\."), 0));
      parsed.put(index.toString(), cached);
    }
    Map<String, Object> definition = cached.definition();
    if (definition == null) {
      return -1;
    }
    if (!HashCodeFieldMapper.CONTENT_TYPE.equals(definition.get("type"))) {
      throw new IllegalArgumentException("[" + HashProcessor.TYPE + "] target_field [" + targetField + "] of index ["
          + index + "] is of type [" + definition.get("type") + "], expected [" + HashCodeFieldMapper.CONTENT_TYPE
          + "]");
    }
    Object mapped = definition.get("model");
    if (mapped != null && !mapped.equals(model)) {
      throw new IllegalArgumentException("[" + HashProcessor.TYPE + "] target_field [" + targetField + "] of index ["
          + index + "] holds codes of model [" + mapped + "], the processor uses model [" + model + "]");
    }
    Object bits = definition.get("bits");
    return bits instanceof Number n ? n.intValue() : bits == null ? -1 : Integer.parseInt(bits.toString());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> field(Map<String, Object> mapping, String[] path, int i) {
    Object properties = mapping.get("properties");
    if (!(properties instanceof Map<?, ?> props)) {
      return null;
    }
    Object next = props.get(path[i]);
    if (!(next instanceof Map<?, ?> m)) {
      return null;
    }
    return i == path.length - 1 ? (Map<String, Object>) m : field((Map<String, Object>) m, path, i + 1);
  }
}
