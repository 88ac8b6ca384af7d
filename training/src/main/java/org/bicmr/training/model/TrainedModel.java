package org.bicmr.training.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.bicmr.training.data.DatasetSplit;

/**
 * A trained model on disk, as {@code bicmr train} writes it: {@code model.json} (the method, every setting, the data's
 * dimensions and name, the loss of every epoch), {@code split.json} (the seeded query/train/database split, so that
 * {@code bicmr evaluate} measures on exactly the held-out items), {@code parameters.bin} (the networks: all of
 * {@link BiCmrNetwork} for Bi-CMR, the two {@link HashNets} for a baseline) and, when the dataset has one, {@code
 * vocab.txt} (the text input's tokens, one a line, in BoW position order, for the export). A run with model
 * selection keeps the selected epoch's parameters in {@code parameters.bin} and the last epoch's in {@code
 * parameters-last.bin}; {@code model.json} says which epoch was selected and every epoch's score.
 */
public final class TrainedModel {
  /** The method name of Bi-CMR in {@code model.json}; a model written before methods existed is Bi-CMR. */
  public static final String BICMR = "bicmr";
  /** The method name of AGAH, whose hash functions are {@link AgahNets}, not plain {@link HashNets}. */
  public static final String AGAH = "agah";
  /** The methods whose hash functions are fixed projections ({@link ProjectionHash}). */
  public static final java.util.Set<String> PROJECTIONS = java.util.Set.of("linear", "simhash");
  /** The parameters of the selected (or only) epoch. */
  public static final String PARAMETERS = "parameters.bin";
  /** The parameters of the last epoch, when another was selected. */
  public static final String LAST_PARAMETERS = "parameters-last.bin";

  /**
   * How the epoch whose parameters a model keeps was chosen.
   *
   * @param score what was measured (e.g. validation MAP and its protocol)
   * @param selectedEpoch the chosen epoch, 1-based
   * @param scores every epoch's score, in order
   * @param refitItems the training items the model was then trained on again, up to the chosen epoch, the
   *     validation items included ({@code bicmr train --refit}); 0 when it was not
   */
  public record Selection(String score, int selectedEpoch, List<Double> scores, int refitItems) {
    /** The selection of {@code selection} after training. */
    public static Selection of(EpochSelection selection) {
      return new Selection(selection.description(), selection.bestEpoch() + 1, selection.history(), 0);
    }
  }

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  /**
   * What {@code model.json} holds.
   *
   * @param config Bi-CMR's settings (null for a baseline)
   * @param epochLosses the loss terms of every epoch (their meaning depends on the method)
   * @param method {@link #BICMR} or a baseline's name ({@code dcmh}, {@code prdh}, ...); absent (null) means Bi-CMR
   * @param nets a baseline's net shape (null for Bi-CMR)
   * @param settings a baseline's hyper-parameters as JSON (null for Bi-CMR)
   */
  public record Meta(String dataset, int imageDim, int textDim, int labelCount, BiCmrConfig config,
      List<double[]> epochLosses, double trainingSeconds, String method, NetShape nets, JsonObject settings,
      Selection selection) {

    /** Bi-CMR's metadata. */
    public Meta(String dataset, int imageDim, int textDim, int labelCount, BiCmrConfig config,
        List<double[]> epochLosses, double trainingSeconds) {
      this(dataset, imageDim, textDim, labelCount, config, epochLosses, trainingSeconds, BICMR, null, null, null);
    }

    /** This metadata with the epoch selection of the run. */
    public Meta withSelection(Selection s) {
      return new Meta(dataset, imageDim, textDim, labelCount, config, epochLosses, trainingSeconds, method, nets,
          settings, s);
    }

    /** A baseline's metadata: its name, net shape and hyper-parameters (any record, stored as JSON). */
    public static Meta baseline(String method, String dataset, int imageDim, int textDim, int labelCount,
        NetShape nets, Object settings, List<double[]> epochLosses, double trainingSeconds) {
      if (method == null || method.isEmpty() || BICMR.equals(method)) {
        throw new IllegalArgumentException("a baseline's method must be a name other than \"" + BICMR + "\", got "
            + method);
      }
      return new Meta(dataset, imageDim, textDim, labelCount, null, epochLosses, trainingSeconds, method, nets,
          GSON.toJsonTree(settings).getAsJsonObject(), null);
    }

    /** The method that trained the model; {@link #BICMR} when the file does not say. */
    @Override
    public String method() {
      return method == null ? BICMR : method;
    }

    /** Whether the model is Bi-CMR (its networks are a {@link BiCmrNetwork}). */
    public boolean isBiCmr() {
      return BICMR.equals(method());
    }

    /** The code length. */
    public int bits() {
      return isBiCmr() ? config.bits() : nets.bits();
    }

    /** Whether another epoch than the last was kept ({@code parameters-last.bin} holds the last). */
    public boolean hasLastEpoch() {
      return selection != null && selection.selectedEpoch() != epochLosses.size();
    }

    /** The settings as one line, for reports. */
    public String settingsText() {
      return isBiCmr() ? String.valueOf(config) : nets + " " + settings;
    }
  }

  private TrainedModel() {}

  /** Writes trained networks, their split and their metadata into {@code dir}. */
  public static void save(Path dir, HashFunctions net, DatasetSplit split, Meta meta) throws IOException {
    save(dir, net, null, split, meta);
  }

