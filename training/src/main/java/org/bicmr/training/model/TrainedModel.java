package org.bicmr.training.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.bicmr.training.data.DatasetSplit;

/**
 * A trained Bi-CMR model on disk, as {@code bicmr train} writes it: {@code model.json} (every setting, the data's
 * dimensions and name, the loss of every epoch), {@code split.json} (the seeded query/train/database split, so that
 * {@code bicmr evaluate} measures on exactly the held-out items), {@code parameters.bin} (the networks) and, when the
 * dataset has one, {@code vocab.txt} (the text input's tokens, one a line, in BoW position order, for the export).
 */
public final class TrainedModel {
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  /** What {@code model.json} holds. */
  public record Meta(String dataset, int imageDim, int textDim, int labelCount, BiCmrConfig config,
      List<double[]> epochLosses, double trainingSeconds) {}

  private TrainedModel() {}

  /** Writes a trained network, its split and its metadata into {@code dir}. */
  public static void save(Path dir, BiCmrNetwork net, DatasetSplit split, Meta meta) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("model.json"), GSON.toJson(meta));
    Files.writeString(dir.resolve("split.json"), GSON.toJson(split));
    try (DataOutputStream out = new DataOutputStream(
        new BufferedOutputStream(Files.newOutputStream(dir.resolve("parameters.bin"))))) {
      net.save(out);
    }
  }

  /** Writes the text vocabulary (one token a line, line n is BoW position n) into a model directory. */
  public static void saveVocabulary(Path dir, List<String> vocabulary) throws IOException {
    Files.write(dir.resolve("vocab.txt"), vocabulary, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The vocabulary of a model directory, or an empty list when it has none. */
  public static List<String> vocabulary(Path dir) throws IOException {
    Path file = dir.resolve("vocab.txt");
    return Files.isRegularFile(file) ? Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8) : List.of();
  }

  /** Reads {@code model.json} of a model directory. */
  public static Meta meta(Path dir) throws IOException {
    Path json = dir.resolve("model.json");
    if (Files.isRegularFile(json) == false) {
      throw new NoSuchFileException(json.toString(), null, "not a model directory (no model.json); train one with 'bicmr train'");
    }
    return GSON.fromJson(Files.readString(json), Meta.class);
  }

  /** Reads {@code split.json} of a model directory. */
  public static DatasetSplit split(Path dir) throws IOException {
    return GSON.fromJson(Files.readString(dir.resolve("split.json")), DatasetSplit.class);
  }

  /** The networks of a model directory, in {@code manager}. */
  public static BiCmrNetwork network(Path dir, NDManager manager) throws IOException {
    Meta meta = meta(dir);
    BiCmrNetwork net = new BiCmrNetwork(meta.config(), meta.imageDim(), meta.textDim(), meta.labelCount(), manager,
        DataType.FLOAT32);
    try (DataInputStream in = new DataInputStream(
        new BufferedInputStream(Files.newInputStream(dir.resolve("parameters.bin"))))) {
      net.load(manager, in);
    }
    return net;
  }
}
