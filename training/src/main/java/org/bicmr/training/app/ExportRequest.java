package org.bicmr.training.app;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import org.bicmr.training.export.BundleExporter;

/**
 * What {@link Export#export} exports and how the bundle describes itself.
 *
 * @param model the model directory (from {@link Training#train})
 * @param out the bundle to write: a new directory, or a file ending in {@code .zip}
 * @param name the bundle's name, or null for the model directory's name
 * @param version the bundle's version
 * @param feature what an image feature vector is, for users of the bundle
 * @param created the creation time in the manifest, or null for now
 * @param vocabulary a text vocabulary file, one token a line, or null for the model's {@code vocab.txt}
 * @param report a {@code report.json} of {@link Evaluation} whose runs of this model go into the manifest, or null
 * @param reportMethod the method of this model in {@code report}
 * @param imageExtractor an ONNX image feature extractor to bundle, or null
 * @param textEncoder what the text net reads: a bag of words ({@code NONE}) or the packaged sentence encoder
 */
public record ExportRequest(Path model, Path out, String name, String version, String feature, Instant created,
    Path vocabulary, Path report, String reportMethod, Path imageExtractor, BundleExporter.TextEncoder textEncoder) {

  public ExportRequest {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(feature, "feature");
    Objects.requireNonNull(textEncoder, "textEncoder");
    if (textEncoder != BundleExporter.TextEncoder.NONE && vocabulary != null) {
      throw new IllegalArgumentException("--vocabulary and --sentence-encoder exclude each other: a bundle's text side "
          + "is a bag of words or a sentence encoder");
    }
  }
}
