package org.bicmr.opensearch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.bicmr.onnx.InferenceDevice;
import org.bicmr.onnx.InferenceOptions;
import org.bicmr.opensearch.ingest.HashProcessor;
import org.bicmr.opensearch.mapper.HashCodeFieldMapper;
import org.bicmr.opensearch.mapper.MappingModelCheck;
import org.bicmr.opensearch.model.EncodeAction;
import org.bicmr.opensearch.model.ModelRegistry;
import org.bicmr.opensearch.model.ModelsAction;
import org.bicmr.opensearch.model.TransportEncodeAction;
import org.bicmr.opensearch.model.TransportModelsAction;
import org.bicmr.opensearch.query.HammingQueryBuilder;
import org.bicmr.opensearch.rest.RestEncodeAction;
import org.bicmr.opensearch.rest.RestModelsAction;
import org.opensearch.action.ActionRequest;
import org.opensearch.action.support.ActionFilter;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.node.DiscoveryNodes;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.settings.ClusterSettings;
import org.opensearch.common.settings.IndexScopedSettings;
import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.settings.SettingsFilter;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.io.stream.NamedWriteableRegistry;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.env.Environment;
import org.opensearch.env.NodeEnvironment;
import org.opensearch.index.mapper.Mapper;
import org.opensearch.ingest.Processor;
import org.opensearch.plugins.ActionPlugin;
import org.opensearch.plugins.IngestPlugin;
import org.opensearch.plugins.MapperPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.plugins.SearchPlugin;
import org.opensearch.repositories.RepositoriesService;
import org.opensearch.rest.RestController;
import org.opensearch.rest.RestHandler;
import org.opensearch.script.ScriptService;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.client.Client;
import org.opensearch.watcher.ResourceWatcherService;

/**
 * Bi-CMR Search in OpenSearch: the {@code bicmr_code} field, the {@code bicmr_hamming} query, the {@code bicmr_hash}
 * ingest processor, the model registry ({@code <config>/bicmr/models/} plus the default bundle) and its REST
 * endpoints. Query rewriting and the processor reach the models through the encode transport action, so nothing
 * depends on the order in which OpenSearch calls the plugin's hooks.
 */
public final class BiCmrPlugin extends Plugin implements MapperPlugin, SearchPlugin, IngestPlugin, ActionPlugin {
  /** {@code auto} (CUDA if a device answers, else CPU), {@code cpu} or {@code cuda}. */
  public static final Setting<String> DEVICE = Setting.simpleString("bicmr.inference.device", "auto",
      value -> InferenceDevice.parse("bicmr.inference.device", value), Setting.Property.NodeScope);
  /** Intra-op threads of each ONNX Runtime session; 0 lets ONNX Runtime choose. */
  public static final Setting<Integer> THREADS = Setting.intSetting("bicmr.inference.threads", 0, 0,
      Setting.Property.NodeScope);

  /**
   * The most decoded pixels an image given to the plugin may have (below a bundle's own limit, it applies): a decoded
   * image takes about 4 bytes a pixel of heap while it is resized. Default 16,777,216 (4096 × 4096).
   */
  public static final Setting<Long> IMAGE_MAX_PIXELS = Setting.longSetting("bicmr.image.max_pixels", 16_777_216L, 1L,
      Setting.Property.NodeScope);

  private ModelRegistry registry;

  @Override
  public List<Setting<?>> getSettings() {
    return List.of(DEVICE, THREADS, IMAGE_MAX_PIXELS);
  }

  @Override
  public Map<String, Mapper.TypeParser> getMappers() {
    return Map.of(HashCodeFieldMapper.CONTENT_TYPE, HashCodeFieldMapper.PARSER);
  }

  @Override
  public List<QuerySpec<?>> getQueries() {
    return List.of(new QuerySpec<>(HammingQueryBuilder.NAME, HammingQueryBuilder::new, HammingQueryBuilder::fromXContent));
  }

  @Override
  public Map<String, Processor.Factory> getProcessors(Processor.Parameters parameters) {
    ClusterService clusterService = parameters.ingestService == null ? null
        : parameters.ingestService.getClusterService();
    return Map.of(HashProcessor.TYPE, new HashProcessor.Factory(parameters.client, clusterService,
        () -> registry));
  }

  @Override
  public List<ActionFilter> getActionFilters() {
    return List.of(new MappingModelCheck(() -> registry));
  }

  @Override
  public Collection<Object> createComponents(Client client, ClusterService clusterService, ThreadPool threadPool,
      ResourceWatcherService resourceWatcherService, ScriptService scriptService,
      NamedXContentRegistry xContentRegistry, Environment environment, NodeEnvironment nodeEnvironment,
      NamedWriteableRegistry namedWriteableRegistry, IndexNameExpressionResolver indexNameExpressionResolver,
      Supplier<RepositoriesService> repositoriesServiceSupplier) {
    Settings settings = environment.settings();
    InferenceOptions options = new InferenceOptions(InferenceDevice.parse("bicmr.inference.device",
        DEVICE.get(settings)), THREADS.get(settings));
    Path models = environment.configDir().resolve("bicmr").resolve("models");
    nativeLibrariesInTempDir();
    EncoderLogs.toLog4j();
    try {
      registry = ModelRegistry.load(models, options, IMAGE_MAX_PIXELS.get(settings));
    } catch (IOException e) {
      throw new UncheckedIOException("bicmr: cannot load the default model bundle: " + e.getMessage(), e);
    }
    return List.of(registry);
  }

  /**
   * The sentence encoder's tokenizer (DJL's HuggingFace binding) unpacks its native library into DJL's engine cache,
   * by default {@code ~/.djl.ai}: the node's user may have no home and the node's policy grants only the temporary
   * directory, so the cache goes there unless the operator set {@code ENGINE_CACHE_DIR} (environment or property).
   */
  private static void nativeLibrariesInTempDir() {
    if (System.getenv("ENGINE_CACHE_DIR") == null && System.getProperty("ENGINE_CACHE_DIR") == null) {
      System.setProperty("ENGINE_CACHE_DIR",
          Path.of(System.getProperty("java.io.tmpdir"), "bicmr-native").toString());
    }
  }

  @Override
  public List<ActionHandler<? extends ActionRequest, ? extends ActionResponse>> getActions() {
    return List.of(new ActionHandler<>(EncodeAction.INSTANCE, TransportEncodeAction.class),
        new ActionHandler<>(ModelsAction.INSTANCE, TransportModelsAction.class));
  }

  @Override
  public List<RestHandler> getRestHandlers(Settings settings, RestController restController,
      ClusterSettings clusterSettings, IndexScopedSettings indexScopedSettings, SettingsFilter settingsFilter,
      IndexNameExpressionResolver indexNameExpressionResolver, Supplier<DiscoveryNodes> nodesInCluster) {
    return List.of(new RestEncodeAction(), new RestModelsAction());
  }

  @Override
  public void close() throws IOException {
    if (registry != null) {
      registry.close();
    }
  }
}
