package org.bicmr.training.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.bicmr.training.baseline.AgahConfig;
import org.bicmr.training.baseline.AgahTrainer;
import org.bicmr.training.baseline.AlternatingTrainer;
import org.bicmr.training.baseline.BaselineTrainer;
import org.bicmr.training.baseline.DcmhConfig;
import org.bicmr.training.baseline.PrdhConfig;
import org.bicmr.training.baseline.Schedule;
import org.bicmr.training.baseline.SsahConfig;
import org.bicmr.training.baseline.SsahTrainer;
import org.bicmr.training.data.DatasetDirectory;
import org.bicmr.training.data.DatasetSplit;
import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.model.BiCmrConfig;
import org.bicmr.training.model.BiCmrNetwork;
import org.bicmr.training.model.BiCmrTrainer;
import org.bicmr.training.model.HashFunctions;
import org.bicmr.training.model.NetShape;
import org.bicmr.training.model.TrainedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bicmr train}: trains Bi-CMR, or a baseline ({@code --method dcmh|prdh|ssah|agah}), on a dataset directory
 * with its paper's settings unless told otherwise, and writes a model directory that {@code bicmr evaluate} reads.
 * Each method reads its own options (and the baselines the shared schedule options); another method's are refused.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Trains Bi-CMR (or an ablation, or a baseline: DCMH, PRDH, SSAH, AGAH) on a dataset and writes a "
        + "model directory.")
final class TrainCommand implements Callable<Integer> {
  /** Options that only Bi-CMR reads. */
  private static final List<String> BICMR_OPTIONS = List.of("--label-lr", "--halve-every", "--alpha", "--beta",
      "--gamma", "--delta", "--lambda", "--eta", "--ablation", "--no-ssr", "--no-m2l", "--no-l2m", "--no-cor",
      "--no-adjust", "--no-class", "--label-hidden", "--ssr-hidden", "--checkpoint");
  /** Options that only the baselines read, and which of them each baseline reads. */
  private static final List<String> BASELINE_OPTIONS = List.of("--lr-end", "--weight-decay", "--optimizer");
  private static final List<String> DCMH_OPTIONS = List.of("--dcmh-gamma", "--dcmh-eta");
  private static final List<String> PRDH_OPTIONS = List.of("--prdh-gamma", "--prdh-eta", "--prdh-lambda");
  private static final List<String> SSAH_OPTIONS = List.of("--ssah-alpha", "--ssah-gamma", "--ssah-beta",
      "--ssah-eta", "--ssah-delta", "--ssah-label-hidden", "--ssah-label-lr", "--ssah-text-lr", "--ssah-dis-lr");
  private static final List<String> AGAH_OPTIONS = List.of("--agah-alpha", "--agah-beta", "--agah-gamma",
      "--agah-eta", "--agah-mu", "--agah-lambda", "--agah-margin", "--agah-critic-lr", "--agah-critic-decay");
  /** Every method by its {@code --method} name, with the options only it reads. */
  private static final Map<String, List<String>> METHODS = methods();

  private static Map<String, List<String>> methods() {
    Map<String, List<String>> methods = new LinkedHashMap<>();
    methods.put(TrainedModel.BICMR, BICMR_OPTIONS);
    methods.put("dcmh", DCMH_OPTIONS);
    methods.put("prdh", PRDH_OPTIONS);
    methods.put("ssah", SSAH_OPTIONS);
    methods.put(TrainedModel.AGAH, AGAH_OPTIONS);
    return java.util.Collections.unmodifiableMap(methods);
  }

  @Spec CommandSpec spec;

  @Option(names = "--method", description = "bicmr (default), dcmh (Jiang and Li, CVPR 2017), prdh (Yang et al., "
      + "AAAI 2017), ssah (Li et al., CVPR 2018) or agah (Gu et al., ICMR 2019)")
  String method = TrainedModel.BICMR;

  @Option(names = "--data", required = true, description = "dataset directory (from 'bicmr generate')")
  Path data;

  @Option(names = "--out", required = true, description = "model directory to write")
  Path out;

  @Option(names = "--bits", description = "code length, a multiple of 8 (default: ${DEFAULT-VALUE})")
  int bits = 64;

  @Option(names = "--epochs", description = "epochs (default: 120 for bicmr, 500 for dcmh, prdh and ssah, 300 for "
      + "agah)")
  Integer epochs;

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

  @Option(names = "--lr", description = "learning rate of the image and text nets: Adam's for bicmr (default: 1e-4); "
      + "the first epoch's for dcmh and prdh (default: 10^-1.5), for agah (1e-3), of the image net for ssah "
      + "(10^-4.5)")
  Double lr;

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

