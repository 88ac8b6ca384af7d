package org.bicmr.training.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.bicmr.training.app.Training;
import org.bicmr.training.model.TrainedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code bicmr train}, a thin adapter over {@link Training#train}: trains Bi-CMR (a variant: {@code --variant
 * recommended|paper|released}, the default the recommended one), or a baseline ({@code --method
 * dcmh|prdh|ssah|agah|linear|simhash}), on a dataset directory, and writes a model directory that {@code bicmr
 * evaluate} reads. Every option defaults to its method's config ({@link TrainOptions}). A share of the training items
 * ({@code --validation}) is held out to choose the epoch whose parameters the model keeps (validation MAP; never the
 * queries); the last epoch's are kept beside them. Each method reads its own options (and the baselines the shared
 * schedule options); another method's are refused.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Trains Bi-CMR (a variant, an ablation) or a baseline (DCMH, PRDH, SSAH, AGAH, linear, SimHash) on "
        + "a dataset and writes a model directory.")
final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--method", description = "bicmr (default), dcmh (Jiang and Li, CVPR 2017), prdh (Yang et al., "
      + "AAAI 2017), ssah (Li et al., CVPR 2018), agah (Gu et al., ICMR 2019), linear (ridge regression to the "
      + "labels, random hyperplanes) or simhash (random hyperplanes over tf-idf, unsupervised)")
  String method = TrainedModel.BICMR;

  @Option(names = "--data", required = true, description = "dataset directory (from 'bicmr generate')")
  Path data;

  @Option(names = "--out", required = true, description = "model directory to write")
  Path out;

  @Mixin TrainOptions options = new TrainOptions();

  @Option(names = "--checkpoint", description = "bicmr: checkpoint file, written every epoch, resumed from if present")
  Path checkpoint;

  @Option(names = "--quiet", description = "no progress bar") boolean quiet;

  /** Where the split, the settings, the epochs (with {@code --quiet}) and the result are reported. */
  PrintStream log = System.out;

  @Override
  public Integer call() throws Exception {
    Training.train(options.request(method, given(spec.commandLine().getParseResult()), data, out, checkpoint, quiet,
        log));
    return 0;
  }

  /** Every name of every option given on a command line (a negatable option's by its positive name). */
  static Set<String> given(ParseResult parsed) {
    Set<String> names = new HashSet<>();
    for (OptionSpec option : parsed.matchedOptions()) {
      names.addAll(List.of(option.names()));
    }
    return names;
  }
}
