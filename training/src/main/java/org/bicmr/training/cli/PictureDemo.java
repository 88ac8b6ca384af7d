package org.bicmr.training.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import me.tongfei.progressbar.ProgressBar;
import org.bicmr.codes.HashCode;
import org.bicmr.onnx.HashEncoder;
import org.bicmr.onnx.ImagePreprocessor;
import org.bicmr.onnx.InferenceDevice;
import org.bicmr.onnx.InferenceOptions;
import org.bicmr.onnx.ModelBundle;
import org.bicmr.onnx.SentenceEncoder;
import org.bicmr.training.app.Evaluation;
import org.bicmr.training.app.Progress;
import org.bicmr.training.app.Training;
import org.bicmr.training.data.DatasetDirectory;
import org.bicmr.training.data.DatasetSplit;
import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.demo.ItemIndex;
import org.bicmr.training.demo.RandomCodes;
import org.bicmr.training.demo.ThumbnailPage;
import org.bicmr.training.eval.CurvePlots;
import org.bicmr.training.eval.Direction;
import org.bicmr.training.eval.EvaluationRun;
import org.bicmr.training.eval.JsonReport;
import org.bicmr.training.eval.MapTables;
import org.bicmr.training.export.BundleExporter;
import org.bicmr.training.images.features.ImageFeatureExtraction;
import org.bicmr.training.model.TrainedModel;
import org.bicmr.training.images.pictures.EmojiImporter;
import org.bicmr.training.images.pictures.PictureCatalog;
import org.bicmr.training.images.pictures.PictureDataset;
import org.bicmr.training.images.pictures.PictureItem;
import org.bicmr.training.images.vision.CenternetConverter;

/**
 * {@code bicmr demo}: the whole pipeline on the default data, real pictures and sentences from the package registries
 * alone. It fetches the redistributable emoji sets and the image model from npm ({@code bin/fetch-emoji}, {@code
 * bin/fetch-human}), converts the image model, makes the picture catalog (every emoji in the chosen styles, named and
 * described by emojibase), computes image features and sentence encodings, trains the recommended Bi-CMR on a split
 * that keeps every style of an emoji on one side, evaluates it beside random codes, exports a bundle (the image
 * extractor inside, the sentence encoder from its Maven artifact), indexes the database pictures into Lucene with
 * codes from ONNX Runtime (checked against the bytes path on a sample), answers typed sentences with their top
 * pictures and writes {@code pictures.html}.
 */
final class PictureDemo {
  /** The sentences the page always shows. */
  static final List<String> SENTENCES = List.of("a red apple on a table", "a vehicle used by firefighters",
      "a sleeping cat", "it is raining", "a birthday party", "a sad face");

  /**
   * What to run.
   *
   * @param emoji the emoji packages (bin/fetch-emoji's folder), or null to fetch them
   * @param human the @vladmandic/human package, or null to fetch it
   * @param styles the emoji styles to use (e.g. google, twitter, openmoji)
   * @param limit at most this many emoji, spread evenly over emojibase's order (0: all)
   */
  record Options(Path out, Path emoji, Path human, List<String> styles, int limit, int bits, int epochs, int top,
      List<String> texts, long seed, boolean quiet) {}

  private final Options o;
  private final List<String> facts = new ArrayList<>();

  PictureDemo(Options options) {
    this.o = options;
  }

