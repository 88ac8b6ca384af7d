package org.bicmr.training.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.bicmr.training.eval.EvaluationRun;
import org.bicmr.training.eval.JsonReport;
import org.bicmr.training.export.BundleExporter;
import org.bicmr.training.model.TrainedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bicmr export}: a trained model directory becomes a model bundle (ONNX hash nets, vocabulary, manifest with
 * checksums and metrics) that {@code onnx-models} loads for inference in Lucene applications and OpenSearch.
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Exports a trained model as an ONNX model bundle (a directory, or a .zip).")
final class ExportCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "model directory (from 'bicmr train')")
  Path model;

  @Option(names = "--out", required = true, description = "bundle to write: a new directory, or a file ending in .zip")
  Path out;

  @Option(names = "--name", description = "bundle name (default: the model directory's name)")
  String name;

  @Option(names = "--bundle-version", description = "bundle version (default: ${DEFAULT-VALUE})")
  String version = "1";

  @Option(names = "--feature", description = "what an image feature vector is, for users of the bundle "
      + "(default: ${DEFAULT-VALUE})")
  String feature = "image feature vector of the training dataset";

  @Option(names = "--vocabulary", description = "text vocabulary, one token a line (default: the model's vocab.txt)")
  Path vocabulary;

  @Option(names = "--report", description = "report.json of 'bicmr evaluate' for this model: its MAP figures go "
      + "into the manifest")
  Path report;

  @Option(names = "--report-method", description = "the method of this model in --report (default: ${DEFAULT-VALUE})")
  String reportMethod = "Bi-CMR";

  @Option(names = "--image-extractor", description = "ONNX image feature extractor to bundle (input image[batch,3,H,W], "
      + "output features[batch,image dim], e.g. from 'bicmr convert-mobilenet'): the bundle then encodes PNG/JPEG bytes")
  Path imageExtractor;

  @Option(names = "--created", description = "creation time in the manifest, ISO-8601 (default: now)")
  String created;

  @Option(names = "--sentence-encoder", description = "the text net reads the packaged sentence encoder's vectors "
      + "(all-MiniLM-L6-v2): the bundle names it and loads it from its Maven artifact (no vocabulary)")
  boolean sentenceEncoder;

  @Option(names = "--embed-encoder", description = "with --sentence-encoder: copy the encoder's model and tokenizer "
      + "into the bundle (self-contained, about 24 MB)")
  boolean embedEncoder;

  @Override
  public Integer call() throws Exception {
    if (embedEncoder && !sentenceEncoder) {
      throw new IllegalArgumentException("--embed-encoder needs --sentence-encoder");
    }
    if (sentenceEncoder && vocabulary != null) {
      throw new IllegalArgumentException("--vocabulary and --sentence-encoder exclude each other: a bundle's text side "
          + "is a bag of words or a sentence encoder");
    }
    List<String> tokens = sentenceEncoder ? List.of()
        : vocabulary != null ? readVocabulary(vocabulary) : TrainedModel.vocabulary(model);
    if (!sentenceEncoder && tokens.isEmpty()) {
      throw new IllegalArgumentException("--vocabulary: model " + model + " has no vocab.txt (its dataset had no "
          + "vocabulary); give the text vocabulary file");
    }
    List<EvaluationRun> runs = report == null ? List.of() : runsOfThisModel(JsonReport.read(report));
    Instant when;
    try {
      when = created == null ? Instant.now() : Instant.parse(created);
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("--created: expected an ISO-8601 instant like 2026-11-25T00:00:00Z, got \""
          + created + "\"");
    }
    String bundleName = name != null ? name : model.toAbsolutePath().normalize().getFileName().toString();
    BundleExporter.export(model, out, new BundleExporter.Options(bundleName, version, feature, when, tokens, runs,
        imageExtractor, !sentenceEncoder ? BundleExporter.TextEncoder.NONE
            : embedEncoder ? BundleExporter.TextEncoder.EMBEDDED : BundleExporter.TextEncoder.REFERENCED));
    System.out.println("bundle written to " + out);
    return 0;
  }

  private List<EvaluationRun> runsOfThisModel(List<EvaluationRun> all) throws java.io.IOException {
    int bits = TrainedModel.meta(model).config().bits();
    List<EvaluationRun> mine = all.stream().filter(r -> r.method().equals(reportMethod) && r.bits() == bits).toList();
    if (mine.isEmpty()) {
      throw new IllegalArgumentException("--report: " + report + " has no " + bits + "-bit runs of method \""
          + reportMethod + "\"; it has " + all.stream().map(r -> r.method() + " " + r.bits() + " bits").distinct()
          .toList() + " (choose one with --report-method)");
    }
    return mine;
  }

  private static List<String> readVocabulary(Path file) throws java.io.IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "--vocabulary: no such file");
    }
    return Files.readAllLines(file, StandardCharsets.UTF_8);
  }
}
