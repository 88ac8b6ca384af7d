package org.bicmr.opensearch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.bicmr.lucene.HashCodeCache;
import org.bicmr.onnx.InferenceDevice;
import org.bicmr.onnx.InferenceOptions;
import org.bicmr.opensearch.ingest.HashProcessor;
import org.bicmr.opensearch.mapper.HashCodeFieldMapper;
import org.bicmr.opensearch.mapper.MappingModelCheck;
import org.bicmr.opensearch.model.EncodeAction;
import org.bicmr.opensearch.model.Models;
import org.bicmr.opensearch.model.RequestModels;
import org.bicmr.opensearch.model.ModelsAction;
import org.bicmr.opensearch.model.TransportEncodeAction;
import org.bicmr.opensearch.model.TransportModelsAction;
import org.bicmr.opensearch.query.HammingQueryBuilder;
import org.bicmr.opensearch.reload.ReloadAction;
import org.bicmr.opensearch.reload.TransportReloadAction;
import org.bicmr.opensearch.rest.RestEncodeAction;
import org.bicmr.opensearch.rest.RestModelsAction;
import org.bicmr.opensearch.rest.RestReloadAction;
import org.bicmr.opensearch.rest.RestStatsAction;
import org.bicmr.opensearch.stats.StatsAction;
import org.bicmr.opensearch.stats.TransportStatsAction;
import org.opensearch.action.ActionRequest;
import org.opensearch.action.support.ActionFilter;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.node.DiscoveryNodes;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.settings.ClusterSettings;
import org.opensearch.common.settings.IndexScopedSettings;
import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.util.concurrent.OpenSearchExecutors;
import org.opensearch.common.settings.SettingsFilter;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.breaker.CircuitBreaker;
import org.opensearch.core.common.unit.ByteSizeValue;
import org.opensearch.core.common.io.stream.NamedWriteableRegistry;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.env.Environment;
import org.opensearch.env.NodeEnvironment;
import org.opensearch.index.mapper.Mapper;
import org.opensearch.indices.breaker.BreakerSettings;
import org.opensearch.ingest.Processor;
import org.opensearch.plugins.ActionPlugin;
import org.opensearch.plugins.CircuitBreakerPlugin;
import org.opensearch.plugins.IngestPlugin;
import org.opensearch.plugins.MapperPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.plugins.SearchPlugin;
import org.opensearch.repositories.RepositoriesService;
import org.opensearch.rest.RestController;
import org.opensearch.rest.RestHandler;
import org.opensearch.script.ScriptService;
import org.opensearch.threadpool.ExecutorBuilder;
import org.opensearch.threadpool.FixedExecutorBuilder;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.client.Client;
import org.opensearch.watcher.ResourceWatcherService;

/**
 * Bi-CMR Search in OpenSearch: the {@code bicmr_code} field, the {@code bicmr_hamming} query, the {@code bicmr_hash}
 * ingest processor, the node's models ({@code <config>/bicmr/models/} plus the default bundle, read again by
 * {@code POST _plugins/bicmr/models/_reload}) and their REST endpoints, the node's code arrays (one
 * {@link HashCodeCache}, bounded by {@code bicmr.codes.cache.limit} and charged to the {@code bicmr_codes} circuit
 * breaker) and {@code _plugins/bicmr/stats}. Query rewriting reaches the models through the encode transport action,
 * the processor and the mapping check through a supplier read when they run; the cache exists from the plugin's
 * construction and reaches the query through the {@code bicmr_code} field type, so nothing depends on the order in
 * which OpenSearch calls the plugin's hooks.
 */