  Path run() throws Exception {
    long start = System.nanoTime();
    // the fetch scripts' cache: $BICMR_CACHE, else ~/.cache/bicmr
    String cacheDir = System.getenv("BICMR_CACHE");
    Path cache = cacheDir != null && !cacheDir.isBlank() ? Path.of(cacheDir)
        : Path.of(System.getProperty("user.home"), ".cache", "bicmr");
    step(1, "fetch the emoji sets and the image model from npm");
    Path emoji = o.emoji() != null ? o.emoji() : fetch("fetch-emoji");
    Path human = o.human() != null ? o.human() : fetch("fetch-human");

    step(2, "convert the image model (MobileNetV3 CenterNet backbone) to ONNX");
    Path extractor = cache.resolve("extractors").resolve("centernet-3.3.6.onnx");
    if (!Files.isRegularFile(extractor)) {
      Files.createDirectories(extractor.getParent());
      Files.write(extractor, CenternetConverter.convert(human).onnx());
    }
    System.out.println("extractor: " + extractor);

    step(3, "picture catalog: every emoji in the styles " + o.styles());
    Path catalog = o.out().resolve("catalog");
    Path pictures = cache.resolve("emoji-pictures"); // drawn once, reused by every run
    EmojiImporter.Result imported = EmojiImporter.items(emoji, pictures, o.styles(), o.limit());
    List<PictureItem> items = imported.items();
    List<PictureItem> relocated = items.stream().map(i -> new PictureItem(pictures.resolve(i.image()).toString(),
        i.text(), i.labels(), i.group(), i.split(), i.source())).toList();
    PictureCatalog.write(catalog, "emoji-demo", relocated, imported.skipped(), EmojiImporter.LICENCES);
    System.out.printf(Locale.ROOT, "%,d pictures of %,d emoji%n", items.size(),
        items.stream().map(PictureItem::split).distinct().count());

    step(4, "image features (extractor) and sentence encodings of the texts");
    Path data = o.out().resolve("data");
    PictureDataset.Result dataset = features(relocated, extractor, cache, data);
    PairedDataset all = dataset.data();
    System.out.println(all);

    step(5, "train the recommended Bi-CMR, " + o.bits() + " bits");
    Path model = o.out().resolve("model");
    int queries = Math.max(100, all.size() / 10);
    // every database item is a training item, as in the paper's protocol: on the picture benchmark this raised text →
    // image MAP from 0.625 (about half the database) to 0.823 (EXPERIMENTS.md)
    int training = all.size() - queries;
    TrainOptions options = new TrainOptions();
    Set<String> given = TrainOptions.parseInto(options, NETWORK);
    options.bits = o.bits();
    options.epochs = o.epochs();
    options.queries = queries;
    options.trainSize = training;
    options.seed = o.seed();
    options.splitSeed = o.seed();
    long t = System.nanoTime();
    Training.train(options.request(TrainedModel.BICMR, given, data, model, null, o.quiet(), System.out));
    double trainSeconds = (System.nanoTime() - t) / 1e9;

    step(6, "evaluate: image → text and text → image, relevance S (a shared label) and G (the same subgroup)");
    TrainedModel.Meta meta = TrainedModel.meta(model);
    DatasetSplit split = TrainedModel.split(model);
    List<EvaluationRun> runs = new ArrayList<>(Evaluation.runs(all, model, meta, split, "Bi-CMR",
        Direction.CROSS_MODAL, false, false));
    List<EvaluationRun> bicmr = List.copyOf(runs);
    runs.addAll(RandomCodes.runs(all, split, o.bits()));
    Path report = o.out().resolve("report");
    Files.createDirectories(report);
    JsonReport.write(report.resolve("report.json"), runs);
    MapTables.write(report.resolve("tables.md"), runs);
    CurvePlots.write(report.resolve("plots"), runs);
    System.out.print(MapTables.markdown(runs));

    step(7, "export the bundle: image extractor and nets inside, the sentence encoder from its Maven artifact");
    Path bundle = o.out().resolve("bundle");
    BundleExporter.export(model, bundle, new BundleExporter.Options("bicmr-pictures", "1",
        "480-d features of the MobileNetV3 CenterNet backbone (@vladmandic/human 3.3.6)", Instant.now(), List.of(),
        bicmr, extractor, BundleExporter.TextEncoder.REFERENCED));

    step(8, "index the database pictures into Lucene with codes from ONNX Runtime");
    int[] database = split.database();
    List<ThumbnailPage.Query> pages = new ArrayList<>();
    try (ModelBundle loaded = ModelBundle.load(bundle, new InferenceOptions(InferenceDevice.AUTO, 0))) {
      HashEncoder encoder = loaded.encoder();
      List<float[]> features = new ArrayList<>(database.length);
      for (int item : database) {
        features.add(all.imageRow(item));
      }
      List<HashCode> codes = encoder.encodeImages(features);
      checkBytesPath(encoder, relocated, dataset.rows(), database, codes);
      Path index = o.out().resolve("index");
      ItemIndex.writeImages(index, codes);

      step(9, "text → picture queries through HammingDistanceQuery");
      List<String> texts = new ArrayList<>(SENTENCES);
      texts.addAll(o.texts());
      Map<Integer, String> thumbs = new HashMap<>();
      try (ItemIndex searcher = ItemIndex.open(index)) {
        for (String text : texts) {
          pages.add(query(encoder, searcher, text, relocated, dataset.rows(), database, thumbs));
        }
      }
      facts.add(String.format(Locale.ROOT, "%,d pictures of %,d emoji (%s), split seed %d: %,d query pictures, %,d "
          + "database pictures, %,d training pictures (every style of an emoji on one side)", all.size(),
          items.stream().map(PictureItem::split).distinct().count(), String.join(", ", o.styles()), o.seed(),
          split.query().length, database.length, split.train().length));
      facts.add(String.format(Locale.ROOT, "Bi-CMR (recommended), %d bits, %s; trained in %.0f s (epoch %d of %d "
          + "kept by validation)", o.bits(), String.join(" ", NETWORK), trainSeconds,
          meta.selection() == null ? meta.epochLosses().size() : meta.selection().selectedEpoch(),
          meta.epochLosses().size()));
      for (EvaluationRun r : bicmr) {
        facts.add(String.format(Locale.ROOT, "MAP %s under %s: %.4f (random ranking %.4f)", r.direction(),
            r.relevance(), r.metrics().map(), r.metrics().randomRankingMap()));
      }
      facts.add("bundle " + bundle.toAbsolutePath() + ", ONNX Runtime on " + loaded.device());
    }
    facts.add(String.format(Locale.ROOT, "whole demo: %.0f s", (System.nanoTime() - start) / 1e9));
    Path html = o.out().resolve("pictures.html");
    ThumbnailPage.write(html, "Bi-CMR Search: sentences to pictures", facts, pages);
    for (ThumbnailPage.Query q : pages) {
      System.out.printf(Locale.ROOT, "\"%s\" → %s%n", q.text(), q.hits().stream().limit(5)
          .map(h -> h.text().replaceAll(":.*", "") + " (d=" + h.distance() + ")").toList());
    }
    System.out.printf(Locale.ROOT, "%npage: %s%nbundle: %s%ndone in %.0f s%n", html.toAbsolutePath(),
        bundle.toAbsolutePath(), (System.nanoTime() - start) / 1e9);
    return html;
  }

