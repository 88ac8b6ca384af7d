package org.bicmr.training.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.bicmr.codes.HashCode;
import org.bicmr.onnx.HashEncoder;
import org.bicmr.onnx.ModelBundle;
import org.bicmr.training.app.Evaluation;
import org.bicmr.training.app.Indexing;
import org.bicmr.training.app.Training;
import org.bicmr.training.data.DatasetDirectory;
import org.bicmr.training.data.DatasetSplit;
import org.bicmr.training.data.MainMinorGenerator;
import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.demo.ExampleQuery;
import org.bicmr.training.demo.HtmlReport;
import org.bicmr.training.demo.ItemIndex;
import org.bicmr.training.demo.RandomCodes;
import org.bicmr.training.eval.CurvePlots;
import org.bicmr.training.eval.Direction;
import org.bicmr.training.eval.EvaluationRun;
import org.bicmr.training.eval.JsonReport;
import org.bicmr.training.eval.MapTables;
import org.bicmr.training.eval.Relevance;
import org.bicmr.training.eval.RetrievalMetrics;
import org.bicmr.training.export.BundleExporter;
import org.bicmr.training.model.TrainedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bicmr demo}: the whole pipeline on the default data with no arguments — real pictures and sentences from the
 * package registries ({@link PictureDemo}). With {@code --synthetic}: generate the small synthetic benchmark
 * (real MIRFlickr tags and labels), train Bi-CMR on a short schedule, evaluate it beside random codes, export the ONNX
 * bundle, index the database into Lucene with codes computed by ONNX Runtime (not DJL), run text → image and image →
 * text queries through {@code HammingDistanceQuery}, and print a summary; {@code report.html} holds it all with the
 * plots. With {@code --openclipart <dir> --bundle <bundle>} it is the image demo instead ({@link ClipartDemo}): the
 * drawings' bytes indexed through the bundle's image feature extractor, text queries answered with thumbnails.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Runs the whole pipeline on the default data: the emoji image sets and their names and keywords "
        + "from npm, image features, sentence encodings, Bi-CMR, evaluation, a bundle, a Lucene index, typed sentences "
        + "answered with pictures (pictures.html).",
        "With --synthetic: the same path on the small synthetic benchmark (real MIRFlickr tags and labels from "
        + "--mirflickr), report.html.",
        "With --openclipart DIR --bundle BUNDLE: indexes the PNG/JPEG drawings under DIR through the bundle's image "
        + "feature extractor, answers text queries with their top images on an HTML page of thumbnails."})
final class DemoCommand implements Callable<Integer> {
  private static final String MARKER = ".bicmr-demo";
  private static final int K = 5;
  private static final int CHECK_K = 10;

  @Option(names = "--out", description = "output directory, replaced if a previous demo wrote it (default: ${DEFAULT-VALUE})")
  Path out = Path.of("target", "demo");

  @Option(names = "--synthetic", description = "the synthetic benchmark instead of the pictures (needs --mirflickr)")
  boolean synthetic;

  @Option(names = "--emoji", description = "pictures: the emoji packages (default: fetched by bin/fetch-emoji)")
  Path emoji;

  @Option(names = "--human", description = "pictures: the @vladmandic/human package (default: fetched by "
      + "bin/fetch-human)")
  Path human;

  @Option(names = "--styles", split = ",", description = "pictures: emoji styles (default: ${DEFAULT-VALUE}; also "
      + "fluent-flat, fluent-modern, fluent-high-contrast)")
  List<String> styles = List.of("google", "twitter", "openmoji");

  @Option(names = "--emoji-limit", description = "pictures: at most this many emoji, spread evenly (default: all)")
  int emojiLimit;

  @Option(names = "--mirflickr", description = "synthetic: MIRFlickr-25K directory with txt_database.txt, common_tags.txt, "
      + "mir_label.txt (default: ${DEFAULT-VALUE})")
  Path mirflickr = Path.of("../shared/data/mirflickr25k");