public final class BiCmrPlugin extends Plugin implements MapperPlugin, SearchPlugin, IngestPlugin, ActionPlugin,
    CircuitBreakerPlugin {
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

  /**
   * The most bytes of code arrays the node holds: a percentage of the heap or a byte size, dynamic; also the limit of
   * the {@code bicmr_codes} circuit breaker. Default 10% of the heap.
   */
  public static final Setting<ByteSizeValue> CODES_CACHE_LIMIT = CodesMemory.LIMIT;

  private final CodesMemory codes;
  private volatile Models models;

  /** The plugin of a node with {@code settings}; the node's code cache is made here, with the node's limit. */
  public BiCmrPlugin(Settings settings) {
    this.codes = new CodesMemory(settings);
  }

  @Override
  public List<Setting<?>> getSettings() {
    return List.of(DEVICE, THREADS, IMAGE_MAX_PIXELS, CODES_CACHE_LIMIT);
  }

  /** The encoding pool of queries and {@code _encode} (ingest encodes on the write pool, as its processors run). */
  @Override
  public List<ExecutorBuilder<?>> getExecutorBuilders(Settings settings) {
    return List.of(new FixedExecutorBuilder(settings, TransportEncodeAction.THREAD_POOL,
        OpenSearchExecutors.allocatedProcessors(settings), 1000, "thread_pool." + TransportEncodeAction.THREAD_POOL));
  }

  @Override
  public BreakerSettings getCircuitBreaker(Settings settings) {
    return CodesMemory.breakerSettings(settings);
  }

  @Override
  public void setCircuitBreaker(CircuitBreaker circuitBreaker) {
    codes.setBreaker(circuitBreaker);
  }

  @Override
  public Map<String, Mapper.TypeParser> getMappers() {
    return Map.of(HashCodeFieldMapper.CONTENT_TYPE, HashCodeFieldMapper.parser(codes.cache()));
  }

  @Override
  public List<QuerySpec<?>> getQueries() {
    return List.of(new QuerySpec<>(HammingQueryBuilder.NAME, HammingQueryBuilder::new, HammingQueryBuilder::fromXContent));
  }

  @Override
  public Map<String, Processor.Factory> getProcessors(Processor.Parameters parameters) {
    ClusterService clusterService = parameters.ingestService == null ? null
        : parameters.ingestService.getClusterService();
    return Map.of(HashProcessor.TYPE, new HashProcessor.Factory(clusterService, () -> models));
  }

  @Override
  public List<ActionFilter> getActionFilters() {
    return List.of(new MappingModelCheck(() -> models), new RequestModels(() -> models));
  }

  @Override
  public Collection<Object> createComponents(Client client, ClusterService clusterService, ThreadPool threadPool,
      ResourceWatcherService resourceWatcherService, ScriptService scriptService,
      NamedXContentRegistry xContentRegistry, Environment environment, NodeEnvironment nodeEnvironment,
      NamedWriteableRegistry namedWriteableRegistry, IndexNameExpressionResolver indexNameExpressionResolver,
      Supplier<RepositoriesService> repositoriesServiceSupplier) {
    Settings settings = environment.settings();
    clusterService.getClusterSettings().addSettingsUpdateConsumer(CODES_CACHE_LIMIT, codes::setLimit);
    InferenceOptions options = new InferenceOptions(InferenceDevice.parse("bicmr.inference.device",
        DEVICE.get(settings)), THREADS.get(settings));
    Path modelsDir = environment.configDir().resolve("bicmr").resolve("models");
    nativeLibrariesInTempDir();
    EncoderLogs.toLog4j();
    try {
      this.models = Models.load(modelsDir, options, IMAGE_MAX_PIXELS.get(settings), threadPool.getThreadContext());
    } catch (IOException e) {
      throw new UncheckedIOException("bicmr: cannot load the models (the default bundle, or list " + modelsDir + "): "
          + e.getMessage(), e);
    }
    return List.of(this.models, codes.cache());
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
        new ActionHandler<>(ModelsAction.INSTANCE, TransportModelsAction.class),
        new ActionHandler<>(StatsAction.INSTANCE, TransportStatsAction.class),
        new ActionHandler<>(ReloadAction.INSTANCE, TransportReloadAction.class));
  }

  @Override
  public List<RestHandler> getRestHandlers(Settings settings, RestController restController,
      ClusterSettings clusterSettings, IndexScopedSettings indexScopedSettings, SettingsFilter settingsFilter,
      IndexNameExpressionResolver indexNameExpressionResolver, Supplier<DiscoveryNodes> nodesInCluster) {
    return List.of(new RestEncodeAction(), new RestModelsAction(), new RestStatsAction(), new RestReloadAction());
  }

  @Override
  public void close() throws IOException {
    if (models != null) {
      models.close();
    }
  }
}
