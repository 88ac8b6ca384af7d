package org.bicmr.opensearch.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.bicmr.lucene.HashCode;
import org.bicmr.opensearch.model.EncodeAction;
import org.bicmr.opensearch.model.EncodeRequest;
import org.bicmr.opensearch.model.ModelRegistry;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.core.action.ActionListener;
import org.opensearch.ingest.AbstractBatchingProcessor;
import org.opensearch.ingest.ConfigurationUtils;
import org.opensearch.ingest.IngestDocument;
import org.opensearch.ingest.IngestDocumentWrapper;
import org.opensearch.transport.client.Client;

/**
 * {@code bicmr_hash}: reads a text ({@code modality: text}) or an image feature vector ({@code modality: image}) from
 * {@code field}, encodes it with {@code model} and writes the hex code to {@code target_field}. Bulk requests are
 * encoded one model call per batch ({@code batch_size}); a document whose input is bad fails alone, the rest of the
 * batch goes on. When the target index maps {@code target_field} as {@code bicmr_code}, its bits and model must be the
 * processor's.
 */
public final class HashProcessor extends AbstractBatchingProcessor {
  /** The processor's type name. */
  public static final String TYPE = "bicmr_hash";

  private final String model;
  private final Modality modality;
  private final String field;
  private final String targetField;
  private final boolean ignoreMissing;
  private final Client client;
  private final TargetFieldCheck targetCheck;

  /** What the input field holds. */
  enum Modality {
    TEXT,
    IMAGE
  }

  HashProcessor(String tag, String description, int batchSize, String model, Modality modality, String field,
      String targetField, boolean ignoreMissing, Client client, ClusterService clusterService) {
    super(tag, description, batchSize);
    this.model = model;
    this.modality = modality;
    this.field = field;
    this.targetField = targetField;
    this.ignoreMissing = ignoreMissing;
    this.client = client;
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
    List<IngestDocumentWrapper> toEncode = new ArrayList<>();
    List<Integer> mappedBits = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    List<float[]> features = new ArrayList<>();
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
          texts.add(s);
        } else {
          features.add(EncodeRequest.features("[" + TYPE + "] field [" + field + "]", value));
        }
        toEncode.add(w);
        mappedBits.add(bits);
      } catch (RuntimeException e) {
        w.update(w.getIngestDocument(), e);
      }
    }
    if (toEncode.isEmpty()) {
      handler.accept(wrappers);
      return;
    }
    EncodeRequest request = new EncodeRequest(model, modality == Modality.TEXT ? texts : null,
        modality == Modality.IMAGE ? features : null);
    client.execute(EncodeAction.INSTANCE, request, ActionListener.wrap(response -> {
      List<HashCode> codes = response.codes();
      for (int i = 0; i < toEncode.size(); i++) {
        IngestDocumentWrapper w = toEncode.get(i);
        int bits = mappedBits.get(i);
        if (bits != -1 && bits != codes.get(i).bits()) {
          w.update(w.getIngestDocument(), new IllegalArgumentException("[" + TYPE + "] target_field [" + targetField
              + "] is mapped with " + bits + " bits, model [" + model + "] gives " + codes.get(i).bits() + "-bit codes"));
        } else {
          w.getIngestDocument().setFieldValue(targetField, codes.get(i).toHex());
        }
      }
      handler.accept(wrappers);
    }, e -> {
      if (toEncode.size() == 1) {
        toEncode.get(0).update(toEncode.get(0).getIngestDocument(), e);
        handler.accept(wrappers);
        return;
      }
      // one bad input fails the whole call: encode the documents one by one so only the bad ones fail
      encodeOneByOne(toEncode, 0, wrappers, handler, modality == Modality.TEXT ? texts : null, features);
    }));
  }

  private void encodeOneByOne(List<IngestDocumentWrapper> docs, int i, List<IngestDocumentWrapper> all,
      Consumer<List<IngestDocumentWrapper>> handler, List<String> texts, List<float[]> features) {
    if (i == docs.size()) {
      handler.accept(all);
      return;
    }
    EncodeRequest one = texts != null ? EncodeRequest.of(model, texts.get(i), null)
        : EncodeRequest.of(model, null, features.get(i));
    client.execute(EncodeAction.INSTANCE, one, ActionListener.wrap(response -> {
      docs.get(i).getIngestDocument().setFieldValue(targetField, response.code().toHex());
      encodeOneByOne(docs, i + 1, all, handler, texts, features);
    }, e -> {
      docs.get(i).update(docs.get(i).getIngestDocument(), e);
      encodeOneByOne(docs, i + 1, all, handler, texts, features);
    }));
  }

  /** Creates {@code bicmr_hash} processors from pipeline definitions. */
  public static final class Factory extends AbstractBatchingProcessor.Factory {
    private final Client client;
    private final ClusterService clusterService;

    public Factory(Client client, ClusterService clusterService) {
      super(TYPE);
      this.client = client;
      this.clusterService = clusterService;
    }

    @Override
    protected AbstractBatchingProcessor newProcessor(String tag, String description, int batchSize,
        Map<String, Object> config) {
      String model = ConfigurationUtils.readOptionalStringProperty(TYPE, tag, config, "model");
      if (model == null) {
        model = ModelRegistry.DEFAULT_MODEL;
      } else if (!model.matches("[a-z0-9][a-z0-9_.-]*")) {
        throw ConfigurationUtils.newConfigurationException(TYPE, tag, "model", "expected a model name "
            + "([a-z0-9][a-z0-9_.-]*), got [" + model + "]");
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
      return new HashProcessor(tag, description, batchSize, model, modality, field, target, ignoreMissing, client,
          clusterService);
    }
  }
}
