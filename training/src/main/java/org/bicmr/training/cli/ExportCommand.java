package org.bicmr.training.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import org.bicmr.training.app.Export;
import org.bicmr.training.app.ExportRequest;
import org.bicmr.training.export.BundleExporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bicmr export}, a thin adapter over {@link Export#export}: a trained model directory becomes a model bundle
 * (ONNX hash nets, vocabulary, manifest with checksums and metrics) that {@code onnx-models} loads for inference in
 * Lucene applications and OpenSearch.
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
    BundleExporter.TextEncoder textEncoder = !sentenceEncoder ? BundleExporter.TextEncoder.NONE
        : embedEncoder ? BundleExporter.TextEncoder.EMBEDDED : BundleExporter.TextEncoder.REFERENCED;
    ExportRequest request = new ExportRequest(model, out, name, version, feature, created(), vocabulary, report,
        reportMethod, imageExtractor, textEncoder);
    Export.export(request);
    System.out.println("bundle written to " + out);
    return 0;
  }

  private Instant created() {
    try {
      return created == null ? null : Instant.parse(created);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("--created: expected an ISO-8601 instant like 2026-11-25T00:00:00Z, got \""
          + created + "\"");
    }
  }
}
