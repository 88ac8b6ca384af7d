package org.bicmr.training.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.bicmr.training.eval.EvaluationRun;
import org.bicmr.training.eval.JsonReport;
import org.bicmr.training.export.BundleExporter;
import org.bicmr.training.model.TrainedModel;

/**
 * The operation {@code export}: a trained model directory becomes a model bundle (ONNX hash nets, vocabulary or the
 * sentence encoder's reference, manifest with checksums and the report's MAP figures) that onnx-models loads.
 */
public final class Export {
  private Export() {}

  /** Writes the bundle that {@code request} describes. */
  public static void export(ExportRequest request) throws IOException {
    boolean sentenceEncoder = request.textEncoder() != BundleExporter.TextEncoder.NONE;
    Path model = request.model();
    List<String> tokens = sentenceEncoder ? List.of()
        : request.vocabulary() != null ? readVocabulary(request.vocabulary()) : TrainedModel.vocabulary(model);
    if (!sentenceEncoder && tokens.isEmpty()) {
      throw new IllegalArgumentException("--vocabulary: model " + model + " has no vocab.txt (its dataset had no "
          + "vocabulary); give the text vocabulary file");
    }
    List<EvaluationRun> runs = request.report() == null ? List.of()
        : runsOf(model, request.report(), request.reportMethod());
    Instant when = request.created() == null ? Instant.now() : request.created();
    String bundleName = request.name() != null ? request.name()
        : model.toAbsolutePath().normalize().getFileName().toString();
    BundleExporter.export(model, request.out(), new BundleExporter.Options(bundleName, request.version(),
        request.feature(), when, tokens, runs, request.imageExtractor(), request.textEncoder()));
  }

  /** The runs of {@code report} that are this model's: its method's at its code length. */
  private static List<EvaluationRun> runsOf(Path model, Path report, String method) throws IOException {
    List<EvaluationRun> all = JsonReport.read(report);
    int bits = TrainedModel.meta(model).config().bits();
    List<EvaluationRun> mine = all.stream().filter(r -> r.method().equals(method) && r.bits() == bits).toList();
    if (mine.isEmpty()) {
      throw new IllegalArgumentException("--report: " + report + " has no " + bits + "-bit runs of method \""
          + method + "\"; it has " + all.stream().map(r -> r.method() + " " + r.bits() + " bits").distinct()
          .toList() + " (choose one with --report-method)");
    }
    return mine;
  }

  private static List<String> readVocabulary(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "--vocabulary: no such file");
    }
    return Files.readAllLines(file, StandardCharsets.UTF_8);
  }
}
