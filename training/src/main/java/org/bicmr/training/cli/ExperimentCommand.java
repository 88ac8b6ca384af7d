package org.bicmr.training.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import org.bicmr.training.app.Evaluation;
import org.bicmr.training.app.Progress;
import org.bicmr.training.app.TrainResult;
import org.bicmr.training.app.Training;
import org.bicmr.training.data.DatasetDirectory;
import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.eval.CurvePlots;
import org.bicmr.training.eval.Direction;
import org.bicmr.training.eval.EvaluationRun;
import org.bicmr.training.eval.ExperimentTables;
import org.bicmr.training.eval.JsonReport;
import org.bicmr.training.eval.SeedMeans;
import org.bicmr.training.model.TrainedModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bicmr experiment}: a grid of trainings and evaluations on one dataset — methods × code lengths × training
 * seeds, plus Bi-CMR's ablations at one code length — run cell by cell, each cell a training ({@link Training#train},
 * with the shared and per-method {@code --train-option} strings parsed once into the cell's {@link TrainOptions})
 * followed by an evaluation ({@link Evaluation#runs}) in the chosen directions under every relevance the dataset
 * defines. Every cell's model and numbers stay in {@code <out>/cells/<cell>/}; a finished cell is never run
 * again, so an interrupted grid resumes where it stopped, and several processes may work on one grid at once (each
 * cell is claimed by one). After the grid (or with {@code --report-only}, from whatever cells are finished) it
 * writes {@code runs.json} (every number of every cell), {@code summary.json} and {@code tables.md} (mean ± standard
 * deviation over the seeds, in the layouts of the paper's Tables 2–4), {@code epoch-times.md} and PR / P@K plots of
 * the seeds' mean curves.
 */
@Command(name = "experiment", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Runs a resumable grid of methods x bits x seeds (and Bi-CMR's ablations) on a dataset, then "
        + "writes tables (mean ± sd over seeds), plots and every number.")
final class ExperimentCommand implements Callable<Integer> {
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
      .serializeSpecialFloatingPointValues().create();
  private static final List<String> METHODS = GridTrainOptions.GRID_METHODS;

  @Option(names = "--data", required = true, description = "dataset directory")
  Path data;

  @Option(names = "--out", required = true, description = "experiment directory (created; resumed if it exists)")
  Path out;

  @Option(names = "--methods", split = ",", description = "methods: bicmr (the recommended variant), bicmr-paper, "
      + "bicmr-released, dcmh, prdh, ssah, agah, linear, simhash (default: bicmr,linear,simhash,ssah,agah,dcmh,prdh)")
  List<String> methods = List.of("bicmr", "linear", "simhash", "ssah", "agah", "dcmh", "prdh");

  @Option(names = "--bits", split = ",", description = "code lengths (default: 16,32,64)")
  List<Integer> bits = List.of(16, 32, 64);

  @Option(names = "--seeds", split = ",", description = "training seeds, --seed of bicmr train; the split stays "
      + "the same (default: 1,2,3)")
  List<Long> seeds = List.of(1L, 2L, 3L);

  @Option(names = "--seeds-at", description = "other training seeds at one code length: BITS=SEEDS, e.g. "
      + "--seeds 1 --seeds-at 64=1,2,3; repeatable")
  Map<Integer, String> seedsAt = new LinkedHashMap<>();

  @Option(names = "--ablations", split = ",", description = "Bi-CMR ablations 1-5 to run at --ablation-bits "
      + "(default: 1,2,3,4,5; 0 = none)")
  List<Integer> ablations = List.of(1, 2, 3, 4, 5);

  @Option(names = "--ablation-bits", description = "code length of the ablations (default: ${DEFAULT-VALUE})")
  int ablationBits = 64;

  @Option(names = "--ablation-method", description = "the Bi-CMR variant the ablations 1-5 apply to: bicmr, "
      + "bicmr-paper or bicmr-released (default: ${DEFAULT-VALUE})")
  String ablationMethod = "bicmr-paper";

  @Option(names = "--variation", description = "an ablation row of the recommended Bi-CMR at --ablation-bits: "
      + "NAME=\"bicmr train options\", e.g. --variation no-pairs=\"--pairs 0\"; repeatable (the rows of Table 4 "
      + "beside Bi-CMR1-5)")
  Map<String, String> variations = new LinkedHashMap<>();

  @Option(names = "--directions", split = ",", description = "evaluation directions: IQT, TQI, TQT "
      + "(default: IQT,TQI)")
  List<Direction> directions = Direction.CROSS_MODAL;

  @Option(names = "--train-option", description = "options for 'bicmr train', for every method (all=...) or one "
      + "(dcmh=...), e.g. --train-option all=\"--epochs 60 --train-size 2000\"; repeatable")
  Map<String, String> trainOptions = new LinkedHashMap<>();

  @Option(names = "--real-valued", description = "also measure each cell's ranking by the cosine of its nets' "
      + "outputs before the sign (the ceiling of binarisation), in a table beside the Hamming MAP")
  boolean realValued;

  @Option(names = "--retry-failed", description = "run cells again that failed before")
  boolean retryFailed;

  @Option(names = "--report-only", description = "train nothing: write the reports from the finished cells")
  boolean reportOnly;

  @Option(names = "--quiet", description = "no progress bar")
  boolean quiet;

  /** One training and evaluation of the grid; {@code variation} names an ablation row of the recommended Bi-CMR. */
  record Cell(String method, int ablation, String variation, int bits, long seed) {
    Cell(String method, int ablation, int bits, long seed) {
      this(method, ablation, null, bits, seed);
    }

    String name() {
      return method + (ablation > 0 ? Integer.toString(ablation) : "") + (variation == null ? "" : "~" + variation)
          + "-" + bits + "-s" + seed;
    }
  }

  /** What a finished (or failed) cell records beside its numbers; {@code secondsPerEpoch} is the median epoch. */
  record CellRecord(String cell, List<String> trainArguments, double trainingSeconds, int epochs,
      double secondsPerEpoch, String error) {}

  @Override
  public Integer call() throws Exception {
    List<Cell> grid = grid();
    Map<Cell, List<String>> arguments = new LinkedHashMap<>();
    Map<Cell, CellOptions> options = new LinkedHashMap<>();
    for (Cell cell : grid) {
      arguments.put(cell, trainArguments(cell));
      options.put(cell, options(cell)); // a bad option fails now, not after hours of training
    }
    Files.createDirectories(out.resolve("cells"));
    checkResumable(arguments);
    PairedDataset dataset = DatasetDirectory.read(data);
    if (reportOnly == false) {
      runGrid(dataset, arguments, options);
    }
    report(grid);
    return 0;
  }

  /** The cells, seed by seed (so every method has a first seed before any has a second), ablations last. */
  List<Cell> grid() {
    for (String method : methods) {
      if (METHODS.contains(method) == false) {
        throw new IllegalArgumentException("--methods: unknown method \"" + method + "\", expected some of "
            + String.join(", ", METHODS));
      }
    }
    if (GridTrainOptions.base(ablationMethod).equals("bicmr") == false) {
      throw new IllegalArgumentException("--ablation-method: the ablations are Bi-CMR's, expected bicmr, "
          + String.join(" or ", GridTrainOptions.VARIANTS) + ", got \"" + ablationMethod + "\"");
    }
    for (int a : ablations) {
      if (a < 0 || a > 5) {
        throw new IllegalArgumentException("--ablations: " + a + " is not an ablation, expected 1 to 5 (0: none)");
      }
    }
    if (seeds.isEmpty() || bits.isEmpty() || methods.isEmpty() || directions.isEmpty()) {
      throw new IllegalArgumentException("--methods, --bits, --seeds and --directions need at least one value each");
    }
    GridTrainOptions.check(trainOptions);
    List<Cell> cells = new ArrayList<>();
    java.util.TreeSet<Long> allSeeds = new java.util.TreeSet<>(seeds);
    Map<Integer, List<Long>> seedsOf = new LinkedHashMap<>();
    for (int b : bits) {
      String given = seedsAt.get(b);
      List<Long> list = given == null ? seeds : java.util.Arrays.stream(given.split(","))
          .map(String::trim).map(Long::parseLong).toList();
      seedsOf.put(b, list);
      allSeeds.addAll(list);
    }
    for (int b : seedsAt.keySet()) {
      if (bits.contains(b) == false) {
        throw new IllegalArgumentException("--seeds-at " + b + "=...: " + b + " is not one of --bits " + bits);
      }
    }
    for (long seed : allSeeds) {
      for (String method : methods) {
        for (int b : bits) {
          if (seedsOf.get(b).contains(seed)) {
            cells.add(new Cell(method, 0, b, seed));
          }
        }
      }
    }
    for (long seed : seedsOf.getOrDefault(ablationBits, seeds)) {
      for (int a : ablations.stream().filter(a -> a > 0).distinct().sorted().toList()) {
        cells.add(new Cell(ablationMethod, a, ablationBits, seed));
      }
      for (String name : variations.keySet()) {
        if (name.matches("[A-Za-z0-9][A-Za-z0-9_.+-]*") == false) {
          throw new IllegalArgumentException("--variation " + name + "=...: a name of letters, digits and _.+- "
              + "expected (it names the cell's directory)");
        }
        cells.add(new Cell("bicmr", 0, name, ablationBits, seed));
      }
    }
    return cells;
  }

  /**
   * The cell's training settings as {@code bicmr train} options, as {@code cell.json} records them (a cell finished
   * with other settings is not resumed): the cell's own (method, code length, seed, ablation, the grid's directions for
   * model selection), then the {@code --train-option} strings for all methods, for the cell's method and of its
   * variation.
   */
  List<String> trainArguments(Cell cell) {
    List<String> args = new ArrayList<>(GridTrainOptions.select(cell.method()));
    args.addAll(List.of("--bits", Integer.toString(cell.bits()), "--seed", Long.toString(cell.seed())));
    if (cell.ablation() > 0) {
      args.addAll(List.of("--ablation", Integer.toString(cell.ablation())));
    }
    // model selection on the directions the grid evaluates, unless the options say otherwise
    args.addAll(List.of("--select-on", String.join(",", directions.stream().map(Enum::name).toList())));
    args.addAll(userOptions(cell));
    return args;
  }

  /** The {@code --train-option} strings that apply to the cell: for all methods, its method's, its variation's. */
  private List<String> userOptions(Cell cell) {
    List<String> args = new ArrayList<>(GridTrainOptions.of(trainOptions, cell.method()));
    if (cell.variation() != null) {
      args.addAll(GridTrainOptions.of(Map.of("all", variations.get(cell.variation())), "all"));
    }
    return args;
  }

  /** A cell's method ({@code --method} name) and its training options, parsed once; {@code given} names the user's. */
  private record CellOptions(String method, TrainOptions options, Set<String> given) {}

  /**
   * The cell's training options: the cell's own settings typed in (method, variant, code length, seed, ablation,
   * the grid's directions for model selection), then the user's {@code --train-option} strings parsed over them. The
   * user's strings may not set what the cell itself sets.
   */
  private CellOptions options(Cell cell) {
    TrainOptions options = new TrainOptions();
    options.bits = cell.bits();
    options.seed = cell.seed();
    options.ablation = cell.ablation();
    options.selectOn = directions;
    List<String> owned = new ArrayList<>(List.of("--bits", "--seed"));
    if (GridTrainOptions.VARIANTS.contains(cell.method())) {
      options.variant = cell.method().substring("bicmr-".length());
      owned.add("--variant");
    }
    if (cell.ablation() > 0) {
      owned.add("--ablation");
    }
    List<String> strings = userOptions(cell);
    Set<String> given;
    try {
      given = TrainOptions.parseInto(options, strings);
    } catch (CommandLine.ParameterException e) {
      throw new IllegalArgumentException("cell " + cell.name() + ": bicmr train " + String.join(" ",
          trainArguments(cell)) + ": " + e.getMessage(), e);
    }
    for (String option : owned) {
      if (given.contains(option)) {
        throw new IllegalArgumentException("cell " + cell.name() + ": bicmr train " + String.join(" ",
            trainArguments(cell)) + ": option '" + option + "' is the grid's (the cell sets it), not a --train-option");
      }
    }
    return new CellOptions(GridTrainOptions.base(cell.method()), options, given);
  }

  /** A cell finished with other training arguments than now would make the tables mix two experiments. */
  private void checkResumable(Map<Cell, List<String>> arguments) throws IOException {
    for (Map.Entry<Cell, List<String>> e : arguments.entrySet()) {
      Path record = cellDir(e.getKey()).resolve("cell.json");
      if (Files.exists(record)) {
        CellRecord previous = GSON.fromJson(Files.readString(record), CellRecord.class);
        if (previous.trainArguments().equals(e.getValue()) == false) {
          throw new IllegalArgumentException("cell " + e.getKey().name() + " in " + out + " was run with 'bicmr train "
              + String.join(" ", previous.trainArguments()) + "', now it would be '" + String.join(" ", e.getValue())
              + "': give another --out for another experiment");
        }
      }
    }
  }

  private Path cellDir(Cell cell) {
    return out.resolve("cells").resolve(cell.name());
  }

  private static boolean finished(Path dir) {
    return Files.exists(dir.resolve("runs.json"));
  }

  private void runGrid(PairedDataset dataset, Map<Cell, List<String>> arguments, Map<Cell, CellOptions> options)
      throws IOException {
    long done = arguments.keySet().stream().filter(c -> finished(cellDir(c))).count();
    System.out.printf(Locale.ROOT, "experiment %s: %d cells, %d finished before%n", out, arguments.size(), done);
    try (ProgressBar bar = quiet ? null : Progress.bar("experiment", arguments.size())) {
      if (bar != null) {
        bar.stepTo(done);
      }
      for (Map.Entry<Cell, List<String>> e : arguments.entrySet()) {
        Cell cell = e.getKey();
        Path dir = cellDir(cell);
        if (done(dir)) {
          continue;
        }
        FileLock claim = claim(dir);
        if (claim == null) {
          continue; // another process works on it
        }
        try {
          if (done(dir)) {
            continue; // finished by another process between the look above and the claim
          }
          if (bar != null) {
            bar.setExtraMessage(" " + cell.name());
          }
          runCell(dataset, cell, e.getValue(), options.get(cell), dir);
        } finally {
          Files.deleteIfExists(dir.resolve("claim")); // then the lock goes with the channel
          claim.channel().close();
        }
        if (bar != null) {
          bar.stepTo(arguments.keySet().stream().filter(c -> finished(cellDir(c))).count());
        }
      }
    }
  }

  /** Whether the cell needs no run: finished, or failed and failures are not retried. */
  private boolean done(Path dir) {
    return finished(dir) || (Files.exists(dir.resolve("error.txt")) && retryFailed == false);
  }

  /**
   * Takes the cell for this process, or null when another holds it: an exclusive lock on the cell's {@code claim}
   * file, taken atomically and released by the system when its process ends, so a claim left by a process that
   * crashed is free again and two processes never both take one. The file holds the pid, for a person's eyes.
   */
  private static FileLock claim(Path dir) throws IOException {
    Files.createDirectories(dir);
    FileChannel channel = FileChannel.open(dir.resolve("claim"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      FileLock lock = channel.tryLock();
      if (lock != null) {
        channel.truncate(0).write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid())
            .getBytes(StandardCharsets.US_ASCII)));
        return lock;
      }
    } catch (OverlappingFileLockException e) {
      // held by this process (another grid in the same JVM)
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    channel.close();
    return null;
  }

  private void runCell(PairedDataset dataset, Cell cell, List<String> args, CellOptions options, Path dir)
      throws IOException {
    Path model = dir.resolve("model");
    deleteTree(model); // a model of a run that did not finish
    Files.deleteIfExists(dir.resolve("error.txt"));
    long start = System.nanoTime();
    try (PrintStream log = new PrintStream(Files.newOutputStream(dir.resolve("train.log")), true,
        StandardCharsets.UTF_8)) {
      Path checkpoint = options.method().equals(TrainedModel.BICMR) ? dir.resolve("train.ckpt") : null;
      try {
        TrainResult trained = Training.train(options.options().request(options.method(), options.given(), data,
            model, checkpoint, true, log));
        TrainedModel.Meta meta = TrainedModel.meta(model);
        String method = cell.variation() != null ? "Bi-CMR [" + cell.variation() + "]"
            : cell.ablation() > 0 ? ablationName(cell) : Evaluation.methodName(meta);
        List<EvaluationRun> evaluated = new ArrayList<>(Evaluation.runs(dataset, model, meta,
            TrainedModel.split(model), method, directions, false, realValued));
        if (meta.hasLastEpoch()) {
          evaluated.addAll(Evaluation.runs(dataset, model, meta, TrainedModel.split(model),
              method + Evaluation.LAST_EPOCH, directions, true, false));
        }
        List<EvaluationRun> runs = new ArrayList<>();
        for (EvaluationRun run : evaluated) {
          Map<String, String> settings = new TreeMap<>(run.settings());
          settings.put("seed", Long.toString(cell.seed()));
          settings.put("cell", cell.name());
          runs.add(new EvaluationRun(run.dataset(), run.method(), run.bits(), run.direction(), run.relevance(),
              run.splitSeed(), settings, run.metrics()));
        }
        writeRecord(dir, new CellRecord(cell.name(), args, meta.trainingSeconds(), meta.epochLosses().size(),
            trained.medianEpochSeconds(), null));
        Path temporary = dir.resolve("runs.json.tmp");
        JsonReport.write(temporary, runs);
        Files.move(temporary, dir.resolve("runs.json"), StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(dir.resolve("train.ckpt"));
        log.printf(Locale.ROOT, "cell %s done in %.0f s%n", cell.name(), (System.nanoTime() - start) / 1e9);
      } catch (Exception | OutOfMemoryError e) { // a method that diverges fails its cell, not the grid
        String message = e.getClass().getSimpleName() + ": " + e.getMessage();
        log.println("failed: " + message);
        Files.writeString(dir.resolve("error.txt"), message + "\n");
        writeRecord(dir, new CellRecord(cell.name(), args, (System.nanoTime() - start) / 1e9, 0, Double.NaN,
            message));
        System.err.printf("cell %s failed: %s%n", cell.name(), message);
      }
    }
  }

  /** "Bi-CMR4" for ablation 4 of the recommended variant, "Bi-CMR4 (paper)" for the paper's variant's. */
  private static String ablationName(Cell cell) {
    String variant = GridTrainOptions.VARIANTS.contains(cell.method())
        ? " (" + cell.method().substring("bicmr-".length()) + ")" : "";
    return "Bi-CMR" + cell.ablation() + variant;
  }

  private static void writeRecord(Path dir, CellRecord record) throws IOException {
    Path temporary = dir.resolve("cell.json.tmp");
    Files.writeString(temporary, GSON.toJson(record) + "\n");
    Files.move(temporary, dir.resolve("cell.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static void deleteTree(Path root) throws IOException {
    if (Files.exists(root) == false) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** The reports of the finished cells of {@code grid}. */
  private void report(List<Cell> grid) throws IOException {
    List<EvaluationRun> runs = new ArrayList<>();
    List<CellRecord> records = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (Cell cell : grid) {
      Path dir = cellDir(cell);
      if (finished(dir)) {
        runs.addAll(JsonReport.read(dir.resolve("runs.json")));
        records.add(GSON.fromJson(Files.readString(dir.resolve("cell.json")), CellRecord.class));
      } else if (Files.exists(dir.resolve("error.txt"))) {
        missing.add(cell.name() + " (failed: " + Files.readString(dir.resolve("error.txt")).trim() + ")");
      } else {
        missing.add(cell.name() + " (not run yet)");
      }
    }
    JsonReport.write(out.resolve("runs.json"), runs);
    List<SeedMeans.Mean> means = SeedMeans.of(runs);
    Files.writeString(out.resolve("summary.json"), GSON.toJson(summary(means)) + "\n");
    StringBuilder tables = new StringBuilder(ExperimentTables.markdown(means, runs));
    tables.append(String.format(Locale.ROOT, "%d of %d cells finished.", grid.size() - missing.size(), grid.size()));
    if (missing.isEmpty() == false) {
      tables.append(" Missing: ").append(String.join("; ", missing)).append('.');
    }
    tables.append('\n');
    Files.writeString(out.resolve("tables.md"), tables);
    Files.writeString(out.resolve("epoch-times.md"), EpochTimes.markdown(records));
    List<EvaluationRun> curves = means.stream().map(SeedMeans.Mean::mean)
        .filter(r -> ExperimentTables.isAblation(r.method()) == false
            && ExperimentTables.isLastEpoch(r.method()) == false).toList();
    List<Path> plots = CurvePlots.write(out.resolve("plots"), curves);
    System.out.print(tables);
    System.out.printf(Locale.ROOT, "wrote %s, %s, %s, %s and %d plots%n", out.resolve("runs.json"),
        out.resolve("summary.json"), out.resolve("tables.md"), out.resolve("epoch-times.md"), plots.size());
  }

  private record Summary(String dataset, String method, int bits, String direction, String relevance, int seeds,
      double meanMap, Double sdMap, double baseRate) {}

  private static List<Summary> summary(List<SeedMeans.Mean> means) {
    return means.stream().map(m -> new Summary(m.setting().dataset(), m.setting().method(), m.setting().bits(),
        m.setting().direction().name(), m.setting().relevance().name(), m.seeds(), m.meanMap(),
        Double.isNaN(m.sdMap()) ? null : m.sdMap(), m.mean().metrics().baseRate())).toList();
  }

  /** Seconds per training epoch of each method and code length, over the finished cells, beside Bi-CMR's. */
  static final class EpochTimes {
    private EpochTimes() {}

    static String markdown(List<CellRecord> records) {
      Map<String, List<Double>> byMethod = new LinkedHashMap<>();
      for (CellRecord r : records) {
        if (Double.isNaN(r.secondsPerEpoch()) == false) {
          String key = r.cell().substring(0, r.cell().lastIndexOf("-s"));
          byMethod.computeIfAbsent(key, k -> new ArrayList<>()).add(r.secondsPerEpoch());
        }
      }
      StringBuilder out = new StringBuilder("| method-bits | cells | epochs | s per epoch (mean of the cells' medians) | ÷ Bi-CMR's |\n"
          + "| --- | ---: | ---: | ---: | ---: |\n");
      byMethod.forEach((key, values) -> {
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        String bits = key.substring(key.lastIndexOf('-') + 1);
        List<Double> reference = byMethod.get("bicmr-" + bits);
        double ref = reference == null ? Double.NaN
            : reference.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        int epochs = records.stream().filter(r -> r.cell().startsWith(key + "-s")).mapToInt(CellRecord::epochs)
            .max().orElse(0);
        out.append(String.format(Locale.ROOT, "| %s | %d | %d | %.2f | %s |%n", key, values.size(), epochs, mean,
            Double.isNaN(ref) ? "-" : String.format(Locale.ROOT, "%.2f", mean / ref)));
      });
      return out.toString();
    }
  }
}