  @Option(names = "--lr-end", description = "baselines: the last epoch's learning rate, reached geometrically "
      + "(default: 1e-3 for dcmh and prdh, --lr for ssah, 2.16e-4 for agah)")
  Double lrEnd;

  @Option(names = "--weight-decay", description = "baselines: weight decay (default: 5e-4; 0 for ssah)")
  Double weightDecay;

  @Option(names = "--optimizer", description = "baselines: sgd or adam (default: sgd for dcmh and prdh, adam for "
      + "ssah and agah)")
  String optimizer;

  @Option(names = "--dcmh-gamma", description = "dcmh: weight γ of the quantisation term (default: ${DEFAULT-VALUE})")
  double dcmhGamma = 1;

  @Option(names = "--dcmh-eta", description = "dcmh: weight η of the bit-balance term (default: ${DEFAULT-VALUE})")
  double dcmhEta = 1;

  @Option(names = "--prdh-gamma", description = "prdh: weight γ of the quantisation term (default: ${DEFAULT-VALUE})")
  double prdhGamma = 1;

  @Option(names = "--prdh-eta", description = "prdh: weight η of the bit-balance term (default: ${DEFAULT-VALUE})")
  double prdhEta = 1;

  @Option(names = "--prdh-lambda", description = "prdh: weight λ of the decorrelation term (default: ${DEFAULT-VALUE})")
  double prdhLambda = 1;

  @Option(names = "--ssah-alpha",
      description = "ssah: weight α of the feature-pair likelihood (default: ${DEFAULT-VALUE})")
  double ssahAlpha = 1;

  @Option(names = "--ssah-gamma",
      description = "ssah: weight γ of the code-pair likelihood (default: ${DEFAULT-VALUE})")
  double ssahGamma = 1;

  @Option(names = "--ssah-beta", description = "ssah: weight β of quantisation (default: ${DEFAULT-VALUE})")
  double ssahBeta = 1;

  @Option(names = "--ssah-eta", description = "ssah: weight η of label prediction (default: ${DEFAULT-VALUE})")
  double ssahEta = 1;

  @Option(names = "--ssah-delta", description = "ssah: weight δ of the adversarial term (default: ${DEFAULT-VALUE})")
  double ssahDelta = 1;

  @Option(names = "--ssah-label-hidden", description = "ssah: the label net's hidden width (default: ${DEFAULT-VALUE})")
  int ssahLabelHidden = 4096;

  @Option(names = "--ssah-label-lr",
      description = "ssah: the label net's first learning rate (default: ${DEFAULT-VALUE})")
  double ssahLabelLr = 1e-2;

  @Option(names = "--ssah-text-lr", description = "ssah: the text net's first learning rate (default: 10^-3.5)")
  Double ssahTextLr;

  @Option(names = "--ssah-dis-lr",
      description = "ssah: the discriminators' first learning rate (default: ${DEFAULT-VALUE})")
  double ssahDisLr = 1e-3;

  @Option(names = "--agah-alpha", description = "agah: weight α of the cosine quantisation (default: ${DEFAULT-VALUE})")
  double agahAlpha = 1;

  @Option(names = "--agah-beta", description = "agah: weight β of label classification (default: ${DEFAULT-VALUE})")
  double agahBeta = 0;

  @Option(names = "--agah-gamma", description = "agah: weight γ of the code-map term (default: ${DEFAULT-VALUE})")
  double agahGamma = 0.001;

  @Option(names = "--agah-eta", description = "agah: weight η of quantisation (default: ${DEFAULT-VALUE})")
  double agahEta = 1;

  @Option(names = "--agah-mu", description = "agah: weight μ of the adversarial term (default: ${DEFAULT-VALUE})")
  double agahMu = 1;

  @Option(names = "--agah-lambda", description = "agah: the features' share beside the label attention (default: "
      + "${DEFAULT-VALUE})")
  double agahLambda = 0.8;

  @Option(names = "--agah-margin", description = "agah: triplet margin on cosine distances (default: ${DEFAULT-VALUE})")
  double agahMargin = 0.3;

  @Option(names = "--agah-critic-lr",
      description = "agah: the critics' first learning rate (default: ${DEFAULT-VALUE})")
  double agahCriticLr = 1e-3;

  @Option(names = "--agah-critic-decay", description = "agah: the critics' weight decay (default: ${DEFAULT-VALUE})")
  double agahCriticDecay = 1e-4;

  @Option(names = "--checkpoint", description = "bicmr: checkpoint file, written every epoch, resumed from if present")
  Path checkpoint;

  @Option(names = "--quiet", description = "no progress bar") boolean quiet;

  /** Where the split, the settings, the epochs (with {@code --quiet}) and the result are reported. */
  java.io.PrintStream log = System.out;

  /** Each epoch's wall-clock seconds, filled as training goes. */
  final List<Double> epochSeconds = new ArrayList<>();