  @Option(names = "--items", description = "items to generate (default: ${DEFAULT-VALUE})")
  int items = 20015;

  @Option(names = "--queries", description = "held-out query items (default: ${DEFAULT-VALUE})")
  int queries = 2000;

  @Option(names = "--train-size", description = "training items (default: ${DEFAULT-VALUE})")
  int trainSize = 10000;

  @Option(names = "--bits", description = "code length (default: 64 for the pictures, 32 synthetic)")
  Integer bits;

  @Option(names = "--epochs", description = "training epochs (default: 40)")
  int epochs = 40;

  @Option(names = "--seed", description = "seed of the data, the split and the training (default: ${DEFAULT-VALUE})")
  long seed = 42;

  @Option(names = "--text", description = "a text query to run (repeatable; default: a few common tag combinations)")
  List<String> texts;

  @Option(names = "--openclipart", paramLabel = "DIR", description = "image demo: index the PNG/JPEG drawings under "
      + "DIR (e.g. /usr/share/openclipart/png; text of each: a NAME.txt beside it, or its path's words)")
  Path openclipart;

  @Option(names = "--bundle", description = "image demo: model bundle with an image feature extractor "
      + "('bicmr export --image-extractor')")
  Path bundlePath;

  @Option(names = "--limit", description = "image demo: at most this many drawings, spread over the folders "
      + "(default: ${DEFAULT-VALUE})")
  int limit = 2000;

  @Option(names = "--top", description = "pictures shown per query (default: ${DEFAULT-VALUE})")
  int top = 8;

  @Option(names = "--interactive", description = "image demo: then read queries from standard input, one a line")
  boolean interactive;

  @Option(names = "--quiet", description = "no progress bars") boolean quiet;

