package org.bicmr.training.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.bicmr.training.data.DatasetDirectory;
import org.bicmr.training.data.DatasetSplit;
import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.model.BiCmrConfig;
import org.bicmr.training.model.BiCmrNetwork;
import org.bicmr.training.model.BiCmrTrainer;
import org.bicmr.training.model.TrainedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bicmr train}: trains Bi-CMR on a dataset directory with the paper's settings unless told otherwise. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Trains Bi-CMR (or an ablation) on a dataset and writes a model directory.")
final class TrainCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, description = "dataset directory (from 'bicmr generate')")
  Path data;

  @Option(names = "--out", required = true, description = "model directory to write")
  Path out;

  @Option(names = "--bits", description = "code length, a multiple of 8 (default: ${DEFAULT-VALUE})")
  int bits = 64;

  @Option(names = "--epochs", description = "epochs (default: ${DEFAULT-VALUE})")
  int epochs = 120;

  @Option(names = "--batch", description = "batch size (default: ${DEFAULT-VALUE})")
  int batch = 128;

  @Option(names = "--queries", description = "query items held out (default: ${DEFAULT-VALUE})")
  int queries = 2000;

  @Option(names = "--train-size", description = "training items drawn from the database (default: ${DEFAULT-VALUE})")
  int trainSize = 10_000;

  @Option(names = "--split-seed", description = "seed of the query/train/database split (default: ${DEFAULT-VALUE})")
  long splitSeed = 42;

  @Option(names = "--seed", description = "seed of initialisation and batch order (default: ${DEFAULT-VALUE})")
  long seed = 42;

  @Option(names = "--lr", description = "Adam learning rate, image and text nets (default: ${DEFAULT-VALUE})")
  double lr = 1e-4;

  @Option(names = "--label-lr", description = "Adam learning rate, multi-label net (default: ${DEFAULT-VALUE})")
  double labelLr = 1e-3;

  @Option(names = "--halve-every", description = "halve the learning rates every N epochs (default: ${DEFAULT-VALUE})")
  int halveEvery = 20;

  @Option(names = "--alpha", description = "weight of L_ssr (default: ${DEFAULT-VALUE})")
  double alpha = 0.01;

  @Option(names = "--beta", description = "weight of L_m2l (default: ${DEFAULT-VALUE})")
  double beta = 0.01;

  @Option(names = "--gamma", description = "weight of L_l2m (default: ${DEFAULT-VALUE})")
  double gamma = 0.01;

  @Option(names = "--delta", description = "label hash weight in the adjusted similarity (default: ${DEFAULT-VALUE})")
  double delta = 0.01;

  @Option(names = "--lambda", description = "adjusted similarity threshold, 0.4 MIRFlickr / 0.7 NUS-WIDE (default: ${DEFAULT-VALUE})")
  double lambda = 0.4;

  @Option(names = "--eta", description = "image/text balance in L_m2l (default: ${DEFAULT-VALUE})")
  double eta = 0.5;

  @Option(names = "--ablation", description = "0 = full Bi-CMR, 1-5 = Bi-CMR1..5 of the paper's Table 4 (default: ${DEFAULT-VALUE})")
  int ablation = 0;

  @Option(names = "--no-ssr", description = "drop L_ssr") boolean noSsr;
  @Option(names = "--no-m2l", description = "drop L_m2l") boolean noM2l;
  @Option(names = "--no-l2m", description = "drop L_l2m") boolean noL2m;
  @Option(names = "--no-cor", description = "drop L_cor") boolean noCor;
  @Option(names = "--no-adjust", description = "plain label overlap instead of the adjusted similarity") boolean noAdjust;
  @Option(names = "--no-class", description = "drop L_c") boolean noClass;

  @Option(names = "--image-hidden", description = "image net hidden width (default: ${DEFAULT-VALUE})")
  int imageHidden = 4096;

  @Option(names = "--text-hidden", split = ",", description = "text net hidden widths (default: 1024,4096)")
  int[] textHidden = {1024, 4096};

  @Option(names = "--label-hidden", description = "multi-label net hidden width (default: ${DEFAULT-VALUE})")
  int labelHidden = 4096;

  @Option(names = "--ssr-hidden", description = "SSR heads' hidden width (default: ${DEFAULT-VALUE})")
  int ssrHidden = 1024;

  @Option(names = "--checkpoint", description = "checkpoint file: written every epoch, resumed from if present")
  Path checkpoint;

  @Option(names = "--quiet", description = "no progress bar") boolean quiet;

  BiCmrConfig config() {
    if (textHidden.length != 2) {
      throw new IllegalArgumentException("--text-hidden takes two widths (e.g. 1024,4096), got " + textHidden.length);
    }
    return new BiCmrConfig(bits, imageHidden, textHidden[0], textHidden[1], labelHidden, ssrHidden, alpha, beta, gamma,
        delta, lambda, eta, lr, labelLr, batch, epochs, halveEvery, seed, !noSsr, !noM2l, !noL2m, !noCor, !noAdjust,
        !noClass).withAblation(ablation);
  }

  @Override
  public Integer call() throws Exception {
    BiCmrConfig config = config();
    PairedDataset all = DatasetDirectory.read(data);
    DatasetSplit split = DatasetSplit.random(all.size(), queries, trainSize, splitSeed);
    PairedDataset training = all.subset(split.train());
    System.out.printf(Locale.ROOT, "%s%nsplit (seed %d): %d queries, %d database items, %d training items%n", all,
        splitSeed, split.query().length, split.database().length, split.train().length);
    List<double[]> losses = new ArrayList<>();
    long start = System.nanoTime();
    int batches = (training.size() + batch - 1) / batch;
    try (NDManager manager = NDManager.newBaseManager();
        ProgressBar bar = quiet ? null : progressBar("train", (long) config.epochs() * batches)) {
      BiCmrNetwork net = new BiCmrTrainer(config, training, checkpoint).train(manager, new BiCmrTrainer.Listener() {
        @Override
        public void batchDone(int epoch, int b, int total, double[] terms) {
          if (bar != null) {
            bar.stepTo((long) epoch * total + b + 1);
            bar.setExtraMessage(String.format(Locale.ROOT, " epoch %d/%d, batch loss %.1f (cor %.1f, c %.1f)",
                epoch + 1, config.epochs(), terms[5], terms[3], terms[4]));
          }
        }

        @Override
        public void epochDone(int epoch, double[] mean, double seconds) {
          losses.add(mean);
          if (bar == null) {
            System.out.printf(Locale.ROOT, "epoch %d/%d: %.1f s, loss per item %.3f (ssr %.2f, m2l %.2f, l2m %.2f, "
                + "cor %.2f, c %.3f)%n", epoch + 1, config.epochs(), seconds, mean[5], mean[0], mean[1], mean[2],
                mean[3], mean[4]);
          }
        }
      });
      double seconds = (System.nanoTime() - start) / 1e9;
      TrainedModel.save(out, net, split, new TrainedModel.Meta(all.name(), all.imageDim(), all.textDim(),
          all.labelCount(), config, losses, seconds));
      if (!all.vocabulary().isEmpty()) {
        TrainedModel.saveVocabulary(out, all.vocabulary());
      }
    }
    System.out.printf(Locale.ROOT, "model written to %s (%.0f s)%n", out, (System.nanoTime() - start) / 1e9);
    return 0;
  }

  /** A progress bar on standard error; whole lines every 30 s when there is no terminal. */
  static ProgressBar progressBar(String task, long steps) {
    ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(task).setInitialMax(steps)
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000).showSpeed();
    if (System.console() == null) { // no terminal (CI, a pipe): whole lines, not carriage returns
      builder.setConsumer(new DelegatingProgressBarConsumer(System.err::println, 150)).setUpdateIntervalMillis(30_000);
    }
    return builder.build();
  }
}