  BiCmrConfig config() {
    if (textHidden.length != 2) {
      throw new IllegalArgumentException("--text-hidden takes two widths (e.g. 1024,4096), got " + textHidden.length);
    }
    return new BiCmrConfig(bits, imageHidden, textHidden[0], textHidden[1], labelHidden, ssrHidden, alpha, beta, gamma,
        delta, lambda, eta, lr == null ? 1e-4 : lr, labelLr, batch, epochs == null ? 120 : epochs, halveEvery, seed,
        !noSsr, !noM2l, !noL2m, !noCor, !noAdjust, !noClass).withAblation(ablation);
  }

  /** The baselines' shared settings: Bi-CMR's image and text nets with the method's hash layer. */
  private NetShape nets(NetShape.Output output) {
    if (textHidden.length != 2) {
      throw new IllegalArgumentException("--text-hidden takes two widths (e.g. 1024,4096), got " + textHidden.length);
    }
    return new NetShape(bits, imageHidden, textHidden[0], textHidden[1], output);
  }

  /** The schedule from the flags, the method's {@code paper} schedule where a flag is not given. */
  private Schedule schedule(Schedule paper) {
    Schedule.Optimizer rule = optimizer == null ? paper.optimizer() : switch (optimizer.toLowerCase(Locale.ROOT)) {
      case "sgd" -> Schedule.Optimizer.SGD;
      case "adam" -> Schedule.Optimizer.ADAM;
      default -> throw new IllegalArgumentException("--optimizer must be sgd or adam, got " + optimizer);
    };
    double first = lr == null ? paper.learningRate() : lr;
    // a method whose rate is constant by default (ssah) keeps it constant at a given --lr
    double last = lrEnd != null ? lrEnd
        : paper.finalLearningRate() == paper.learningRate() ? first : paper.finalLearningRate();
    return new Schedule(batch, epochs == null ? paper.epochs() : epochs, rule, first, last,
        weightDecay == null ? paper.weightDecay() : weightDecay, seed);
  }

  /** DCMH's settings from the flags. */
  DcmhConfig dcmhConfig() {
    return new DcmhConfig(nets(NetShape.Output.LINEAR), schedule(Schedule.dcmh()), dcmhGamma, dcmhEta);
  }

  /** PRDH's settings from the flags. */
  PrdhConfig prdhConfig() {
    return new PrdhConfig(nets(NetShape.Output.LINEAR), schedule(Schedule.dcmh()), prdhGamma, prdhEta, prdhLambda);
  }

  /** SSAH's settings from the flags. */
  SsahConfig ssahConfig() {
    SsahConfig paper = SsahConfig.paper(bits);
    return new SsahConfig(nets(NetShape.Output.TANH), schedule(SsahConfig.paperSchedule()), ssahLabelHidden,
        ssahAlpha, ssahGamma, ssahBeta, ssahEta, ssahDelta, ssahLabelLr,
        ssahTextLr == null ? paper.textRate() : ssahTextLr, ssahDisLr);
  }

  /** AGAH's settings from the flags. */
  AgahConfig agahConfig() {
    return new AgahConfig(nets(NetShape.Output.TANH), schedule(AgahConfig.paperSchedule()), agahAlpha, agahBeta,
        agahGamma, agahEta, agahMu, agahLambda, agahMargin, agahCriticLr, agahCriticDecay);
  }

  /** The chosen baseline's settings (a record, stored in {@code model.json}) and its trainer on {@code training}. */
  private record Baseline(Object settings, NetShape nets, Schedule schedule, BaselineTrainer trainer) {}

  private Baseline baseline(PairedDataset training) {
    return switch (method) {
      case "dcmh" -> {
        DcmhConfig c = dcmhConfig();
        yield new Baseline(c, c.nets(), c.schedule(), AlternatingTrainer.dcmh(c, training));
      }
      case "prdh" -> {
        PrdhConfig c = prdhConfig();
        yield new Baseline(c, c.nets(), c.schedule(), AlternatingTrainer.prdh(c, training));
      }
      case "ssah" -> {
        SsahConfig c = ssahConfig();
        yield new Baseline(c, c.nets(), c.schedule(), new SsahTrainer(c, training));
      }
      case TrainedModel.AGAH -> {
        AgahConfig c = agahConfig();
        yield new Baseline(c, c.nets(), c.schedule(), new AgahTrainer(c, training));
      }
      default -> throw new IllegalArgumentException("--method: no baseline named \"" + method + "\"");
    };
  }

