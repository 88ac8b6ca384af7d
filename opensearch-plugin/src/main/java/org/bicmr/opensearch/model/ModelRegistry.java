package org.bicmr.opensearch.model;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bicmr.codes.HashCode;
import org.bicmr.codes.ModelName;
import org.bicmr.onnx.HashEncoder;
import org.bicmr.onnx.ModelBundle;
import org.bicmr.onnx.TextWords;

/**
 * One generation of the node's models, immutable: the default bundle shipped in the plugin plus the bundles read from
 * {@code <config>/bicmr/models/} at start or at a reload, and the entries that failed. A request takes one registry
 * from {@link Models#acquire()} and uses it for its whole life, so everything it encodes comes from one model
 * version; a reload makes a new registry, and the bundles only the old one served are closed when the last request
 * holding it is done.
 */
public final class ModelRegistry {
  /** The name of the bundle shipped in the plugin. */
  public static final String DEFAULT_MODEL = "bicmr-default";
  /** What a model name looks like. */

  private final long generation;
  private final Map<String, SharedBundle> shared;
  private final Map<String, ModelBundle> bundles;
  private final Map<String, String> failures;
  private final long imageMaxPixels;
  private final EncodeCounters counters;
  private final RefCount refs;

  /**
   * Holds each of {@code bundles} (the caller keeps its own holds); the registry is held once, by the caller, and
   * releases its bundles when its last holder releases it.
   */
  ModelRegistry(long generation, Map<String, SharedBundle> bundles, Map<String, String> failures,
      long imageMaxPixels, EncodeCounters counters) {
    this.generation = generation;
    this.shared = Collections.unmodifiableMap(new TreeMap<>(bundles));
    Map<String, ModelBundle> plain = new TreeMap<>();
    shared.forEach((name, b) -> plain.put(name, b.bundle()));
    this.bundles = Collections.unmodifiableMap(plain);
    this.failures = Collections.unmodifiableMap(new TreeMap<>(failures));
    this.imageMaxPixels = imageMaxPixels;
    this.counters = counters;
    this.refs = new RefCount("bicmr model registry generation " + generation, this::releaseBundles);
    shared.values().forEach(SharedBundle::retain);
  }

  /** The bundle called {@code name}; the default bundle when {@code name} is null. */
  public ModelBundle get(String name) {
    String key = name == null ? DEFAULT_MODEL : name;
    if (!ModelName.isValid(key)) {
      throw new IllegalArgumentException("model: expected a model name (" + ModelName.PATTERN + "), got [" + name
          + "]");
    }
    ModelBundle bundle = bundles.get(key);
    if (bundle == null) {
      String reason = failures.containsKey(key) ? " (it failed to load: " + failures.get(key) + ")" : "";
      throw new IllegalArgumentException("model: unknown model [" + key + "]" + reason + "; available: "
          + bundles.keySet());
    }
    return bundle;
  }

  /**
   * Encodes the request's texts, feature vectors or images with its model (all with this registry's bundle of that
   * name), counting and timing the call for the stats.
   *
   * @throws IllegalArgumentException for an unknown model or a bad input, naming it
   */
  public EncodeResponse encode(EncodeRequest request) {
    counters.recordRequest();
    String name = request.model() == null ? DEFAULT_MODEL : request.model();
    ModelBundle bundle = get(request.model());
    long start = System.nanoTime();
    try {
      HashEncoder encoder = bundle.encoder().withMaxPixels(imageMaxPixels);
      List<HashCode> codes = request.texts() != null ? encoder.encodeTexts(request.texts())
          : request.images() != null ? encoder.encodeImageBytes(request.images())
          : encoder.encodeImages(request.features());
      // one text (an _encode or a query): also which of its words the model read
      TextWords words = request.texts() != null && request.texts().size() == 1
          ? encoder.words(request.texts().get(0)) : null;
      EncodeResponse response = new EncodeResponse(name, codes, words);
      counters.record(name, request.source(), request.inputs(), System.nanoTime() - start, false);
      return response;
    } catch (RuntimeException e) {
      counters.record(name, request.source(), request.inputs(), System.nanoTime() - start, true);
      throw e;
    }
  }

  /** Which registry this is: 1 at the node's start, one more at each reload. */
  public long generation() {
    return generation;
  }

  /** The node's limit on the decoded pixels of one image ({@code bicmr.image.max_pixels}). */
  public long imageMaxPixels() {
    return imageMaxPixels;
  }

  /** The loaded bundles by name. */
  public Map<String, ModelBundle> bundles() {
    return bundles;
  }

  /** Entries of the models directory that failed to load (or were refused), by name, with the reason. */
  public Map<String, String> failures() {
    return failures;
  }

  /** The held bundle called {@code name}, or null. */
  SharedBundle shared(String name) {
    return shared.get(name);
  }

  Map<String, SharedBundle> shared() {
    return shared;
  }

  boolean tryRetain() {
    return refs.tryRetain();
  }

  void release() {
    refs.release();
  }

  /** Holders of this registry: the node while it is current, plus one per request using it. */
  int holders() {
    return refs.holders();
  }

  private void releaseBundles() {
    shared.values().forEach(SharedBundle::release);
  }
}