  @Override
  public Integer call() throws Exception {
    long start = System.nanoTime();
    if (openclipart != null) {
      prepareOutput();
      new ClipartDemo(openclipart, bundlePath, out, limit, top, quiet).run(texts != null ? texts
          : List.of("animal", "flower", "car", "house", "music"), interactive);
      return 0;
    }
    if (!synthetic) {
      prepareOutput();
      new PictureDemo(new PictureDemo.Options(out, emoji, human, styles, emojiLimit, bits == null ? 64 : bits, epochs,
          top, texts == null ? List.of() : texts, seed, quiet)).run();
      return 0;
    }
    int bits = this.bits == null ? 32 : this.bits;
    if (texts == null) {
      texts = List.of("sunset beach sea", "dog puppy", "snow mountain", "night city lights");
    }
    prepareOutput();
    Path data = out.resolve("data");
    Path model = out.resolve("model");
    Path reportDir = out.resolve("report");
    Path bundle = out.resolve("bundle");
    Path index = out.resolve("index");
    List<String> facts = new ArrayList<>();

    step(1, "generate the small synthetic benchmark (topics and tags from real MIRFlickr-25K)");
    PairedDataset dataset = generate(data);

    step(2, "train Bi-CMR (" + epochs + " epochs, reduced networks)");
    TrainOptions options = new TrainOptions();
    Set<String> given = TrainOptions.parseInto(options, DEMO_NETWORK);
    options.bits = bits;
    options.epochs = epochs;
    options.queries = queries;
    options.trainSize = trainSize;
    options.splitSeed = seed;
    options.seed = seed;
    long trainStart = System.nanoTime();
    Training.train(options.request(TrainedModel.BICMR, given, data, model, null, quiet, System.out));
    double trainSeconds = seconds(trainStart);

    step(3, "evaluate against random codes on the same split");
    TrainedModel.Meta meta = TrainedModel.meta(model);
    DatasetSplit split = TrainedModel.split(model);
    List<EvaluationRun> runs = new ArrayList<>(Evaluation.runs(dataset, model, meta, split, "Bi-CMR",
        Direction.CROSS_MODAL, false, false));
    List<EvaluationRun> bicmrRuns = List.copyOf(runs);
    runs.addAll(RandomCodes.runs(dataset, split, bits));
    Files.createDirectories(reportDir);
    JsonReport.write(reportDir.resolve("report.json"), runs);
    MapTables.write(reportDir.resolve("tables.md"), runs);
    List<Path> plots = CurvePlots.write(reportDir.resolve("plots"), runs);
    System.out.print(MapTables.markdown(runs));

    step(4, "export the image and text hash nets as an ONNX bundle");
    BundleExporter.export(model, bundle, new BundleExporter.Options("bicmr-demo", "1",
        "synthetic " + dataset.imageDim() + "-d image features of 'bicmr generate --small' (seed " + seed + ")",
        Instant.now(), dataset.vocabulary(), bicmrRuns));
    System.out.println("bundle: " + bundle + " (" + sizeKb(bundle) + " KB)");

    step(5, "index the database into Lucene with codes from ONNX Runtime");
    int[] database = split.database();
    try (ModelBundle models = ModelBundle.load(bundle)) {
      HashEncoder encoder = models.encoder();
      System.out.println("ONNX Runtime device: " + models.device());
      encodeAndIndex(dataset, database, encoder, index);

      step(6, "search: text → image and image → text through HammingDistanceQuery");
      List<ExampleQuery> examples = new ArrayList<>();
      Check check;
      try (ItemIndex items = ItemIndex.open(index)) {
        check = checkAgainstEvaluation(dataset, split, encoder, items, bicmrRuns);
        System.out.println(check);
        facts.add(check.toString());
        for (String text : texts) {
          examples.add(textQuery(dataset, items, encoder, text, -1));
        }
        int[] q = split.query();
        for (int i = 0; i < 2; i++) {
          examples.add(textQuery(dataset, items, encoder, dataset.words(q[i]), q[i]));
        }
        for (int i = 0; i < 3; i++) {
          examples.add(imageQuery(dataset, items, encoder, q[i]));
        }
      }
      examples.forEach(DemoCommand::print);

      step(7, "report");
      facts.add(0, dataset + "; split seed " + seed + ": " + split.query().length + " queries, " + database.length
          + " database items, " + split.train().length + " training items");
      facts.add(1, String.format(Locale.ROOT, "Bi-CMR, %d bits, %d epochs, networks %s; trained in %.0f s", bits,
          epochs, String.join(" ", DEMO_NETWORK), trainSeconds));
      facts.add(2, "bundle " + bundle.toAbsolutePath() + " (" + sizeKb(bundle) + " KB), ONNX Runtime on "
          + models.device());
      facts.add(String.format(Locale.ROOT, "whole demo: %.0f s", seconds(start)));
      Path html = out.resolve("report.html");
      HtmlReport.write(html, "Bi-CMR Search demo", facts, runs, examples, plots);
      writeSummary(out.resolve("summary.json"), runs, check, seconds(start));
      System.out.printf(Locale.ROOT, "%nreport: %s%nbundle: %s%nLucene index: %s%ndone in %.0f s%n",
          html.toAbsolutePath(), bundle.toAbsolutePath(), index.toAbsolutePath(), seconds(start));
    }
    return 0;
  }

  /**
   * The demo's reduced networks, as {@code bicmr train} options (parsed once into the demo's {@link TrainOptions}):
   * small enough to train in seconds and to ship as a default bundle under 2 MB.
   */
  static final List<String> DEMO_NETWORK = List.of("--image-hidden", "256", "--text-hidden", "128,256",
      "--label-hidden", "256", "--ssr-hidden", "128", "--lr", "1e-3", "--halve-every", "15");

