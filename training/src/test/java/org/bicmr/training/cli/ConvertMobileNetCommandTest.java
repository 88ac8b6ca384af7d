package org.bicmr.training.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bicmr convert-mobilenet}: the ONNX file it writes, and the one-line errors a user meets. */
class ConvertMobileNetCommandTest {
  private static final Path PACKAGE = Path.of(System.getProperty("bicmr.mobilenet.dir",
      System.getProperty("user.home") + "/.cache/bicmr/nsfwjs-4.4.0/package"));

  @Test
  void writesAFeatureModel(@TempDir Path tmp) throws Exception {
    assumeTrue(Files.isDirectory(PACKAGE.resolve("dist/models/mobilenet_v2")),
        "nsfwjs MobileNetV2 not in " + PACKAGE + ": run bin/fetch-mobilenet (or set -Dbicmr.mobilenet.dir)");
    Path out = tmp.resolve("image-features.onnx");
    int code = Bicmr.commandLine().execute("convert-mobilenet", "--package", PACKAGE.toString(), "--out",
        out.toString(), "--tap", "block_10", "--probabilities");
    assertEquals(0, code);
    try (OrtSession s = OrtEnvironment.getEnvironment().createSession(out.toString(), new OrtSession.SessionOptions())) {
      assertEquals("[-1, 3, 224, 224]", Arrays.toString(((TensorInfo) s.getInputInfo().get("image").getInfo())
          .getShape()));
      assertEquals("[-1, 96]", Arrays.toString(((TensorInfo) s.getOutputInfo().get("features").getInfo()).getShape()));
      assertEquals("[-1, 5]", Arrays.toString(((TensorInfo) s.getOutputInfo().get("probabilities").getInfo())
          .getShape()));
      var metadata = s.getMetadata().getCustomMetadata();
      assertEquals("block_10_project_BN", metadata.get("bicmr.tap"));
      assertEquals("unit", metadata.get("bicmr.input_range"));
      assertEquals(224, org.bicmr.onnx.ImagePreprocessor.fromManifest("bicmr.preprocessing",
          com.google.gson.JsonParser.parseString(metadata.get("bicmr.preprocessing")).getAsJsonObject()).width());
    }
    StringWriter err = new StringWriter();
    CommandLine cli = Bicmr.commandLine();
    cli.setErr(new PrintWriter(err));
    assertEquals(2, cli.execute("convert-mobilenet", "--package", PACKAGE.toString(), "--out", out.toString()));
    assertTrue(err.toString().contains("--out exists (use --force to overwrite)"), err.toString());
  }

  @Test
  void errorsAreOneLine(@TempDir Path tmp) {
    StringWriter err = new StringWriter();
    CommandLine cli = Bicmr.commandLine();
    cli.setErr(new PrintWriter(err));
    Path missing = tmp.resolve("nsfwjs-4.4.0.tgz");
    assertEquals(2, cli.execute("convert-mobilenet", "--package", missing.toString(), "--out",
        tmp.resolve("x.onnx").toString()));
    assertTrue(err.toString().startsWith("bicmr convert-mobilenet: " + missing), err.toString());
    assertTrue(err.toString().contains("expected an npm package tarball (.tgz) or directory"), err.toString());
    assertTrue(Files.notExists(tmp.resolve("x.onnx")));
  }
}