  /**
   * Writes a run's networks, split and metadata into {@code dir}: {@code selected}, the parameters of the epoch model
   * selection chose ({@link EpochSelection#bestParameters()}), as {@code parameters.bin} and the last epoch's as
   * {@code parameters-last.bin} when they differ; without a selection ({@code selected} null) the last epoch's as
   * {@code parameters.bin}.
   */
  public static void save(Path dir, HashFunctions last, byte[] selected, DatasetSplit split, Meta meta)
      throws IOException {
    if (meta.bits() != last.bits()) {
      throw new IllegalArgumentException("model.json says " + meta.bits() + " bits, the networks have " + last.bits());
    }
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("model.json"), GSON.toJson(meta));
    Files.writeString(dir.resolve("split.json"), GSON.toJson(split));
    Files.deleteIfExists(dir.resolve(LAST_PARAMETERS));
    if (selected != null && meta.hasLastEpoch()) {
      Files.write(dir.resolve(PARAMETERS), selected);
      Files.write(dir.resolve(LAST_PARAMETERS), EpochSelection.parameters(last));
    } else {
      Files.write(dir.resolve(PARAMETERS), EpochSelection.parameters(last));
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
    JsonObject tree = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    defaultAbsentWeights(tree);
    Meta meta = GSON.fromJson(tree, Meta.class);
    if (meta.isBiCmr() ? meta.config() == null : meta.nets() == null) {
      throw new IOException(json + ": method \"" + meta.method() + "\" needs \""
          + (meta.isBiCmr() ? "config" : "nets") + "\", which is missing");
    }
    return meta;
  }

  /**
   * Models written before an objective weight existed lack it: the value that reproduces how they were trained
   * (ρ = 1, no L_nbr, no L_inst, L_inst over the tanh outputs, L_cor and L_c at weight 1, no weight decay).
   */
  private static void defaultAbsentWeights(JsonObject model) {
    if (model.has("config") == false || model.get("config").isJsonObject() == false) {
      return;
    }
    JsonObject config = model.getAsJsonObject("config");
    if (config.has("optimiser")) {
      JsonObject optimiser = config.getAsJsonObject("optimiser");
      if (optimiser.has("weightDecay") == false) {
        optimiser.addProperty("weightDecay", 0.0);
      }
    }
    if (config.has("objective")) {
      JsonObject objective = config.getAsJsonObject("objective");
      if (objective.has("omegaScale") == false) {
        objective.addProperty("omegaScale", 1.0);
      }
      if (objective.has("neighbours") == false) {
        objective.addProperty("neighbours", 0.0);
      }
      if (objective.has("instances") == false) {
        objective.addProperty("instances", 0.0);
        objective.addProperty("instanceTemperature", 0.1);
      }
      if (objective.has("instanceSigns") == false) {
        objective.addProperty("instanceSigns", false);
      }
      if (objective.has("correlationWeight") == false) {
        objective.addProperty("correlationWeight", 1.0);
        objective.addProperty("classificationWeight", 1.0);
      }
    }
  }

  /** Reads {@code split.json} of a model directory. */
  public static DatasetSplit split(Path dir) throws IOException {
    return GSON.fromJson(Files.readString(dir.resolve("split.json")), DatasetSplit.class);
  }

  /** The hash functions of any model directory (Bi-CMR or a baseline), in {@code manager}. */
  public static HashFunctions hashFunctions(Path dir, NDManager manager) throws IOException {
    return hashFunctions(dir, manager, false);
  }

  /**
   * The hash functions of any model directory, in {@code manager}: those of the selected epoch, or with {@code last}
   * those of the last epoch (the same when no other epoch was selected).
   */
  public static HashFunctions hashFunctions(Path dir, NDManager manager, boolean last) throws IOException {
    Meta meta = meta(dir);
    String file = last && meta.hasLastEpoch() ? LAST_PARAMETERS : PARAMETERS;
    if (meta.isBiCmr()) {
      return network(dir, manager, file);
    }
    try (DataInputStream in = new DataInputStream(
        new BufferedInputStream(Files.newInputStream(dir.resolve(file))))) {
      if (PROJECTIONS.contains(meta.method())) {
        return ProjectionHash.load(in);
      }
      if (AGAH.equals(meta.method())) { // its hash functions hold a feature map beside the two nets
        return AgahNets.load(meta.nets(), meta.imageDim(), meta.textDim(), manager, in);
      }
      HashNets nets = new HashNets(meta.nets(), meta.imageDim(), meta.textDim(), 0L, manager, DataType.FLOAT32);
      nets.load(manager, in);
      return nets;
    }
  }

  /** The Bi-CMR networks of a model directory (the selected epoch's), in {@code manager}. */
  public static BiCmrNetwork network(Path dir, NDManager manager) throws IOException {
    return network(dir, manager, PARAMETERS);
  }

  private static BiCmrNetwork network(Path dir, NDManager manager, String file) throws IOException {
    Meta meta = meta(dir);
    if (meta.isBiCmr() == false) {
      throw new IllegalArgumentException("model " + dir + " was trained with method \"" + meta.method()
          + "\", not \"" + BICMR + "\": it has no Bi-CMR network (use hashFunctions)");
    }
    BiCmrNetwork net = new BiCmrNetwork(meta.config(), meta.imageDim(), meta.textDim(), meta.labelCount(), manager,
        DataType.FLOAT32);
    try (DataInputStream in = new DataInputStream(
        new BufferedInputStream(Files.newInputStream(dir.resolve(file))))) {
      net.load(manager, in);
    }
    return net;
  }
}
