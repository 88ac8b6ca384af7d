package org.bicmr.opensearch.model;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.bicmr.codes.ModelName;
import org.bicmr.onnx.InferenceOptions;
import org.bicmr.onnx.ModelBundle;
import org.opensearch.common.util.concurrent.ThreadContext;
import org.opensearch.core.action.ActionListener;

/**
 * The node's models: the current {@link ModelRegistry}, read from {@code <config>/bicmr/models/} at start and again
 * at each {@link #reload}, which swaps the registry whole. A request takes one registry with {@link #acquire()} and
 * releases it when done; a bundle is closed when no registry that serves it is held any longer, never while a request
 * may run it. A whole bulk or search request can hold one registry for everything it encodes
 * ({@link #withOneRegistry}: its thread context carries the hold, and {@link #acquire()} returns that registry).
 * Entry names are plain identifiers ({@code [a-z0-9][a-z0-9_.-]*}; hidden entries, such as a bundle being copied in as
 * {@code .name.new}, are skipped), so a request can never name a path, and an entry whose real path lies outside the
 * models directory (a symlink) is refused: nothing outside the directory is read.
 */
public final class Models implements Closeable {
  private static final Logger LOG = LogManager.getLogger(Models.class);
  /** The thread-context transient under which a request's {@link Lease} travels. */
  private static final String HELD = "bicmr.models.lease";

  private final Path dir;
  private final InferenceOptions options;
  private final long imageMaxPixels;
  private final ThreadContext threadContext;
  private final EncodeCounters counters = new EncodeCounters();
  /** The shipped bundle: the same in every generation, held by this object until it closes. */
  private final SharedBundle defaultBundle;
  private volatile ModelRegistry current;
  private volatile boolean closed;

  private Models(Path dir, InferenceOptions options, long imageMaxPixels, ThreadContext threadContext,
      SharedBundle defaultBundle) {
    this.dir = dir;
    this.options = options;
    this.imageMaxPixels = imageMaxPixels;
    this.threadContext = threadContext;
    this.defaultBundle = defaultBundle;
  }

  /**
   * Loads the default bundle and the bundles of {@code modelsDir} (which may not exist); a bundle that fails to load
   * is logged and listed, the others serve. Encoded images will be limited to {@code imageMaxPixels} decoded pixels
   * (or a bundle's own lower limit). {@code threadContext} is the node's (null: no request holds a registry across
   * calls).
   */
  public static Models load(Path modelsDir, InferenceOptions options, long imageMaxPixels,
      ThreadContext threadContext) throws IOException {
    Models models = new Models(modelsDir, options, imageMaxPixels, threadContext,
        new SharedBundle(ModelRegistry.DEFAULT_MODEL, ModelBundle.loadDefault(options)));
    Map<String, SharedBundle> bundles = new TreeMap<>();
    bundles.put(ModelRegistry.DEFAULT_MODEL, models.defaultBundle);
    Map<String, String> failures = new TreeMap<>();
    try {
      models.read((name, bundle) -> bundles.put(name, new SharedBundle(name, bundle)), failures);
    } catch (IOException e) {
      bundles.values().forEach(SharedBundle::release);
      throw e;
    }
    models.current = new ModelRegistry(1, bundles, failures, imageMaxPixels, models.counters);
    bundles.forEach((name, b) -> {
      if (b != models.defaultBundle) {
        b.release(); // the registry holds them now
      }
    });
    return models;
  }

  /**
   * A hold on the registry of the request running in this thread context ({@link #withOneRegistry}), or else on the
   * current registry; released by {@link Lease#close()}.
   */
  public Lease acquire() {
    Lease held = threadContext == null ? null : threadContext.getTransient(HELD);
    if (held != null && !held.released.get() && held.registry.tryRetain()) {
      return new Lease(held.registry);
    }
    while (true) {
      ModelRegistry registry = current;
      if (registry.tryRetain()) {
        return new Lease(registry);
      }
      if (closed) {
        throw new IllegalStateException("bicmr: the node's models are closed (the node is stopping)");
      }
      Thread.onSpinWait(); // a reload released it after publishing the next: read current again
    }
  }

