package org.bicmr.training.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.bicmr.training.app.Progress;
import org.bicmr.training.images.clipart.ClipartCatalog;
import org.bicmr.training.data.AtomicFile;
import org.bicmr.training.data.DatasetDirectory;
import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.images.features.ImageFeatureExtraction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bicmr extract-features}: the image features of a clip-art catalog's drawings, cached, written as the
 * dataset's {@code image.npy} beside {@code text.npy}, {@code labels.npy}, {@code groups.npy} and {@code dataset.json},
 * so {@code bicmr train} and {@code evaluate} read the directory as any dataset.
 */
@Command(name = "extract-features", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Extracts image features for a 'bicmr clipart-dataset' directory with an ONNX extractor "
        + "(e.g. from 'bicmr convert-mobilenet') and completes it as a dataset directory for 'bicmr train'.",
        "Features are cached by image SHA-256 and extractor SHA-256: a re-run is instant, another extractor "
        + "recomputes. Drawings the JDK cannot decode are left out of the dataset (listed in extraction.json)."})
final class ExtractFeaturesCommand implements Callable<Integer> {
  static final String ROWS = "rows.txt";
  static final String EXTRACTION = "extraction.json";

  @Option(names = "--dataset", required = true, description = "directory written by 'bicmr clipart-dataset'")
  Path dataset;

  @Option(names = "--extractor", required = true, description = "ONNX image feature extractor: image [batch, 3, H, "
      + "W] -> features [batch, d]")
  Path extractor;

  @Option(names = "--threads", description = "decoding threads (default: the number of processors, ${DEFAULT-VALUE})")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--inference-threads", description = "ONNX Runtime intra-op threads, 0 for its choice (default: "
      + "${DEFAULT-VALUE})")
  int inferenceThreads = 0;

  @Option(names = "--batch", description = "images per extractor call (default: ${DEFAULT-VALUE})")
  int batch = 32;

  @Option(names = "--cache", description = "feature cache directory (default: ${DEFAULT-VALUE})")
  Path cache = Path.of(System.getProperty("user.home"), ".cache", "bicmr", "features");

  @Option(names = "--quiet", description = "no progress bar")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    ClipartCatalog catalog = ClipartCatalog.read(dataset);
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < catalog.items().size(); i++) {
      files.add(catalog.file(i));
    }
    long start = System.nanoTime();
    ImageFeatureExtraction.FileRun run;
    try (ProgressBar bar = quiet ? null : Progress.bar("features", files.size())) {
      run = ImageFeatureExtraction.withExtractorFile(extractor, inferenceThreads, catalog.options().maxPixels(), cache,
          batch, threads, files, done -> {
            if (bar != null) {
              bar.stepTo(done);
            }
          });
    }
    ImageFeatureExtraction.Result result = run.result();
    int dim = run.dim();
    String extractorSha = run.extractorSha256();
    double seconds = (System.nanoTime() - start) / 1e9;
    int[] rows = new int[files.size() - result.failures().size()];
    float[] image = new float[rows.length * dim];
    for (int i = 0, r = 0; i < files.size(); i++) {
      if (result.features()[i] != null) {
        System.arraycopy(result.features()[i], 0, image, r * dim, dim);
        rows[r++] = i;
      }
    }
    if (rows.length == 0) {
      throw new IllegalArgumentException(dataset + ": no drawing could be decoded (first: "
          + result.failures().values().iterator().next() + ")");
    }
    PairedDataset data = catalog.dataset(dataset.getFileName().toString(), rows, image, dim);
    write(data, rows, catalog, result, seconds, extractorSha);
    System.out.printf(Locale.ROOT, "%s: %d drawings, image %d-d, text %d-d, %d labels, %d leaf groups%n", dataset,
        rows.length, dim, data.textDim(), data.labelCount(), catalog.leaves().size());
    System.out.printf(Locale.ROOT, "%d images in %.1f s (%.1f images/s): %d from the cache, %d extracted, %d "
        + "left out%n", files.size(), seconds, files.size() / seconds, result.cached(), result.computed(),
        result.failures().size());
    int shown = 0;
    for (Map.Entry<Integer, String> f : result.failures().entrySet()) {
      if (shown++ == 3) {
        System.out.println("  ... (all in " + EXTRACTION + ")");
        break;
      }
      System.out.println("  left out " + catalog.items().get(f.getKey()).png() + ": " + f.getValue());
    }
    return 0;
  }

  /** The dataset files, each replaced atomically ({@code dataset.json} last), then the row map and the log. */
  private void write(PairedDataset data, int[] rows, ClipartCatalog catalog, ImageFeatureExtraction.Result result,
      double seconds, String extractorSha) throws Exception {
    Path staging = Files.createTempDirectory(dataset, ".dataset-");
    try {
      DatasetDirectory.write(data, staging, "Open Clip Art drawings (Debian openclipart-png/-svg): text = SVG title "
          + "and keywords, labels = top-level category folders, groups = leaf folders; image features from "
          + extractor.getFileName() + " (SHA-256 " + extractorSha + "); row r is items.jsonl line rows.txt[r] + 1");
      for (String f : List.of("image.npy", "text.npy", "labels.npy", "groups.npy", "dataset.json")) {
        AtomicFile.replace(staging.resolve(f), dataset.resolve(f));
      }
    } finally {
      try (var left = Files.list(staging)) {
        for (Path p : left.toList()) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(staging);
    }
    StringBuilder lines = new StringBuilder();
    for (int r : rows) {
      lines.append(r).append('\n');
    }
    AtomicFile.write(dataset.resolve(ROWS), lines.toString().getBytes(StandardCharsets.UTF_8));
    JsonObject log = new JsonObject();
    log.addProperty("extractor", extractor.toAbsolutePath().toString());
    log.addProperty("extractor_sha256", extractorSha);
    log.addProperty("image_dim", data.imageDim());
    log.addProperty("items", catalog.items().size());
    log.addProperty("rows", rows.length);
    log.addProperty("cached", result.cached());
    log.addProperty("computed", result.computed());
    log.addProperty("seconds", seconds);
    log.addProperty("threads", threads);
    log.addProperty("batch", batch);
    JsonArray failed = new JsonArray();
    result.failures().forEach((i, reason) -> {
      JsonObject f = new JsonObject();
      f.addProperty("item", i);
      f.addProperty("png", catalog.items().get(i).png());
      f.addProperty("reason", reason);
      failed.add(f);
    });
    log.add("left_out", failed);
    AtomicFile.write(dataset.resolve(EXTRACTION), new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
        .create().toJson(log).getBytes(StandardCharsets.UTF_8));
  }
}