  /**
   * The demo's networks, as {@code bicmr train} options (parsed once into the demo's {@link TrainOptions}): small
   * enough to train in a minute on two cores.
   */
  static final List<String> NETWORK = List.of("--image-hidden", "512", "--text-hidden", "512,512",
      "--label-hidden", "512", "--ssr-hidden", "256", "--instances", "12", "--instance-signs");

  private PictureDataset.Result features(List<PictureItem> items, Path extractor, Path cache, Path data)
      throws Exception {
    List<Path> files = items.stream().map(i -> Path.of(i.image())).toList();
    ImageFeatureExtraction.FileRun run;
    try (ProgressBar bar = o.quiet() ? null : Progress.bar("pictures", files.size())) {
      run = ImageFeatureExtraction.withExtractorFile(extractor, 0, ImagePreprocessor.MAX_PIXELS,
          cache.resolve("features"), 32, Math.max(1, Runtime.getRuntime().availableProcessors()), files, done -> {
            if (bar != null) {
              bar.stepTo(done);
            }
          });
    }
    ImageFeatureExtraction.Result images = run.result();
    int dim = run.dim();
    PictureDataset.Result r;
    try (SentenceEncoder encoder = SentenceEncoder.openDefault(new InferenceOptions(InferenceDevice.AUTO, 0))) {
      r = PictureDataset.of("emoji-demo", items, images, dim, encoder);
    }
    DatasetDirectory.write(r.data(), data, "the demo's emoji pictures: centernet image features, sentence-encoder "
        + "texts; row r is catalog/items.jsonl line rows[r] + 1");
    return r;
  }

