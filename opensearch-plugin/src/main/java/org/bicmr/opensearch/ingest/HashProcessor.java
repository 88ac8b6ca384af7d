package org.bicmr.opensearch.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.bicmr.codes.HashCode;
import org.bicmr.codes.ModelName;
import org.bicmr.opensearch.model.EncodeRequest;
import org.bicmr.opensearch.model.ImageBytes;
import org.bicmr.opensearch.model.ModelRegistry;
import org.bicmr.opensearch.model.Models;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.ingest.AbstractBatchingProcessor;
import org.opensearch.ingest.ConfigurationUtils;
import org.opensearch.ingest.IngestDocument;
import org.opensearch.ingest.IngestDocumentWrapper;

/**
 * {@code bicmr_hash}: reads a text ({@code modality: text}) or an image ({@code modality: image}: base64 PNG/JPEG
 * bytes, for a model with an image feature extractor, or a feature vector) from {@code field}, encodes it with
 * {@code model} and writes the hex code to {@code target_field}. Bulk requests are encoded one model call per batch
 * ({@code batch_size}), every batch with the models the bulk request holds from its start (so all processors and
 * batches of one request use one model version, and a reload meanwhile applies from the next request); a document
 * whose input is bad fails alone, the rest of the batch goes on. When the target index maps {@code target_field} as
 * {@code bicmr_code}, its bits and model must be the processor's.
 */
public final class HashProcessor extends AbstractBatchingProcessor {
  /** The processor's type name. */
  public static final String TYPE = "bicmr_hash";

  private final String model;
  private final Modality modality;
  private final String field;
  private final String targetField;
  private final boolean ignoreMissing;
  private final Supplier<Models> models;
  private final TargetFieldCheck targetCheck;

  /** What the input field holds. */
  enum Modality {
    TEXT,
    IMAGE
  }

  HashProcessor(String tag, String description, int batchSize, String model, Modality modality, String field,
      String targetField, boolean ignoreMissing, Supplier<Models> models, ClusterService clusterService) {
    super(tag, description, batchSize);
    this.model = model;
    this.modality = modality;
    this.field = field;
    this.targetField = targetField;
    this.ignoreMissing = ignoreMissing;
    this.models = models;
    this.targetCheck = new TargetFieldCheck(clusterService, targetField, model);
  }

  @Override
  public String getType() {
    return TYPE;
  }

  @Override
  public void execute(IngestDocument document, BiConsumer<IngestDocument, Exception> handler) {
    IngestDocumentWrapper wrapper = new IngestDocumentWrapper(0, 0, document, null);
    subBatchExecute(List.of(wrapper), results -> {
      IngestDocumentWrapper result = results.get(0);
      handler.accept(result.getException() == null ? result.getIngestDocument() : null, result.getException());
    });
  }

  @Override
  public IngestDocument execute(IngestDocument document) {
    throw new UnsupportedOperationException("bicmr_hash runs asynchronously");
  }

  @Override
  protected void subBatchExecute(List<IngestDocumentWrapper> wrappers, Consumer<List<IngestDocumentWrapper>> handler) {
    Group texts = new Group();
    Group features = new Group();
    Group images = new Group();
    for (IngestDocumentWrapper w : wrappers) {
      if (w.getException() != null || w.getIngestDocument() == null) {
        continue;
      }
      try {
        IngestDocument doc = w.getIngestDocument();
        int bits = targetCheck.check(doc);
        Object value = doc.getFieldValue(field, Object.class, true);
        if (value == null) {
          if (!ignoreMissing) {
            throw new IllegalArgumentException("[" + TYPE + "] field [" + field + "] is missing or null; set "
                + "\"ignore_missing\": true to skip such documents");
          }
          continue;
        }
        if (modality == Modality.TEXT) {
          if (!(value instanceof String s)) {
            throw new IllegalArgumentException("[" + TYPE + "] field [" + field + "] must hold a text, got "
                + value.getClass().getSimpleName());
          }
          texts.add(w, bits, s);
        } else if (value instanceof String) {
          images.add(w, bits, ImageBytes.decode(what(), value));
        } else {
          if (!(value instanceof List<?>)) {
            throw new IllegalArgumentException(what() + " must hold base64 image bytes (a string) or image features "
                + "(an array of numbers), got " + value.getClass().getSimpleName());
          }
          features.add(w, bits, EncodeRequest.features(what(), value));
        }
      } catch (RuntimeException e) {
        w.update(w.getIngestDocument(), e);
      }
    }
    // the registry the bulk request holds (RequestModels), else the current one for this sub-batch
    try (Models.Lease lease = models.get().acquire()) {
      encode(lease.registry(), texts);
      encode(lease.registry(), features);
      encode(lease.registry(), images);
    } catch (RuntimeException e) { // no models (the node is stopping): the documents not yet encoded fail
      for (Group group : List.of(texts, features, images)) {
        for (int i = 0; i < group.docs.size(); i++) {
          if (!group.done.get(i)) {
            fail(group, i, e);
          }
        }
      }
    }
    handler.accept(wrappers);
  }

  private String what() {
    return "[" + TYPE + "] field [" + field + "]";
  }