  /** Refuses an option that the chosen method would ignore. */
  private void checkOptions() {
    if (METHODS.containsKey(method) == false) {
      throw new IllegalArgumentException("--method must be " + String.join(", ", METHODS.keySet()).replaceFirst(
          ", (?=[^,]*$)", " or ") + ", got \"" + method + "\"");
    }
    List<String> foreign = new ArrayList<>();
    METHODS.forEach((name, options) -> {
      if (name.equals(method) == false) {
        foreign.addAll(options);
      }
    });
    if (TrainedModel.BICMR.equals(method)) {
      foreign.addAll(BASELINE_OPTIONS);
    }
    var parsed = spec.commandLine().getParseResult();
    for (String option : foreign) {
      if (parsed.hasMatchedOption(option)) {
        throw new IllegalArgumentException(option + " does not apply to --method " + method);
      }
    }
  }

  @Override
  public Integer call() throws Exception {
    checkOptions();
    if (TrainedModel.BICMR.equals(method) == false) {
      return trainBaseline();
    }
    BiCmrConfig config = config();
    PairedDataset all = DatasetDirectory.read(data);
    DatasetSplit split = DatasetSplit.random(all.size(), queries, trainSize, splitSeed);
    PairedDataset training = all.subset(split.train());
    log.printf(Locale.ROOT, "%s%nsplit (seed %d): %d queries, %d database items, %d training items%n", all,
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
          epochSeconds.add(seconds);
          if (bar == null) {
            log.printf(Locale.ROOT, "epoch %d/%d: %.1f s, loss per item %.3f (ssr %.2f, m2l %.2f, l2m %.2f, "
                + "cor %.2f, c %.3f)%n", epoch + 1, config.epochs(), seconds, mean[5], mean[0], mean[1], mean[2],
                mean[3], mean[4]);
          }
        }
      });
      double seconds = (System.nanoTime() - start) / 1e9;
      TrainedModel.save(out, net, split, new TrainedModel.Meta(all.name(), all.imageDim(), all.textDim(),
          all.labelCount(), config, losses, seconds));
      if (all.vocabulary() != null && !all.vocabulary().isEmpty()) {
        TrainedModel.saveVocabulary(out, all.vocabulary());
      }
    }
    log.printf(Locale.ROOT, "model written to %s (%.0f s)%n", out, (System.nanoTime() - start) / 1e9);
    return 0;
  }

  /** A baseline: its own training, then the same model directory as Bi-CMR's with the method's settings. */
  private int trainBaseline() throws java.io.IOException {
    PairedDataset all = DatasetDirectory.read(data);
    DatasetSplit split = DatasetSplit.random(all.size(), queries, trainSize, splitSeed);
    PairedDataset training = all.subset(split.train());
    Baseline baseline = baseline(training);
    Object settings = baseline.settings();
    NetShape shape = baseline.nets();
    BaselineTrainer trainer = baseline.trainer();
    log.printf(Locale.ROOT, "%s%nsplit (seed %d): %d queries, %d database items, %d training items%n%s: %s%n",
        all, splitSeed, split.query().length, split.database().length, split.train().length, method, settings);
    int totalEpochs = baseline.schedule().epochs();
    List<double[]> losses = new ArrayList<>();
    List<String> names = trainer.termNames();
    long start = System.nanoTime();
    try (NDManager manager = NDManager.newBaseManager();
        ProgressBar bar = quiet ? null : progressBar("train", (long) totalEpochs * trainer.stepsPerEpoch())) {
      HashFunctions nets = trainer.train(manager, new BaselineTrainer.Listener() {
        @Override
        public void stepDone(int epoch, int step, int steps, double loss) {
          if (bar != null) {
            bar.stepTo((long) epoch * steps + step + 1);
            bar.setExtraMessage(String.format(Locale.ROOT, " epoch %d/%d, step loss %.1f", epoch + 1, totalEpochs,
                loss));
          }
        }

        @Override
        public void epochDone(int epoch, double[] objective, double seconds) {
          losses.add(objective);
          epochSeconds.add(seconds);
          if (bar == null) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d: %.1f s, loss %.1f (",
                epoch + 1, totalEpochs, seconds, objective[objective.length - 1]));
            for (int i = 0; i < objective.length - 1; i++) {
              line.append(i > 0 ? ", " : "").append(names.get(i)).append(String.format(Locale.ROOT, " %.1f",
                  objective[i]));
            }
            log.println(line.append(')'));
          }
        }
      });
      double seconds = (System.nanoTime() - start) / 1e9;
      TrainedModel.save(out, nets, split, TrainedModel.Meta.baseline(method, all.name(), all.imageDim(),
          all.textDim(), all.labelCount(), shape, settings, losses, seconds));
      if (all.vocabulary() != null && !all.vocabulary().isEmpty()) {
        TrainedModel.saveVocabulary(out, all.vocabulary());
      }
    }
    log.printf(Locale.ROOT, "model written to %s (%.0f s)%n", out, (System.nanoTime() - start) / 1e9);
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
