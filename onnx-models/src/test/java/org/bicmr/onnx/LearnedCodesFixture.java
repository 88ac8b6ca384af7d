package org.bicmr.onnx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes {@code lucene-codec/src/test/resources/org/bicmr/lucene/learned-codes-32.txt}: the codes the default bundle
 * gives the first 6,000 MIRFlickr-25K tag lines, one hex code a line. lucene-codec's tests search them as real learned
 * codes (few distinct values, many duplicates: far from uniform), without depending on ONNX Runtime. Run from the
 * repository root with the onnx-models test class path:
 * {@code java -cp <classpath> org.bicmr.onnx.LearnedCodesFixture ../shared/data/mirflickr25k/txt_database.txt 6000
 * lucene-codec/src/test/resources/org/bicmr/lucene/learned-codes-32.txt}.
 */
public final class LearnedCodesFixture {
  private LearnedCodesFixture() {}

  public static void main(String[] args) throws Exception {
    List<String> lines = Files.readAllLines(Path.of(args[0]));
    int limit = Integer.parseInt(args[1]);
    StringBuilder out = new StringBuilder();
    try (ModelBundle bundle = ModelBundle.loadDefault(new InferenceOptions(InferenceDevice.CPU, 1))) {
      for (String code : bundle.encoder().encodeTexts(lines.subList(0, limit)).stream().map(c -> c.toHex()).toList()) {
        out.append(code).append('\n');
      }
    }
    Files.writeString(Path.of(args[2]), out.toString());
  }
}
