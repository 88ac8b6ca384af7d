package org.bicmr.training.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.bicmr.training.app.TrainResult;
import org.bicmr.training.app.Training;
import org.bicmr.training.data.DatasetDirectory;
import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.model.BiCmrConfig;
import org.bicmr.training.model.TrainingBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bicmr bench train}: the time of one Bi-CMR training epoch next to its FLOP bound, measured in the same run.
 * {@code bicmr bench epochs}: the median epoch time of every method at the same sizes and nets (the {@code bicmr
 * train} options of {@code --train-option}, parsed once into {@link TrainOptions} and trained with {@link
 * Training#train}), each beside Bi-CMR's, measured in the same run on the same random data.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Benchmarks. 'bench train': one Bi-CMR epoch at the paper's sizes against a DJL matmul FLOP bound.",
        "'bench epochs [--train-option ...]': each method's epoch time beside Bi-CMR's, same data and nets."})
final class BenchCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "what to benchmark: train or epochs", paramLabel = "WHAT")
  String what;

  @Option(names = "--train-option", description = "epochs: options for 'bicmr train', for every method (all=...) "
      + "or one (dcmh=...); repeatable")
  Map<String, String> trainOptions = new LinkedHashMap<>();

  @Option(names = "--methods", split = ",", description = "epochs: methods (default: bicmr,dcmh,prdh,ssah,agah)")
  List<String> methods = List.of("bicmr", "dcmh", "prdh", "ssah", "agah");

  @Option(names = "--epochs", description = "epochs: epochs per method, the median is reported (default: "
      + "${DEFAULT-VALUE})")
  int epochs = 5;

  @Option(names = "--items", description = "training pairs (default: ${DEFAULT-VALUE}, the paper's MIRFlickr training set)")
  int items = 10_000;

  @Option(names = "--image-dim", description = "image feature dimension (default: ${DEFAULT-VALUE})")
  int imageDim = 4096;

  @Option(names = "--text-dim", description = "text BoW dimension (default: ${DEFAULT-VALUE})")
  int textDim = 1386;

  @Option(names = "--labels", description = "number of labels (default: ${DEFAULT-VALUE})")
  int labels = 24;

  @Option(names = "--bits", description = "code length (default: ${DEFAULT-VALUE})")
  int bits = 64;

  @Override
  public Integer call() throws Exception {
    if ("epochs".equals(what)) {
      return epochs();
    }
    if ("train".equals(what) == false) {
      throw new IllegalArgumentException("bench: unknown benchmark \"" + what + "\", expected: train or epochs");
    }
    PairedDataset data = TrainingBenchmark.randomData(items, imageDim, textDim, labels, 1L);
    System.out.printf("bench train: %d pairs, image %d-d, text %d-d, %d labels, %d bits, batch 128, paper nets%n",
        items, imageDim, textDim, labels, bits);
    System.out.println(TrainingBenchmark.run(BiCmrConfig.paper(bits), data));
    return 0;
  }

  /** Each method's median epoch on one random dataset of the given sizes, in one run. */
  private int epochs() throws Exception {
    GridTrainOptions.check(trainOptions);
    Path dir = Files.createTempDirectory("bicmr-bench-epochs");
    try {
      Path dataDir = dir.resolve("data");
      PairedDataset data = TrainingBenchmark.randomData(items, imageDim, textDim, labels, 1L);
      DatasetDirectory.write(data, dataDir, "random data for bicmr bench epochs");
      System.out.printf(Locale.ROOT, "bench epochs: %d items (all trained), image %d-d, text %d-d, %d labels, %d bits, "
          + "%d epochs each; train options: %s%n", items, imageDim, textDim, labels, bits, epochs,
          trainOptions);
      Map<String, Double> medians = new LinkedHashMap<>();
      for (String method : methods) {
        TrainOptions options = new TrainOptions();
        options.bits = bits;
        options.epochs = epochs;
        options.queries = 1;
        options.trainSize = items - 1;
        Set<String> given = new HashSet<>(TrainOptions.parseInto(options, GridTrainOptions.of(trainOptions, method)));
        given.add("--epochs"); // set here, as a given option: a method without epochs (linear, simhash) is refused
        TrainResult result = Training.train(options.request(method, given, dataDir, dir.resolve("model-" + method),
            null, true, new PrintStream(OutputStream.nullOutputStream())));
        double median = result.medianEpochSeconds();
        medians.put(method, median);
        System.out.printf(Locale.ROOT, "%s: epochs %s s, median %.2f s%n", method, result.epochSeconds().stream()
            .map(v -> String.format(Locale.ROOT, "%.2f", v)).toList(), median);
      }
      Double reference = medians.get("bicmr");
      System.out.println("| method | median s per epoch | ÷ Bi-CMR's |\n| --- | ---: | ---: |");
      medians.forEach((method, median) -> System.out.printf(Locale.ROOT, "| %s | %.2f | %s |%n", method, median,
          reference == null ? "-" : String.format(Locale.ROOT, "%.2f", median / reference)));
    } finally {
      ExperimentCommand.deleteTree(dir);
    }
    return 0;
  }
}
