package org.bicmr.training.export;

import ai.djl.ndarray.NDManager;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.bicmr.onnx.ImagePreprocessor;
import org.bicmr.onnx.ModelBundle;
import org.bicmr.onnx.SentenceEncoder;
import org.bicmr.training.eval.EvaluationRun;
import org.bicmr.training.model.BiCmrConfig;
import org.bicmr.training.model.BiCmrNetwork;
import org.bicmr.training.model.TrainedModel;

/**
 * Turns a trained model directory into a model bundle (DESIGN §5): {@code manifest.json}, {@code image.onnx},
 * {@code text.onnx} (the two hash nets' inference path only: no SSR heads, no label net, no classifiers) and
 * {@code vocab.txt}, with the SHA-256 of every file, the bits, dimensions, architecture, split seed and, when given,
 * the evaluation's MAP figures; optionally {@code extractor.onnx}, an image feature extractor ({@code image[batch, 3, H,
 * W] → features[batch, image dim]}, e.g. from {@code bicmr convert-mobilenet}) with the {@link ImagePreprocessor}
 * contract that feeds it, so the bundle encodes image bytes. Written into a temporary sibling first and moved into place, so a failed export
 * leaves nothing behind and never a half-written bundle; a target ending in {@code .zip} becomes a zip of the bundle.
 */
public final class BundleExporter {
  /** The manifest format this exporter writes. */
  public static final int FORMAT = 1;
  /** The text tokenizer the bundle declares (implemented by {@code onnx-models}' text vectorizer). */
  public static final String TOKENIZER = "lowercase-whitespace";
  static final String IMAGE_INPUT = "features";
  static final String TEXT_INPUT = "bow";
  static final String TEXT_EMBEDDING_INPUT = "embedding";
  static final String OUTPUT = "hash";
  static final String EXTRACTOR_FILE = "extractor.onnx";
  static final String EXTRACTOR_INPUT = "image";
  static final String EXTRACTOR_OUTPUT = "features";
  private static final java.util.regex.Pattern UNICODE_WHITESPACE = java.util.regex.Pattern.compile("(?U)\\s");

  /** How texts become the text net's input. */
  public enum TextEncoder {
    /** A binary bag of words over the vocabulary ({@code vocab.txt}). */
    NONE,
    /**
     * The packaged sentence encoder ({@code onnx-models}' {@link SentenceEncoder}), named in the manifest and read from
     * the class path (its Maven artifact) when the bundle is loaded.
     */
    REFERENCED,
    /** The packaged sentence encoder, its model and tokenizer copied into the bundle (self-contained, ~24 MB). */
    EMBEDDED
  }

