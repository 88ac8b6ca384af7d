package org.bicmr.training.cli;

import java.util.concurrent.Callable;
import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.model.BiCmrConfig;
import org.bicmr.training.model.TrainingBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bicmr bench train}: the time of one training epoch next to its FLOP bound, measured in the same run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks. 'bench train': one Bi-CMR epoch at the paper's sizes against a DJL matmul FLOP bound.")
final class BenchCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "what to benchmark: train", paramLabel = "WHAT")
  String what;

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
    if ("train".equals(what) == false) {
      throw new IllegalArgumentException("bench: unknown benchmark \"" + what + "\", expected: train");
    }
    PairedDataset data = TrainingBenchmark.randomData(items, imageDim, textDim, labels, 1L);
    System.out.printf("bench train: %d pairs, image %d-d, text %d-d, %d labels, %d bits, batch 128, paper nets%n",
        items, imageDim, textDim, labels, bits);
    System.out.println(TrainingBenchmark.run(BiCmrConfig.paper(bits), data));
    return 0;
  }
}