  /** A sample of database pictures encoded from their bytes must get the codes the features gave. */
  private static void checkBytesPath(HashEncoder encoder, List<PictureItem> items, int[] rows, int[] database,
      List<HashCode> codes) throws IOException {
    int step = Math.max(1, database.length / 16);
    List<byte[]> bytes = new ArrayList<>();
    List<HashCode> expected = new ArrayList<>();
    for (int i = 0; i < database.length; i += step) {
      bytes.add(Files.readAllBytes(Path.of(items.get(rows[database[i]]).image())));
      expected.add(codes.get(i));
    }
    List<HashCode> fromBytes = encoder.encodeImageBytes(bytes);
    int same = 0;
    for (int i = 0; i < bytes.size(); i++) {
      same += fromBytes.get(i).equals(expected.get(i)) ? 1 : 0;
    }
    System.out.printf(Locale.ROOT, "bytes → extractor → image net gave the indexed code for %d of %d sampled "
        + "pictures%n", same, bytes.size());
    if (same != bytes.size()) {
      throw new IllegalStateException("the bundle's bytes path disagrees with the features it was trained on for "
          + (bytes.size() - same) + " of " + bytes.size() + " pictures");
    }
  }

  private ThumbnailPage.Query query(HashEncoder encoder, ItemIndex index, String text, List<PictureItem> items,
      int[] rows, int[] database, Map<Integer, String> thumbs) throws IOException {
    HashCode code;
    try {
      code = encoder.encodeText(text);
    } catch (IllegalArgumentException e) {
      return new ThumbnailPage.Query(text, List.of(), e.getMessage());
    }
    List<ThumbnailPage.Hit> hits = new ArrayList<>();
    for (ItemIndex.Hit hit : index.search(ItemIndex.IMAGE_CODE, code, o.top())) {
      PictureItem item = items.get(rows[database[hit.item()]]);
      String thumb = thumbs.computeIfAbsent(hit.item(), h -> "p" + h + ".png");
      Path target = o.out().resolve("thumbs").resolve(thumb);
      if (!Files.exists(target) && !ThumbnailPage.thumbnail(Path.of(item.image()), target)) {
        continue;
      }
      hits.add(new ThumbnailPage.Hit(thumb, item.text(), item.source(), hit.distance()));
    }
    return new ThumbnailPage.Query(text, hits, null);
  }

  /** Runs one of the repository's fetch scripts (found through {@code bicmr.home}) and returns what it printed. */
  private static Path fetch(String script) throws IOException, InterruptedException {
    String home = System.getProperty("bicmr.home");
    if (home == null) {
      throw new IllegalStateException("cannot find bin/" + script + ": run the demo through bin/bicmr (which sets "
          + "-Dbicmr.home), or give --emoji and --human");
    }
    Path bin = Path.of(home, "bin", script);
    Process p = new ProcessBuilder(bin.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
    int code = p.waitFor();
    if (code != 0 || out.isEmpty()) {
      throw new IllegalStateException("bin/" + script + " failed (exit code " + code + "): it needs npm and the npm "
          + "registry; see its messages above");
    }
    String last = out.lines().reduce((a, b) -> b).orElseThrow();
    System.out.println(script + ": " + last);
    return Path.of(last);
  }

  private static void step(int n, String what) {
    System.out.printf(Locale.ROOT, "%n== %d/9 %s%n", n, what);
  }
}