  /**
   * What goes into the manifest besides what the model says about itself.
   *
   * @param name bundle name (a model registry key: letters, digits, '.', '_', '-')
   * @param version bundle version, free text
   * @param feature what an image feature vector is (e.g. "synthetic 256-d topic features")
   * @param created creation time written to the manifest
   * @param vocabulary the text input's tokens, BoW position order; its size must equal the model's text dimension
   * @param evaluation evaluation runs of this model (may be empty): their MAP figures go into {@code metrics}
   * @param imageExtractor an ONNX image feature extractor to bundle, or null for a bundle of feature vectors only
   */
  public record Options(String name, String version, String feature, Instant created, List<String> vocabulary,
      List<EvaluationRun> evaluation, Path imageExtractor, TextEncoder textEncoder) {
    /** Options without an image feature extractor. */
    public Options(String name, String version, String feature, Instant created, List<String> vocabulary,
        List<EvaluationRun> evaluation) {
      this(name, version, feature, created, vocabulary, evaluation, null, TextEncoder.NONE);
    }

    /** Options of a bag-of-words bundle, with or without an image feature extractor. */
    public Options(String name, String version, String feature, Instant created, List<String> vocabulary,
        List<EvaluationRun> evaluation, Path imageExtractor) {
      this(name, version, feature, created, vocabulary, evaluation, imageExtractor, TextEncoder.NONE);
    }

    public Options {
      if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
        throw new IllegalArgumentException("name: expected letters, digits, '.', '_' or '-', got \"" + name + "\"");
      }
      if (version == null || version.isBlank()) {
        throw new IllegalArgumentException("version: expected a non-empty string, got \"" + version + "\"");
      }
      evaluation = List.copyOf(evaluation);
      vocabulary = List.copyOf(vocabulary);
    }
  }

  private BundleExporter() {}

  /** Exports the model in {@code modelDir} to {@code target} (a directory, or a zip when it ends in ".zip"). */
  public static void export(Path modelDir, Path target, Options options) throws IOException {
    if (Files.exists(target)) {
      throw new FileAlreadyExistsException(target.toString(), null, "the bundle target already exists; remove it first");
    }
    TrainedModel.Meta meta = TrainedModel.meta(modelDir);
    if (options.textEncoder() == TextEncoder.NONE) {
      checkVocabulary(options.vocabulary(), meta.textDim());
    } else if (meta.textDim() != SentenceEncoder.DEFAULT_DIM) {
      throw new IllegalArgumentException("--sentence-encoder: the model's text net reads " + meta.textDim()
          + " numbers, the sentence encoder " + SentenceEncoder.DEFAULT_NAME + " gives " + SentenceEncoder.DEFAULT_DIM
          + " (train on a dataset whose text features are its sentence encodings)");
    }
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path staging = Files.createTempDirectory(parent, "." + target.getFileName() + ".");
    try {
      Map<String, byte[]> files = new LinkedHashMap<>();
      List<DenseLayer> imageLayers;
      List<DenseLayer> textLayers;
      try (NDManager manager = NDManager.newBaseManager()) {
        BiCmrNetwork net = TrainedModel.network(modelDir, manager);
        String doc = "Bi-CMR %s hash net, " + meta.config().bits() + " bits, trained on " + meta.dataset();
        imageLayers = HashNetLayers.standardized(HashNetLayers.of("image", net.imageNet()), net.imageStandardization());
        textLayers = HashNetLayers.standardized(HashNetLayers.of("text", net.textNet()), net.textStandardization());
        files.put("image.onnx", OnnxHashNet.model(imageLayers, IMAGE_INPUT, OUTPUT, options.version(),
            String.format(java.util.Locale.ROOT, doc, "image")));
        files.put("text.onnx", OnnxHashNet.model(textLayers, textInput(options), OUTPUT, options.version(),
            String.format(java.util.Locale.ROOT, doc, "text")));
      }
      Map<String, byte[]> referenced = new LinkedHashMap<>();
      if (options.textEncoder() == TextEncoder.NONE) {
        files.put("vocab.txt", (String.join("\n", options.vocabulary()) + "\n").getBytes(StandardCharsets.UTF_8));
      } else {
        for (String f : List.of(SentenceEncoder.DEFAULT_MODEL, SentenceEncoder.DEFAULT_TOKENIZER)) {
          byte[] bytes = classpathResource(f);
          (options.textEncoder() == TextEncoder.EMBEDDED ? files : referenced).put(f, bytes);
        }
      }
      ImagePreprocessor preprocessing = null;
      if (options.imageExtractor() != null) {
        byte[] extractor = Files.readAllBytes(options.imageExtractor());
        preprocessing = ExtractorShape.preprocessing(options.imageExtractor().toString(), extractor, meta.imageDim());
        files.put(EXTRACTOR_FILE, extractor);
      }
      Map<String, byte[]> checksummed = new LinkedHashMap<>(files);
      checksummed.putAll(referenced);
      JsonObject manifest = manifest(meta, TrainedModel.split(modelDir).seed(), options, preprocessing, checksummed,
          imageLayers, textLayers);
      files.put("manifest.json", new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create()
          .toJson(manifest).getBytes(StandardCharsets.UTF_8));
      if (target.getFileName().toString().endsWith(".zip")) {
        Path zip = staging.resolve("bundle.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
          for (var e : files.entrySet()) {
            out.putNextEntry(new ZipEntry(e.getKey()));
            out.write(e.getValue());
            out.closeEntry();
          }
        }
        Files.move(zip, target, StandardCopyOption.ATOMIC_MOVE);
      } else {
        Path dir = staging.resolve("bundle");
        Files.createDirectory(dir);
        for (var e : files.entrySet()) {
          Files.write(dir.resolve(e.getKey()), e.getValue());
        }
        Files.move(dir, target, StandardCopyOption.ATOMIC_MOVE);
      }
    } finally {
      deleteRecursively(staging);
    }
  }

  private static void checkVocabulary(List<String> vocabulary, int textDim) {
    if (vocabulary.size() != textDim) {
      throw new IllegalArgumentException(
          "vocabulary: the text net takes " + textDim + " inputs but the vocabulary has " + vocabulary.size() + " tokens");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < vocabulary.size(); i++) {
      String token = vocabulary.get(i);
      // the loader's tokenizer lower-cases text and splits it on Unicode whitespace (incl. U+00A0): a token it could
      // never produce is refused here rather than by every ModelBundle.load
      if (token.isEmpty() || UNICODE_WHITESPACE.matcher(token).find() || token.indexOf('\uFEFF') >= 0) {
        throw new IllegalArgumentException("vocabulary: token " + i + " (\"" + token + "\") is empty or has whitespace");
      }
      if (!token.equals(token.toLowerCase(java.util.Locale.ROOT))) {
        throw new IllegalArgumentException("vocabulary: token " + i + " (\"" + token + "\") has upper-case letters; "
            + "texts are lower-cased, so it could never match");
      }
      if (!seen.add(token)) {
        throw new IllegalArgumentException("vocabulary: token " + i + " (\"" + token + "\") appears twice");
      }
    }
  }

  private static JsonObject manifest(TrainedModel.Meta meta, long splitSeed, Options options,
      ImagePreprocessor preprocessing, Map<String, byte[]> files, List<DenseLayer> imageLayers,
      List<DenseLayer> textLayers) {
    BiCmrConfig c = meta.config();
    JsonObject m = new JsonObject();
    m.addProperty("format", FORMAT);
    m.addProperty("name", options.name());
    m.addProperty("version", options.version());
    m.addProperty("bits", c.bits());
    m.addProperty("created", options.created().toString());
    m.addProperty("trained_on", meta.dataset());

    JsonObject architecture = new JsonObject();
    architecture.addProperty("method", "Bi-CMR");
    architecture.addProperty("variant", c.variant().option());
    architecture.add("image_layers", widths(imageLayers));
    architecture.add("text_layers", widths(textLayers));
    architecture.addProperty("hidden_activation", "relu");
    architecture.addProperty("output_activation", "tanh");
    boolean paperSizes = c.widths().image() == 4096 && c.widths().text1() == 1024 && c.widths().text2() == 4096;
    architecture.addProperty("paper_sizes", paperSizes);
    architecture.addProperty("epochs", meta.epochLosses().size());
    if (meta.selection() != null) {
      architecture.addProperty("selected_epoch", meta.selection().selectedEpoch());
    }
    architecture.addProperty("seed", c.optimiser().seed());
    m.add("architecture", architecture);

    JsonObject image = net("image.onnx", IMAGE_INPUT, meta.imageDim());
    image.addProperty("feature", options.feature());
    if (preprocessing != null) {
      image.addProperty("extractor", EXTRACTOR_FILE);
      image.add("preprocessing", preprocessing.manifest());
    }
    m.add("image", image);

    JsonObject text = net("text.onnx", textInput(options), meta.textDim());
    if (options.textEncoder() == TextEncoder.NONE) {
      text.addProperty("vocabulary", "vocab.txt");
      text.addProperty("tokenizer", TOKENIZER);
    } else {
      JsonObject encoder = new JsonObject();
      encoder.addProperty("name", SentenceEncoder.DEFAULT_NAME);
      encoder.addProperty("model", SentenceEncoder.DEFAULT_MODEL);
      encoder.addProperty("tokenizer", SentenceEncoder.DEFAULT_TOKENIZER);
      encoder.addProperty("pooling", "mean-normalized");
      encoder.addProperty("max_tokens", SentenceEncoder.DEFAULT_MAX_TOKENS);
      if (options.textEncoder() == TextEncoder.REFERENCED) {
        encoder.addProperty("source", ModelBundle.SENTENCE_ENCODER_ARTIFACT);
      }
      text.add("encoder", encoder);
    }
    m.add("text", text);

    JsonObject metrics = new JsonObject();
    for (EvaluationRun run : options.evaluation()) {
      String key = run.direction() + "_" + run.relevance(); // e.g. IQT_S
      JsonObject one = new JsonObject();
      one.addProperty("map", run.metrics().map());
      one.addProperty("base_rate", run.metrics().baseRate());
      one.addProperty("queries", run.metrics().evaluatedQueries());
      one.addProperty("database", run.metrics().databaseSize());
      metrics.add(key, one);
    }
    m.add("metrics", metrics);
    m.addProperty("split_seed", splitSeed);

    JsonObject sha = new JsonObject();
    for (var e : files.entrySet()) {
      sha.addProperty(e.getKey(), ModelBundle.sha256(e.getValue()));
    }
    m.add("sha256", sha);
    return m;
  }

  /** The text net's input name: a bag of words, or a sentence embedding. */
  private static String textInput(Options options) {
    return options.textEncoder() == TextEncoder.NONE ? TEXT_INPUT : TEXT_EMBEDDING_INPUT;
  }

  private static byte[] classpathResource(String name) throws IOException {
    try (var in = BundleExporter.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new java.nio.file.NoSuchFileException(name, null, "the sentence encoder's file is not on the class path ("
            + ModelBundle.SENTENCE_ENCODER_ARTIFACT + ")");
      }
      return in.readAllBytes();
    }
  }

  private static JsonObject net(String file, String input, int dim) {
    JsonObject net = new JsonObject();
    net.addProperty("file", file);
    net.addProperty("input", input);
    net.addProperty("output", OUTPUT);
    net.addProperty("dim", dim);
    return net;
  }

  /** The input width, then every layer's output width. */
  private static JsonArray widths(List<DenseLayer> layers) {
    JsonArray a = new JsonArray();
    a.add(layers.get(0).inputs());
    for (DenseLayer layer : layers) {
      a.add(layer.outputs());
    }
    return a;
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (Files.notExists(path)) {
      return;
    }
    List<Path> all = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(path)) {
      walk.forEach(all::add);
    }
    all.sort(Comparator.reverseOrder());
    for (Path p : all) {
      Files.deleteIfExists(p);
    }
  }
}