  /** The documents of one kind of input in a sub-batch, with their inputs and the bits their target is mapped with. */
  private static final class Group {
    final List<IngestDocumentWrapper> docs = new ArrayList<>();
    final List<Integer> bits = new ArrayList<>();
    final List<Object> inputs = new ArrayList<>();
    /** Documents given a code or a failure. */
    final java.util.BitSet done = new java.util.BitSet();

    void add(IngestDocumentWrapper doc, int mappedBits, Object input) {
      docs.add(doc);
      bits.add(mappedBits);
      inputs.add(input);
    }

    /** The request for documents {@code from} (inclusive) to {@code to} (exclusive). */
    EncodeRequest request(String model, int from, int to) {
      List<Object> slice = inputs.subList(from, to);
      Object first = slice.get(0);
      List<String> texts = first instanceof String ? slice.stream().map(String.class::cast).toList() : null;
      List<float[]> features = first instanceof float[] ? slice.stream().map(float[].class::cast).toList() : null;
      List<byte[]> images = first instanceof byte[] ? slice.stream().map(byte[].class::cast).toList() : null;
      return new EncodeRequest(model, texts, features, images).from(EncodeRequest.Source.INGEST);
    }
  }

  /** Encodes a group in one call; if the call fails, encodes the documents one by one, so only bad ones fail. */
  private void encode(ModelRegistry registry, Group group) {
    if (group.docs.isEmpty()) {
      return;
    }
    List<HashCode> codes;
    try {
      codes = registry.encode(group.request(model, 0, group.docs.size())).codes();
    } catch (RuntimeException e) {
      if (group.docs.size() == 1) {
        fail(group, 0, e);
        return;
      }
      for (int i = 0; i < group.docs.size(); i++) {
        try {
          setCode(group, i, registry.encode(group.request(model, i, i + 1)).code());
        } catch (RuntimeException one) {
          fail(group, i, one);
        }
      }
      return;
    }
    for (int i = 0; i < group.docs.size(); i++) {
      setCode(group, i, codes.get(i));
    }
  }

  /** Marks document {@code i} failed; a bad input's error is prefixed with the processor and field. */
  private void fail(Group group, int i, Exception e) {
    group.done.set(i);
    IngestDocumentWrapper w = group.docs.get(i);
    w.update(w.getIngestDocument(), e instanceof IllegalArgumentException
        ? new IllegalArgumentException(what() + ": " + e.getMessage(), e) : e);
  }

  private void setCode(Group group, int i, HashCode code) {
    group.done.set(i);
    IngestDocumentWrapper w = group.docs.get(i);
    int bits = group.bits.get(i);
    if (bits != -1 && bits != code.bits()) {
      w.update(w.getIngestDocument(), new IllegalArgumentException("[" + TYPE + "] target_field [" + targetField
          + "] is mapped with " + bits + " bits, model [" + model + "] gives " + code.bits() + "-bit codes"));
    } else {
      w.getIngestDocument().setFieldValue(targetField, code.toHex());
    }
  }

  /** Creates {@code bicmr_hash} processors from pipeline definitions. */
  public static final class Factory extends AbstractBatchingProcessor.Factory {
    private final ClusterService clusterService;
    private final Supplier<Models> models;

    /**
     * @param models this node's models (the supplier gives null until the plugin has loaded them): when present, a
     *     pipeline naming a model the node does not serve is refused at creation
     */
    public Factory(ClusterService clusterService, Supplier<Models> models) {
      super(TYPE);
      this.clusterService = clusterService;
      this.models = models;
    }

    @Override
    protected AbstractBatchingProcessor newProcessor(String tag, String description, int batchSize,
        Map<String, Object> config) {
      String model = ConfigurationUtils.readOptionalStringProperty(TYPE, tag, config, "model");
      if (model == null) {
        model = ModelRegistry.DEFAULT_MODEL;
      } else if (!ModelName.isValid(model)) {
        throw ConfigurationUtils.newConfigurationException(TYPE, tag, "model", "expected a model name "
            + "(" + ModelName.PATTERN + "), got [" + model + "]");
      }
      String modalityName = ConfigurationUtils.readStringProperty(TYPE, tag, config, "modality", "text");
      Modality modality;
      try {
        modality = Modality.valueOf(modalityName.toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw ConfigurationUtils.newConfigurationException(TYPE, tag, "modality", "expected [text] or [image], got ["
            + modalityName + "]");
      }
      String field = ConfigurationUtils.readStringProperty(TYPE, tag, config, "field");
      String target = ConfigurationUtils.readStringProperty(TYPE, tag, config, "target_field");
      boolean ignoreMissing = ConfigurationUtils.readBooleanProperty(TYPE, tag, config, "ignore_missing", false);
      Models nodeModels = models == null ? null : models.get();
      if (nodeModels != null) { // the models are the same on every node (DESIGN §7): checked once, here
        try (Models.Lease lease = nodeModels.acquire()) {
          lease.registry().get(model);
        } catch (IllegalArgumentException e) {
          throw ConfigurationUtils.newConfigurationException(TYPE, tag, "model", e.getMessage().replaceFirst(
              "^model: ", ""));
        }
      }
      return new HashProcessor(tag, description, batchSize, model, modality, field, target, ignoreMissing, models,
          clusterService);
    }
  }
}
