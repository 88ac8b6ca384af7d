package org.bicmr.training.data;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A dataset on disk, as {@code bicmr generate} writes it and {@code bicmr train}/{@code evaluate} read it: a
 * directory with {@code dataset.json} (name, sizes, vocabulary, label names) and NumPy files readable by any tool —
 * {@code image.npy} (n × d_I float32), {@code text.npy} (n × d_T float32), {@code labels.npy} (n × C float32) and,
 * when the dataset has judgements, {@code groups.npy} (n int32). Files are written C-order, little-endian (.npy 1.0).
 */
public final class DatasetDirectory {
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  private DatasetDirectory() {}

  /** What {@code dataset.json} holds. */
  record Meta(String name, int size, int imageDim, int textDim, int labelCount, boolean judgements,
      List<String> vocabulary, List<String> labelNames, String description, boolean splitGroups, boolean texts) {}

  /** Writes {@code data} into {@code dir} (created if needed), with a free-text description of its origin. */
  public static void write(PairedDataset data, Path dir, String description) throws IOException {
    Files.createDirectories(dir);
    writeFloats(dir.resolve("image.npy"), data.image(), data.size(), data.imageDim());
    writeFloats(dir.resolve("text.npy"), data.text(), data.size(), data.textDim());
    writeFloats(dir.resolve("labels.npy"), data.labels(), data.size(), data.labelCount());
    if (data.hasJudgements()) {
      writeInts(dir.resolve("groups.npy"), data.relevanceGroups());
    } else {
      Files.deleteIfExists(dir.resolve("groups.npy"));
    }
    if (data.splitGroups() != null) {
      writeInts(dir.resolve("splitgroups.npy"), data.splitGroups());
    } else {
      Files.deleteIfExists(dir.resolve("splitgroups.npy"));
    }
    if (data.texts() != null) {
      List<String> escaped = data.texts().stream().map(t -> t.replace("\\", "\\\\").replace("\n", "\\n")
          .replace("\r", "\\r")).toList();
      Files.write(dir.resolve("texts.txt"), escaped, java.nio.charset.StandardCharsets.UTF_8);
    } else {
      Files.deleteIfExists(dir.resolve("texts.txt"));
    }
    Meta meta = new Meta(data.name(), data.size(), data.imageDim(), data.textDim(), data.labelCount(),
        data.hasJudgements(), data.vocabulary(), data.labelNames(), description, data.splitGroups() != null,
        data.texts() != null);
    Files.writeString(dir.resolve("dataset.json"), GSON.toJson(meta));
  }

  /** Reads a dataset written by {@link #write}; every inconsistency is an error naming the file. */
  public static PairedDataset read(Path dir) throws IOException {
    Path json = dir.resolve("dataset.json");
    if (Files.isRegularFile(json) == false) {
      throw new NoSuchFileException(json.toString(), null,
          "not a dataset directory (no dataset.json); create one with 'bicmr generate'");
    }
    Meta meta = GSON.fromJson(Files.readString(json), Meta.class);
    if (meta == null || meta.size() < 1) {
      throw new IOException(json + ": missing or invalid \"size\"");
    }
    PairedDataset.Builder b = PairedDataset.builder(meta.name(), meta.size())
        .image(meta.imageDim(), readFloats(dir.resolve("image.npy"), meta.size(), meta.imageDim()))
        .text(meta.textDim(), readFloats(dir.resolve("text.npy"), meta.size(), meta.textDim()))
        .labels(meta.labelCount(), readFloats(dir.resolve("labels.npy"), meta.size(), meta.labelCount()))
        .vocabulary(meta.vocabulary())
        .labelNames(meta.labelNames());
    if (meta.judgements()) {
      b.relevanceGroups(readInts(dir.resolve("groups.npy"), meta.size()));
    }
    if (meta.splitGroups()) {
      b.splitGroups(readInts(dir.resolve("splitgroups.npy"), meta.size()));
    }
    if (meta.texts()) {
      List<String> lines = Files.readAllLines(dir.resolve("texts.txt"), java.nio.charset.StandardCharsets.UTF_8);
      b.texts(lines.stream().map(DatasetDirectory::unescape).toList());
    }
    return b.build();
  }

  private static String unescape(String line) {
    StringBuilder out = new StringBuilder(line.length());
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\' && i + 1 < line.length()) {
        char next = line.charAt(++i);
        out.append(next == 'n' ? '\n' : next == 'r' ? '\r' : next);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static void writeFloats(Path file, float[] values, int rows, int cols) throws IOException {
    ByteBuffer body = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    body.asFloatBuffer().put(values);
    writeNpy(file, "<f4", "(" + rows + ", " + cols + ")", body.array());
  }

  private static void writeInts(Path file, int[] values) throws IOException {
    ByteBuffer body = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    body.asIntBuffer().put(values);
    writeNpy(file, "<i4", "(" + values.length + ",)", body.array());
  }

  private static void writeNpy(Path file, String descr, String shape, byte[] body) throws IOException {
    String dict = String.format(Locale.ROOT, "{'descr': '%s', 'fortran_order': False, 'shape': %s, }", descr, shape);
    int unpadded = 10 + dict.length() + 1;
    String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
      out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
      out.write(header.length() & 0xFF);
      out.write(header.length() >>> 8);
      out.write(header.getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
    }
  }

  private static float[] readFloats(Path file, int rows, int cols) throws IOException {
    NumericMatrix m = FeatureFiles.npy(file);
    if (m.rows() != rows || m.cols() != cols) {
      throw new IOException(file + ": shape (" + m.rows() + ", " + m.cols() + "), expected (" + rows + ", " + cols
          + ") from dataset.json");
    }
    return m.values();
  }

  private static int[] readInts(Path file, int rows) throws IOException {
    float[] values = readFloats(file, rows, 1);
    int[] out = new int[rows];
    for (int i = 0; i < rows; i++) {
      out[i] = (int) values[i]; // int32 groups are small: exact as floats
    }
    return out;
  }
}