  /**
   * Runs {@code request} with one registry held for it until {@code listener} completes: every {@link #acquire()}
   * made in its thread context (on this node, on any thread the context travels to) gets that registry, so texts,
   * images and documents it encodes all use one model version, even while a reload swaps the registry. A request
   * started within one that holds a registry (an index request run as a bulk) holds the same one; a request started
   * from another's answer, once that one has released its registry, holds the current one.
   */
  public <T> void withOneRegistry(ActionListener<T> listener, Consumer<ActionListener<T>> request) {
    if (threadContext == null) {
      request.accept(listener);
      return;
    }
    Lease lease = acquire();
    try (ThreadContext.StoredContext restore = threadContext.newStoredContext(true, List.of(HELD))) {
      threadContext.putTransient(HELD, lease);
      request.accept(ActionListener.runAfter(listener, lease::close));
    } catch (RuntimeException e) {
      lease.close();
      throw e;
    }
  }

  /**
   * Reads the models directory again and makes the result the current registry: a bundle that loads is served from
   * its new files; one that fails to load, or whose code length differs from a field of {@code mappedFields} (model
   * name → fields that name it), is refused, and the bundle served before under that name, if any, keeps serving; an
   * entry gone from the directory is no longer served. Requests that hold the previous registry finish with it.
   * Reloads of one node run one at a time.
   *
   * @throws IllegalStateException if the directory cannot be listed (nothing changes) or the node is stopping
   */
  public synchronized ReloadReport reload(Map<String, List<MappedField>> mappedFields) {
    if (closed) {
      throw new IllegalStateException("bicmr: the node's models are closed (the node is stopping)");
    }
    ModelRegistry previous = current;
    Map<String, ModelBundle> read = new TreeMap<>();
    Map<String, String> failures = new TreeMap<>();
    try {
      read(read::put, failures);
    } catch (IOException e) {
      read.values().forEach(Models::close);
      throw new IllegalStateException("bicmr: cannot list the models directory " + dir + " (" + e.getMessage()
          + "); nothing was reloaded, generation " + previous.generation() + " keeps serving", e);
    }

    Map<String, SharedBundle> next = new TreeMap<>();
    Map<String, ReloadReport.Model> report = new TreeMap<>();
    next.put(ModelRegistry.DEFAULT_MODEL, defaultBundle);
    report.put(ModelRegistry.DEFAULT_MODEL, describe("shipped", defaultBundle.bundle()));
    List<SharedBundle> fresh = new ArrayList<>();
    for (Map.Entry<String, ModelBundle> e : read.entrySet()) {
      String name = e.getKey();
      ModelBundle bundle = e.getValue();
      String refusal = refusal(name, bundle, mappedFields.getOrDefault(name, List.of()));
      if (refusal == null) {
        SharedBundle b = new SharedBundle(name, bundle);
        fresh.add(b);
        next.put(name, b);
        report.put(name, describe("loaded", bundle));
      } else {
        failures.put(name, refusal);
        close(bundle);
      }
    }
    for (Map.Entry<String, String> failure : failures.entrySet()) {
      SharedBundle before = previous.shared(failure.getKey());
      if (before != null && !ModelRegistry.DEFAULT_MODEL.equals(failure.getKey())) {
        next.put(failure.getKey(), before);
        report.put(failure.getKey(), describe("kept", before.bundle()));
        failure.setValue(failure.getValue() + "; the previous bundle (version " + before.bundle().version() + ", "
            + before.bundle().bits() + " bits) keeps serving");
      }
    }
    List<String> removed = new ArrayList<>();
    for (String name : previous.bundles().keySet()) {
      if (!next.containsKey(name)) {
        removed.add(name);
      }
    }
    ModelRegistry registry = new ModelRegistry(previous.generation() + 1, next, failures, imageMaxPixels, counters);
    fresh.forEach(SharedBundle::release); // the registry holds them now
    current = registry;
    previous.release(); // the node's hold: its bundles close once the requests holding it are done
    LOG.info("bicmr: models reloaded, generation {}: {}; removed {}; failed {}", registry.generation(), report,
        removed, failures.keySet());
    return new ReloadReport(registry.generation(), report, removed, failures);
  }

