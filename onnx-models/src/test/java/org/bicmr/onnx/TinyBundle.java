package org.bicmr.onnx;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The tiny test bundle of {@code src/test/resources/org/bicmr/onnx/tiny-bundle/} (written by the training module's
 * exporter, see its README) copied into a directory, optionally edited; and its {@code expected.json}, the DJL nets'
 * outputs for a few inputs.
 */
final class TinyBundle {
  static final List<String> FILES = List.of("manifest.json", "image.onnx", "text.onnx", "vocab.txt");

  private TinyBundle() {}

  /** The files of {@code tiny-image-bundle}: the tiny nets plus a tiny image feature extractor. */
  static final List<String> IMAGE_FILES = List.of("manifest.json", "image.onnx", "text.onnx", "vocab.txt",
      "extractor.onnx");

  static Path copy(Path dir) throws IOException {
    return copy(dir, "tiny-bundle", FILES);
  }

  /** A copy of {@code tiny-image-bundle}, the tiny bundle with an image feature extractor. */
  static Path copyImageBundle(Path dir) throws IOException {
    return copy(dir, "tiny-image-bundle", IMAGE_FILES);
  }

  private static Path copy(Path dir, String fixture, List<String> files) throws IOException {
    Files.createDirectories(dir);
    for (String f : files) {
      try (InputStream in = resource(fixture + "/" + f)) {
        Files.copy(in, dir.resolve(f));
      }
    }
    return dir;
  }

  /** Copies the bundle, then edits its manifest (checksums stay as they were unless the edit changes them). */
  static Path withManifest(Path dir, Consumer<JsonObject> edit) throws IOException {
    copy(dir);
    JsonObject m = JsonParser.parseString(Files.readString(dir.resolve("manifest.json"))).getAsJsonObject();
    edit.accept(m);
    Files.writeString(dir.resolve("manifest.json"), m.toString());
    return dir;
  }

  /** Replaces a file and its checksum in the manifest, so only the content is wrong, not the checksum. */
  static void replace(Path dir, String file, byte[] bytes) throws IOException {
    Files.write(dir.resolve(file), bytes);
    JsonObject m = JsonParser.parseString(Files.readString(dir.resolve("manifest.json"))).getAsJsonObject();
    m.getAsJsonObject("sha256").addProperty(file, ModelBundle.sha256(bytes));
    Files.writeString(dir.resolve("manifest.json"), m.toString());
  }

  static JsonObject expected() throws IOException {
    try (InputStream in = resource("tiny-bundle/expected.json")) {
      return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
    }
  }

  static float[] floats(JsonArray a) {
    float[] v = new float[a.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = a.get(i).getAsFloat();
    }
    return v;
  }

  private static InputStream resource(String name) {
    InputStream in = TinyBundle.class.getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException("test resource " + name + " is missing");
    }
    return in;
  }
}