  private void prepareOutput() throws IOException {
    if (Files.exists(out)) {
      if (!Files.exists(out.resolve(MARKER))) {
        try (Stream<Path> s = Files.list(out)) {
          if (s.findAny().isPresent()) {
            throw new IllegalArgumentException("--out: " + out + " exists and was not written by 'bicmr demo'; "
                + "choose another directory");
          }
        }
      }
      try (Stream<Path> walk = Files.walk(out)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(out);
    Files.writeString(out.resolve(MARKER), "written by bicmr demo; the next demo run replaces this directory\n");
  }

  private static void step(int n, String what) {
    System.out.printf(Locale.ROOT, "%n== %d/7 %s%n", n, what);
  }

  /**
   * The small synthetic benchmark ({@link MainMinorGenerator.Parameters#small()} with the demo's items and seed)
   * written to {@code dir}, as {@code bicmr generate --small} writes it.
   */
  private PairedDataset generate(Path dir) throws IOException {
    MainMinorGenerator.Parameters small = MainMinorGenerator.Parameters.small();
    MainMinorGenerator.Parameters p = new MainMinorGenerator.Parameters(items, small.imageDim(), small.minorMin(),
        small.minorMax(), small.mainWeight(), small.tagsMin(), small.tagsMax(), small.imageNoise(), small.smoothing(),
        small.background(), seed);
    PairedDataset generated = MainMinorGenerator.fromMirFlickr(mirflickr, p.smoothing()).generate(p).dataset();
    DatasetDirectory.write(generated, dir, "bicmr generate " + p);
    System.out.printf(Locale.ROOT, "%s%nwritten to %s%n", generated, dir);
    return DatasetDirectory.read(dir);
  }

  private void encodeAndIndex(PairedDataset data, int[] database, HashEncoder encoder, Path index) throws IOException {
    Indexing.index(data, database, encoder, index, quiet);
    System.out.println("indexed " + database.length + " items (image and text codes) into " + index);
  }

  /**
   * Every query's text through ONNX Runtime and Lucene (top 10 images): the precision@10 must be the evaluation's,
   * computed from the DJL codes, if the two paths agree on codes and ties.
   */
  private static Check checkAgainstEvaluation(PairedDataset data, DatasetSplit split, HashEncoder encoder,
      ItemIndex index, List<EvaluationRun> runs) throws IOException {
    int[] q = split.query();
    List<String> texts = new ArrayList<>();
    for (int item : q) {
      texts.add(data.words(item));
    }
    List<HashCode> codes = encoder.encodeTexts(texts);
    Relevance relevance = data.hasJudgements() ? Relevance.G : Relevance.S;
    double sum = 0;
    for (int i = 0; i < q.length; i++) {
      int relevant = 0;
      for (ItemIndex.Hit hit : index.search(ItemIndex.IMAGE_CODE, codes.get(i), CHECK_K)) {
        relevant += relevant(data, relevance, q[i], hit.item()) ? 1 : 0;
      }
      sum += relevant / (double) CHECK_K;
    }
    double lucene = sum / q.length;
    RetrievalMetrics m = runs.stream().filter(r -> r.direction() == Direction.TQI && r.relevance() == relevance)
        .findFirst().orElseThrow().metrics();
    double evaluated = m.precisionAtK()[Arrays.binarySearch(m.topK(), CHECK_K)];
    return new Check(relevance, q.length, lucene, evaluated);
  }

  /** The search path's precision@10 against the evaluation's: equal when ONNX and DJL agree on every code. */
  record Check(Relevance relevance, int queries, double lucene, double evaluated) {
    boolean identical() {
      return Math.abs(lucene - evaluated) < 1e-9;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "text → image precision@%d under %s over all %d queries: %.4f through ONNX "
          + "Runtime + Lucene, %.4f in the evaluation (DJL codes, brute-force ranking)%s", CHECK_K, relevance, queries,
          lucene, evaluated, identical() ? ": identical" : ": DIFFERENT");
    }
  }

  private static void writeSummary(Path file, List<EvaluationRun> runs, Check check, double seconds)
      throws IOException {
    com.google.gson.JsonObject summary = new com.google.gson.JsonObject();
    com.google.gson.JsonObject map = new com.google.gson.JsonObject();
    for (EvaluationRun r : runs) {
      if (!map.has(r.method())) {
        map.add(r.method(), new com.google.gson.JsonObject());
      }
      map.getAsJsonObject(r.method()).addProperty(r.direction() + "_" + r.relevance(), r.metrics().map());
      map.getAsJsonObject(r.method()).addProperty("base_rate_" + r.direction() + "_" + r.relevance(),
          r.metrics().baseRate());
    }
    summary.add("map", map);
    com.google.gson.JsonObject c = new com.google.gson.JsonObject();
    c.addProperty("relevance", check.relevance().toString());
    c.addProperty("k", CHECK_K);
    c.addProperty("lucene_onnx_precision", check.lucene());
    c.addProperty("evaluation_precision", check.evaluated());
    c.addProperty("identical", check.identical());
    summary.add("search_check", c);
    summary.addProperty("seconds", seconds);
    Files.writeString(file, new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(summary));
  }

  private static boolean relevant(PairedDataset data, Relevance relevance, int a, int b) {
    return relevance == Relevance.G ? data.relevanceGroups()[a] == data.relevanceGroups()[b] : data.shareLabel(a, b);
  }

  private static ExampleQuery textQuery(PairedDataset data, ItemIndex index, HashEncoder encoder, String text,
      int queryItem) throws IOException {
    List<ExampleQuery.Hit> hits = new ArrayList<>();
    for (ItemIndex.Hit hit : index.search(ItemIndex.IMAGE_CODE, encoder.encodeText(text), K)) {
      hits.add(hit(data, hit, queryItem, "image of item " + hit.item()));
    }
    return new ExampleQuery("text → image", "\"" + text + "\"", queryItem < 0 ? null : mainTopic(data, queryItem),
        hits);
  }

  private static ExampleQuery imageQuery(PairedDataset data, ItemIndex index, HashEncoder encoder, int queryItem)
      throws IOException {
    HashCode code = encoder.encodeImage(data.imageRow(queryItem));
    List<ExampleQuery.Hit> hits = new ArrayList<>();
    for (ItemIndex.Hit hit : index.search(ItemIndex.TEXT_CODE, code, K)) {
      hits.add(hit(data, hit, queryItem, "\"" + data.words(hit.item()) + "\""));
    }
    return new ExampleQuery("image → text", "image of held-out item " + queryItem + " (labels: "
        + String.join(", ", data.labelsOf(queryItem)) + ")", mainTopic(data, queryItem), hits);
  }

  private static ExampleQuery.Hit hit(PairedDataset data, ItemIndex.Hit hit, int queryItem, String content) {
    Boolean g = queryItem < 0 || !data.hasJudgements() ? null : relevant(data, Relevance.G, queryItem, hit.item());
    Boolean s = queryItem < 0 ? null : data.shareLabel(queryItem, hit.item());
    return new ExampleQuery.Hit(hit.item(), hit.distance(), content, mainTopic(data, hit.item()),
        data.labelsOf(hit.item()), g, s);
  }

  private static void print(ExampleQuery q) {
    System.out.printf(Locale.ROOT, "%n%s: %s%s%n", q.kind(), q.query(),
        q.queryTopic() == null ? "" : " — main topic " + q.queryTopic());
    int rank = 1;
    for (ExampleQuery.Hit h : q.hits()) {
      String judged = h.relevantG() == null ? "" : String.format(Locale.ROOT, "  [G %s, S %s]",
          h.relevantG() ? "relevant" : "not relevant", h.relevantS() ? "relevant" : "not relevant");
      System.out.printf(Locale.ROOT, "  %d. item %5d  d=%2d  main topic %-11s %s%s%n", rank++, h.item(), h.distance(),
          h.mainTopic(), abbreviate(h.content(), 60), judged);
    }
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  private static String mainTopic(PairedDataset data, int item) {
    return data.hasJudgements() ? data.labelNames().get(data.relevanceGroups()[item]) : "?";
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static long sizeKb(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum() / 1024;
    }
  }
}