  /** Why {@code bundle} may not serve as {@code name}, or null: a field mapped to the name has other bits. */
  private static String refusal(String name, ModelBundle bundle, List<MappedField> fields) {
    for (MappedField f : fields) {
      if (f.bits() != bundle.bits()) {
        return "refused: the new bundle (version " + bundle.version() + ") gives " + bundle.bits() + "-bit codes, but "
            + "index [" + f.index() + "] field [" + f.field() + "] maps model [" + name + "] with " + f.bits()
            + " bits; a bundle with another code length needs another name";
      }
    }
    return null;
  }

  private static ReloadReport.Model describe(String status, ModelBundle bundle) {
    return new ReloadReport.Model(status, bundle.version(), bundle.bits());
  }

  /** What a directory scan found, one entry at a time. */
  private interface Found {
    void bundle(String name, ModelBundle bundle);
  }

  /**
   * Loads every usable entry of the models directory (none if it does not exist) into {@code found}; what fails goes
   * to {@code failures}.
   *
   * @throws IOException if the directory exists but cannot be listed
   */
  private void read(Found found, Map<String, String> failures) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Path> entries = new ArrayList<>();
    try (var list = Files.list(dir)) {
      list.sorted().forEach(entries::add);
    }
    Map<String, Boolean> seen = new HashMap<>();
    for (Path entry : entries) {
      String file = entry.getFileName().toString();
      if (file.startsWith(".")) {
        continue; // hidden: e.g. a bundle being copied in before it is renamed into place
      }
      String name = file.endsWith(".zip") ? file.substring(0, file.length() - 4) : file;
      if (!ModelName.isValid(name) || name.equals(ModelRegistry.DEFAULT_MODEL)
          || seen.putIfAbsent(name, true) != null) {
        failures.put(file, "not a usable model name (lower-case letters, digits, '_', '.', '-'; not "
            + ModelRegistry.DEFAULT_MODEL + "; once)");
        LOG.warn("bicmr: skipping {}: not a usable model name", entry);
        continue;
      }
      try {
        Path real = entry.toRealPath();
        if (!real.startsWith(dir.toRealPath())) { // a symlink: OpenSearch's agent checks paths, not targets
          throw new IOException("bundle " + entry + " points outside the models directory (to " + real
              + "); copy the bundle into " + dir + " instead");
        }
        found.bundle(name, ModelBundle.load(entry, options));
        LOG.info("bicmr: loaded model [{}] from {}", name, entry);
      } catch (IOException | RuntimeException e) {
        failures.put(name, e.getMessage());
        LOG.error("bicmr: model [" + name + "] not loaded, the other models keep serving: " + e.getMessage(), e);
      }
    }
  }

  private static void close(ModelBundle bundle) {
    try {
      bundle.close();
    } catch (IOException e) {
      LOG.warn("bicmr: closing refused bundle [" + bundle.name() + "]: " + e.getMessage(), e);
    }
  }

  /** Per model now served, per source ({@code api}, {@code query}, {@code ingest}): encode calls since the start. */
  public Map<String, Map<String, EncodeStats>> encodeStats() {
    return counters.snapshot(current.bundles().keySet());
  }

  /** Encode requests this node has served since it started (a query rewrite, an ingest group, an {@code _encode}). */
  public long encodeRequests() {
    return counters.requests();
  }

  /** Releases the node's hold on the current registry and on the default bundle; held bundles close when released. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    current.release();
    defaultBundle.release();
  }

  /** A request's hold on one registry: use {@link #registry()} until {@link #close()}, which may be called twice. */
  public static final class Lease implements AutoCloseable {
    private final ModelRegistry registry;
    private final AtomicBoolean released = new AtomicBoolean();

    private Lease(ModelRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** The registry held. */
    public ModelRegistry registry() {
      if (released.get()) {
        throw new IllegalStateException("bicmr: the models lease was already released");
      }
      return registry;
    }

    @Override
    public void close() {
      if (released.compareAndSet(false, true)) {
        registry.release();
      }
    }
  }
}
