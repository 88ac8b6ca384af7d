package org.bicmr.training.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.bicmr.onnx.ImagePreprocessor;
import org.bicmr.onnx.InferenceDevice;
import org.bicmr.onnx.InferenceOptions;
import org.bicmr.onnx.SentenceEncoder;
import org.bicmr.training.app.Progress;
import org.bicmr.training.data.AtomicFile;
import org.bicmr.training.data.DatasetDirectory;
import org.bicmr.training.images.features.ImageFeatureExtraction;
import org.bicmr.training.images.pictures.PictureCatalog;
import org.bicmr.training.images.pictures.PictureDataset;
import org.bicmr.training.images.pictures.PictureItem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bicmr picture-features}: a picture catalog ({@code bicmr picture-dataset})
 * becomes a dataset in the same directory: image features from an extractor (cached by picture content), text
 * features from the packaged sentence encoder, labels, relevance groups and split groups; {@code rows.txt} maps each
 * dataset row to its line of {@code items.jsonl}.
 */
@Command(name = "picture-features", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Turns a picture catalog into a dataset: image features (an extractor), text features (the "
        + "sentence encoder), labels, groups.")
final class PictureFeaturesCommand implements Callable<Integer> {
  @Option(names = "--catalog", required = true, description = "picture catalog directory (written into)")
  Path catalog;

  @Option(names = "--extractor", required = true, description = "image feature extractor (bicmr convert-centernet)")
  Path extractor;

  @Option(names = "--name", description = "dataset name (default: the catalog's directory name)")
  String name;

  @Option(names = "--threads", description = "decoding threads (default: ${DEFAULT-VALUE})")
  int threads = 1;

  @Option(names = "--batch", description = "images per extractor call (default: ${DEFAULT-VALUE})")
  int batch = 32;

  @Option(names = "--inference-threads", description = "ONNX Runtime threads, 0 = its choice (default: "
      + "${DEFAULT-VALUE})")
  int inferenceThreads = 0;

  @Option(names = "--cache", description = "feature cache (default: ~/.cache/bicmr/features)")
  Path cache = Path.of(System.getProperty("user.home"), ".cache", "bicmr", "features");

  @Option(names = "--quiet", description = "no progress bar")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    List<PictureItem> items = PictureCatalog.read(catalog);
    List<Path> files = PictureDataset.files(catalog, items);
    long start = System.nanoTime();
    ImageFeatureExtraction.FileRun run;
    try (ProgressBar bar = quiet ? null : Progress.bar("pictures", files.size())) {
      run = ImageFeatureExtraction.withExtractorFile(extractor, inferenceThreads, ImagePreprocessor.MAX_PIXELS, cache,
          batch, threads, files, done -> {
            if (bar != null) {
              bar.stepTo(done);
            }
          });
    }
    ImageFeatureExtraction.Result images = run.result();
    int dim = run.dim();
    String sha = run.extractorSha256();
    double imageSeconds = (System.nanoTime() - start) / 1e9;
    PictureDataset.Result r;
    long t = System.nanoTime();
    try (SentenceEncoder encoder = SentenceEncoder.openDefault(new InferenceOptions(InferenceDevice.AUTO,
        inferenceThreads))) {
      r = PictureDataset.of(name == null ? catalog.getFileName().toString() : name, items, images, dim, encoder);
    }
    double textSeconds = (System.nanoTime() - t) / 1e9;
    DatasetDirectory.write(r.data(), catalog, "pictures of " + catalog.getFileName() + ": image features from "
        + extractor.getFileName() + " (SHA-256 " + sha + "), text features from the sentence encoder "
        + SentenceEncoder.DEFAULT_NAME + "; row r is items.jsonl line rows.txt[r] + 1");
    StringBuilder rows = new StringBuilder();
    for (int row : r.rows()) {
      rows.append(row).append('\n');
    }
    AtomicFile.write(catalog.resolve("rows.txt"), rows.toString().getBytes(StandardCharsets.UTF_8));
    System.out.printf(Locale.ROOT, "%s: %,d pictures, image %d-d, text %d-d, %d labels; images %.0f s (%d from the "
        + "cache), texts %.0f s; %d left out%n", catalog, r.data().size(), dim, r.data().textDim(),
        r.data().labelCount(), imageSeconds, images.cached(), textSeconds, images.failures().size());
    images.failures().entrySet().stream().limit(3).forEach(f -> System.out.println("  left out "
        + items.get(f.getKey()).image() + ": " + f.getValue()));
    return 0;
  }
}
