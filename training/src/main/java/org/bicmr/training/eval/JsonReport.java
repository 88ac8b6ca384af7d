package org.bicmr.training.eval;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Writes and reads evaluation runs as JSON: {@code {"format": "bicmr-evaluation/1", "runs": [...]}}, each run with
 * every setting and every number of {@link EvaluationRun} and {@link RetrievalMetrics} under their component names.
 * Undefined numbers (NaN: the MAP of a set without evaluated queries, a skipped query's AP, the precision at a radius
 * where nothing is retrieved) are written as {@code null}, so the file is strict JSON, and read back as NaN.
 */
public final class JsonReport {
  /** The value of the top-level {@code format} field. */
  public static final String FORMAT = "bicmr-evaluation/1";

  private static final TypeAdapter<Double> NAN_AS_NULL = new TypeAdapter<>() {
    @Override
    public void write(JsonWriter out, Double value) throws IOException {
      if (value == null || value.isNaN()) {
        out.nullValue();
      } else {
        out.value(value.doubleValue());
      }
    }

    @Override
    public Double read(JsonReader in) throws IOException {
      if (in.peek() == JsonToken.NULL) {
        in.nextNull();
        return Double.NaN;
      }
      return in.nextDouble();
    }
  };

  private static final Gson GSON = new GsonBuilder()
      .registerTypeAdapter(double.class, NAN_AS_NULL)
      .registerTypeAdapter(Double.class, NAN_AS_NULL)
      .serializeNulls() // or a NaN field would be left out and read back as 0
      .disableHtmlEscaping()
      .setPrettyPrinting()
      .create();

  private JsonReport() {}

  private record Document(String format, List<EvaluationRun> runs) {}

  /** Writes {@code runs} to {@code file} (UTF-8), replacing it. */
  public static void write(Path file, List<EvaluationRun> runs) throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(runs, "runs");
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      GSON.toJson(new Document(FORMAT, List.copyOf(runs)), out);
      out.write('\n');
    }
  }

  /**
   * Reads the runs written by {@link #write}.
   *
   * @throws IOException if the file cannot be read, is not JSON, or is not a report of this format
   */
  public static List<EvaluationRun> read(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    Document document;
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      document = GSON.fromJson(in, Document.class);
    } catch (RuntimeException e) { // Gson's parse errors, and a run or metrics whose parts do not fit together
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IOException("evaluation report " + file + " cannot be read: " + cause.getMessage(), e);
    }
    if (document == null || FORMAT.equals(document.format()) == false) {
      throw new IOException("evaluation report " + file + " has format "
          + (document == null ? "none (empty file)" : "\"" + document.format() + "\"") + ", expected \"" + FORMAT + "\"");
    }
    return document.runs() == null ? List.of() : List.copyOf(document.runs());
  }
}
