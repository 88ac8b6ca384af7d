package org.bicmr.training.images.features;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bicmr.onnx.FeatureExtractor;
import org.bicmr.onnx.ImagePreprocessor;
import org.bicmr.onnx.ModelBundle;

/**
 * Image files to feature vectors: each file is read, hashed (SHA-256) and looked up in the {@link FeatureCache}; a
 * miss is decoded and preprocessed ({@link ImagePreprocessor}) on one of {@code threads} worker threads, up to two
 * batches ahead, while the extractor runs the batch before in batches of {@code batch}; new features go into the
 * cache. A file that cannot be read or decoded (not a PNG or JPEG, corrupt, over the pixel limit) is a failure with
 * its reason, and the rest go on.
 */
public final class ImageFeatureExtraction {
  /** Told how many files are done so far, after each batch and each cache hit. */
  public interface Progress {
    void done(int files);
  }

  /**
   * What came out.
   *
   * @param features file i's features, or null when it failed
   * @param failures the reason of each failed file, by index, in order
   * @param cached how many files the cache answered
   * @param computed how many files the extractor ran on
   */
  public record Result(float[][] features, Map<Integer, String> failures, int cached, int computed) {}

  private sealed interface Outcome permits Hit, Decoded, Failed {}

  private record Hit(float[] features) implements Outcome {}

  private record Decoded(String sha, float[] pixels) implements Outcome {}

  private record Failed(String reason) implements Outcome {}

  private final FeatureExtractor model;
  private final ImagePreprocessor preprocessor;
  private final FeatureCache cache;
  private final int batch;
  private final int threads;

  public ImageFeatureExtraction(FeatureExtractor model, ImagePreprocessor preprocessor, FeatureCache cache, int batch,
      int threads) {
    this.model = Objects.requireNonNull(model, "model");
    this.preprocessor = Objects.requireNonNull(preprocessor, "preprocessor");
    this.cache = Objects.requireNonNull(cache, "cache");
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be at least 1, got " + batch);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    if (preprocessor.width() != model.width() || preprocessor.height() != model.height()) {
      throw new IllegalArgumentException("the preprocessing makes " + preprocessor.width() + "×"
          + preprocessor.height() + " images, the extractor takes " + model.width() + "×" + model.height());
    }
    this.batch = batch;
    this.threads = threads;
  }

  /**
   * What {@link #withExtractorFile} ran: its result, the extractor's output width and the SHA-256 of its file.
   */
  public record FileRun(Result result, int dim, String extractorSha256) {}

  /**
   * Opens the extractor file (ONNX Runtime with {@code inferenceThreads}, 0 for its choice), preprocesses to its input
   * size with at most {@code maxPixels} decoded pixels, caches features under {@code cacheRoot} keyed by the extractor
   * and the preprocessing, and runs over {@code files} in batches of {@code batch} with {@code threads} decoders.
   */
  public static FileRun withExtractorFile(Path extractor, int inferenceThreads, long maxPixels, Path cacheRoot,
      int batch, int threads, List<Path> files, Progress progress) throws IOException, InterruptedException {
    try (FeatureExtractor model = FeatureExtractor.open(extractor, inferenceThreads)) {
      ImagePreprocessor preprocessor = new ImagePreprocessor(model.width(), model.height(), maxPixels);
      FeatureCache cache = new FeatureCache(cacheRoot, FeatureCache.key(model.sha256(), preprocessor), model.dim());
      Result result = new ImageFeatureExtraction(model, preprocessor, cache, batch, threads).run(files, progress);
      return new FileRun(result, model.dim(), model.sha256());
    } catch (ai.onnxruntime.OrtException e) { // from closing the session
      throw new IOException(extractor + ": " + e.getMessage(), e);
    }
  }

  /** The features of {@code files}, in order. */
  public Result run(List<Path> files, Progress progress) throws IOException, InterruptedException {
    float[][] features = new float[files.size()][];
    Map<Integer, String> failures = new TreeMap<>();
    int cached = 0;
    int computed = 0;
    int window = 2 * Math.max(batch, threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "image-decode");
      t.setDaemon(true);
      return t;
    });
    try {
      Deque<Future<Outcome>> ahead = new ArrayDeque<>();
      int submitted = 0;
      List<Integer> pendingIndex = new ArrayList<>();
      List<Decoded> pending = new ArrayList<>();
      for (int i = 0; i < files.size(); i++) {
        while (submitted < files.size() && ahead.size() < window) {
          Path f = files.get(submitted++);
          ahead.add(pool.submit(() -> outcome(f)));
        }
        Outcome o = take(ahead.removeFirst(), files.get(i));
        switch (o) {
          case Hit h -> {
            features[i] = h.features();
            cached++;
          }
          case Failed f -> failures.put(i, f.reason());
          case Decoded d -> {
            pendingIndex.add(i);
            pending.add(d);
          }
        }
        if (pending.size() == batch || (i == files.size() - 1 && !pending.isEmpty())) {
          float[][] out = extract(pending);
          for (int k = 0; k < out.length; k++) {
            features[pendingIndex.get(k)] = out[k];
            cache.put(pending.get(k).sha(), out[k]);
          }
          computed += out.length;
          pending.clear();
          pendingIndex.clear();
          progress.done(i + 1);
        } else if (pending.isEmpty()) {
          progress.done(i + 1);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    return new Result(features, failures, cached, computed);
  }

  private static Outcome take(Future<Outcome> f, Path file) throws IOException, InterruptedException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException(file + ": " + e.getCause(), e.getCause());
    }
  }

  private Outcome outcome(Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      return new Failed("cannot be read (" + e + ")");
    }
    String sha = ModelBundle.sha256(bytes);
    float[] hit = cache.get(sha);
    if (hit != null) {
      return new Hit(hit);
    }
    try {
      return new Decoded(sha, preprocessor.pixels(bytes));
    } catch (IllegalArgumentException e) {
      return new Failed(e.getMessage());
    }
  }

  private float[][] extract(List<Decoded> images) {
    int plane = 3 * model.height() * model.width();
    float[] x = new float[images.size() * plane];
    for (int k = 0; k < images.size(); k++) {
      System.arraycopy(images.get(k).pixels(), 0, x, k * plane, plane);
    }
    float[] f = model.run(x, images.size());
    float[][] out = new float[images.size()][];
    for (int k = 0; k < out.length; k++) {
      out[k] = java.util.Arrays.copyOfRange(f, k * model.dim(), (k + 1) * model.dim());
    }
    return out;
  }
}
