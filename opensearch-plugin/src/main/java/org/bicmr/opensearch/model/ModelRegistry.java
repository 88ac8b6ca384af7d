package org.bicmr.opensearch.model;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.bicmr.onnx.InferenceOptions;
import org.bicmr.onnx.ModelBundle;

/**
 * The node's model bundles: the default bundle shipped in the plugin plus every bundle directory (or {@code .zip})
 * under {@code <config>/bicmr/models/}, registered under its file name. Loaded once at start; a bundle that fails to
 * load is logged and skipped, so the others keep serving. Names are plain identifiers ({@code [a-z0-9][a-z0-9_.-]*}),
 * so a request can never name a path, and an entry whose real path lies outside the models directory (a symlink) is
 * refused: nothing outside the directory is read.
 */
public final class ModelRegistry implements Closeable {
  /** The name of the bundle shipped in the plugin. */
  public static final String DEFAULT_MODEL = "bicmr-default";
  private static final String NAME = "[a-z0-9][a-z0-9_.-]*";
  private static final Logger LOG = LogManager.getLogger(ModelRegistry.class);

  private final Map<String, ModelBundle> bundles;
  private final Map<String, String> failures;
  private final long imageMaxPixels;
  private final java.util.concurrent.atomic.AtomicLong encodeRequests = new java.util.concurrent.atomic.AtomicLong();
  /** Per loaded model, per source: the encode calls this node ran. */
  private final Map<String, Map<EncodeRequest.Source, Counters>> encodes;

  /** One model's calls from one source; adders, since ingest threads encode at once. */
  private static final class Counters {
    final LongAdder calls = new LongAdder();
    final LongAdder inputs = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder nanos = new LongAdder();

    EncodeStats snapshot() {
      return new EncodeStats(calls.sum(), inputs.sum(), failures.sum(), nanos.sum());
    }
  }

  ModelRegistry(Map<String, ModelBundle> bundles, Map<String, String> failures, long imageMaxPixels) {
    this.bundles = Collections.unmodifiableMap(new TreeMap<>(bundles));
    this.failures = Collections.unmodifiableMap(new TreeMap<>(failures));
    this.imageMaxPixels = imageMaxPixels;
    Map<String, Map<EncodeRequest.Source, Counters>> encodes = new TreeMap<>();
    for (String name : this.bundles.keySet()) {
      Map<EncodeRequest.Source, Counters> bySource = new EnumMap<>(EncodeRequest.Source.class);
      for (EncodeRequest.Source source : EncodeRequest.Source.values()) {
        bySource.put(source, new Counters());
      }
      encodes.put(name, Collections.unmodifiableMap(bySource));
    }
    this.encodes = Collections.unmodifiableMap(encodes);
  }

  /**
   * Loads the default bundle and the bundles of {@code modelsDir} (which may not exist); encoded images will be
   * limited to {@code imageMaxPixels} decoded pixels (or a bundle's own lower limit).
   */
  public static ModelRegistry load(Path modelsDir, InferenceOptions options, long imageMaxPixels) throws IOException {
    Map<String, ModelBundle> bundles = new TreeMap<>();
    Map<String, String> failures = new TreeMap<>();
    bundles.put(DEFAULT_MODEL, ModelBundle.loadDefault(options));
    if (Files.isDirectory(modelsDir)) {
      List<Path> entries = new ArrayList<>();
      try (var list = Files.list(modelsDir)) {
        list.sorted().forEach(entries::add);
      }
      for (Path entry : entries) {
        String file = entry.getFileName().toString();
        String name = file.endsWith(".zip") ? file.substring(0, file.length() - 4) : file;
        if (!name.matches(NAME) || name.equals(DEFAULT_MODEL) || bundles.containsKey(name)) {
          failures.put(file, "not a usable model name (lower-case letters, digits, '_', '.', '-'; not "
              + DEFAULT_MODEL + "; once)");
          LOG.warn("bicmr: skipping {}: not a usable model name", entry);
          continue;
        }
        try {
          Path real = entry.toRealPath();
          if (!real.startsWith(modelsDir.toRealPath())) { // a symlink: OpenSearch's agent checks paths, not targets
            throw new IOException("bundle " + entry + " points outside the models directory (to " + real
                + "); copy the bundle into " + modelsDir + " instead");
          }
          bundles.put(name, ModelBundle.load(entry, options));
          LOG.info("bicmr: loaded model [{}] from {}", name, entry);
        } catch (IOException | RuntimeException e) {
          failures.put(name, e.getMessage());
          LOG.error("bicmr: model [" + name + "] not loaded, the other models keep serving: " + e.getMessage(), e);
        }
      }
    }
    return new ModelRegistry(bundles, failures, imageMaxPixels);
  }

  /** The bundle called {@code name}; the default bundle when {@code name} is null. */
  public ModelBundle get(String name) {
    String key = name == null ? DEFAULT_MODEL : name;
    if (!key.matches(NAME)) {
      throw new IllegalArgumentException("model: expected a model name (" + NAME + "), got [" + name + "]");
    }
    ModelBundle bundle = bundles.get(key);
    if (bundle == null) {
      String reason = failures.containsKey(key) ? " (it failed to load: " + failures.get(key) + ")" : "";
      throw new IllegalArgumentException("model: unknown model [" + key + "]" + reason + "; available: "
          + bundles.keySet());
    }
    return bundle;
  }

  /** The node's limit on the decoded pixels of one image ({@code bicmr.image.max_pixels}). */
  public long imageMaxPixels() {
    return imageMaxPixels;
  }

  /** Counts one encode request served by this node (a query rewrite, an ingest sub-batch or an {@code _encode}). */
  void recordEncodeRequest() {
    encodeRequests.incrementAndGet();
  }

  /**
   * Counts one encode call of a loaded model: {@code inputs} texts, vectors or images for {@code source}, which took
   * {@code nanos} and failed or not.
   */
  void recordEncode(String model, EncodeRequest.Source source, int inputs, long nanos, boolean failed) {
    Map<EncodeRequest.Source, Counters> bySource = encodes.get(model);
    if (bySource == null) {
      return; // not a loaded model: refused before any encoding
    }
    Counters c = bySource.get(source);
    c.calls.increment();
    c.inputs.add(inputs);
    c.nanos.add(nanos);
    if (failed) {
      c.failures.increment();
    }
  }

  /** Per loaded model, per source ({@code api}, {@code query}, {@code ingest}): the encode calls this node ran. */
  public Map<String, Map<String, EncodeStats>> encodeStats() {
    Map<String, Map<String, EncodeStats>> stats = new TreeMap<>();
    encodes.forEach((model, bySource) -> {
      Map<String, EncodeStats> m = new TreeMap<>();
      bySource.forEach((source, c) -> m.put(source.key(), c.snapshot()));
      stats.put(model, m);
    });
    return stats;
  }

  /** Encode requests this node has served since it started. */
  public long encodeRequests() {
    return encodeRequests.get();
  }

  /** The loaded bundles by name. */
  public Map<String, ModelBundle> bundles() {
    return bundles;
  }

  /** Bundles that failed to load, by name, with the reason. */
  public Map<String, String> failures() {
    return failures;
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (ModelBundle b : bundles.values()) {
      try {
        b.close();
      } catch (IOException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
