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
import org.bicmr.training.baseline.LinearCodes;
import org.bicmr.training.baseline.PrdhConfig;
import org.bicmr.training.baseline.Schedule;
import org.bicmr.training.baseline.SsahConfig;
import org.bicmr.training.baseline.SsahTrainer;
import org.bicmr.training.data.DatasetDirectory;
import org.bicmr.training.data.DatasetSplit;
import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.eval.Direction;
import org.bicmr.training.eval.Relevance;
import org.bicmr.training.eval.ValidationScore;
import org.bicmr.training.model.BiCmrConfig;
import org.bicmr.training.model.BiCmrLoss;
import org.bicmr.training.model.BiCmrNetwork;
import org.bicmr.training.model.BiCmrTrainer;
import org.bicmr.training.model.EpochSelection;
import org.bicmr.training.model.HashFunctions;
import org.bicmr.training.model.NetShape;
import org.bicmr.training.model.TrainedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bicmr train}: trains Bi-CMR (a variant: {@code --variant recommended|paper|released}, the default the
 * recommended one), or a baseline ({@code --method dcmh|prdh|ssah|agah|linear|simhash}), on a dataset directory, and
 * writes a model directory that {@code bicmr evaluate} reads. Every Bi-CMR option defaults to its variant's setting
 * ({@link BiCmrConfig#of}); each baseline's to its paper's. A share of the training items ({@code --validation}) is held
 * out to choose the epoch whose parameters the model keeps (validation MAP; never the queries); the last epoch's are
 * kept beside them. Each method reads its own options (and the baselines the shared schedule options); another
 * method's are refused.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Trains Bi-CMR (a variant, an ablation) or a baseline (DCMH, PRDH, SSAH, AGAH, linear, SimHash) on "
        + "a dataset and writes a model directory.")
final class TrainCommand implements Callable<Integer> {
  /** Options that only Bi-CMR reads. */
  private static final List<String> BICMR_OPTIONS = List.of("--variant", "--label-lr", "--halve-every",
      "--halve-from-start", "--beta1", "--alpha", "--beta", "--gamma", "--delta", "--lambda", "--eta", "--similarity",
      "--reduction", "--reconstruction", "--correlation", "--classifier", "--label-pass", "--pairs", "--quantisation",
      "--balance", "--neighbours", "--instances", "--instance-temperature", "--omega-scale", "--ablation", "--no-ssr", "--no-m2l", "--no-l2m", "--no-cor", "--no-class", "--class",
      "--label-hidden", "--ssr-hidden", "--standardize", "--checkpoint");
  /** Options that only the trained baselines read, and which of them each baseline reads. */
  private static final List<String> BASELINE_OPTIONS = List.of("--lr-end", "--weight-decay", "--optimizer");
  private static final List<String> DCMH_OPTIONS = List.of("--dcmh-gamma", "--dcmh-eta");
  private static final List<String> PRDH_OPTIONS = List.of("--prdh-gamma", "--prdh-eta", "--prdh-lambda");
  private static final List<String> SSAH_OPTIONS = List.of("--ssah-alpha", "--ssah-gamma", "--ssah-beta",
      "--ssah-eta", "--ssah-delta", "--ssah-label-hidden", "--ssah-label-lr", "--ssah-text-lr", "--ssah-dis-lr");
  private static final List<String> AGAH_OPTIONS = List.of("--agah-alpha", "--agah-beta", "--agah-gamma",
      "--agah-eta", "--agah-mu", "--agah-lambda", "--agah-margin", "--agah-critic-lr", "--agah-critic-decay");
  /** Options that the nets of the trained methods read, not the fixed projections. */
  private static final List<String> NET_OPTIONS = List.of("--epochs", "--batch", "--lr", "--image-hidden",
      "--text-hidden", "--centre-text", "--init");
  /** Every method by its {@code --method} name, with the options only it reads. */
  private static final Map<String, List<String>> METHODS = methods();

  private static Map<String, List<String>> methods() {
    Map<String, List<String>> methods = new LinkedHashMap<>();
    methods.put(TrainedModel.BICMR, BICMR_OPTIONS);
    methods.put("dcmh", DCMH_OPTIONS);
    methods.put("prdh", PRDH_OPTIONS);
    methods.put("ssah", SSAH_OPTIONS);
    methods.put(TrainedModel.AGAH, AGAH_OPTIONS);
    methods.put("linear", List.of());
    methods.put("simhash", List.of());
    return java.util.Collections.unmodifiableMap(methods);
  }

  @Spec CommandSpec spec;

  @Option(names = "--method", description = "bicmr (default), dcmh (Jiang and Li, CVPR 2017), prdh (Yang et al., "
      + "AAAI 2017), ssah (Li et al., CVPR 2018), agah (Gu et al., ICMR 2019), linear (ridge regression to the "
      + "labels, random hyperplanes) or simhash (random hyperplanes over tf-idf, unsupervised)")
  String method = TrainedModel.BICMR;

  @Option(names = "--data", required = true, description = "dataset directory (from 'bicmr generate')")
  Path data;

  @Option(names = "--out", required = true, description = "model directory to write")
  Path out;

  @Option(names = "--bits", description = "code length, a multiple of 8 (default: ${DEFAULT-VALUE})")
  int bits = 64;

  @Option(names = "--epochs", description = "epochs (default: the variant's for bicmr (recommended 60, paper and "
      + "released 120), 500 for dcmh, prdh and ssah, 300 for agah)")
  Integer epochs;

  @Option(names = "--batch", description = "batch size (default: 128)")
  Integer batch;

  @Option(names = "--queries", description = "query items held out (default: ${DEFAULT-VALUE})")
  int queries = 2000;

  @Option(names = "--train-size", description = "training items drawn from the database (default: ${DEFAULT-VALUE})")
  int trainSize = 10_000;

  @Option(names = "--validation", description = "training items held out to choose the epoch (or the linear "
      + "baseline's penalty) by validation MAP; 0: keep the last epoch (default: a tenth of --train-size)")
  Integer validation;

  @Option(names = "--select-on", split = ",", description = "directions of the validation MAP: IQT, TQI, TQT "
      + "(default: IQT,TQI)")
  List<Direction> selectOn = Direction.CROSS_MODAL;

  @Option(names = "--select-relevance", description = "relevance of the validation MAP: S or G (default: S)")
  Relevance selectRelevance = Relevance.S;

  @Option(names = "--split-seed", description = "seed of the query/train/database split (default: ${DEFAULT-VALUE})")
  long splitSeed = 42;

  @Option(names = "--seed", description = "seed of initialisation and batch order (default: ${DEFAULT-VALUE})")
  long seed = 42;

  @Option(names = "--lr", description = "learning rate of the image and text nets: Adam's for bicmr (default: the "
      + "variant's, recommended 1e-3, paper and released 1e-4); the first epoch's for dcmh and prdh (default: "
      + "10^-1.5), for agah (1e-3), of the image net for ssah (10^-4.5)")
  Double lr;

  @Option(names = "--variant", description = "bicmr: recommended (default), paper (the equations as printed) or "
      + "released (the authors' code); every other bicmr option defaults to the variant's setting")
  String variant = BiCmrConfig.Variant.RECOMMENDED.option();

  @Option(names = "--label-lr", description = "bicmr: Adam learning rate of the multi-label net (default: 1e-3)")
  Double labelLr;

  @Option(names = "--beta1", description = "bicmr: Adam's beta1 (default: 0.9; released 0.5)")
  Double beta1;

  @Option(names = "--halve-every", description = "bicmr: halve the learning rates every N epochs (default: 20)")
  Integer halveEvery;

  @Option(names = "--halve-from-start", negatable = true, description = "bicmr: halve after the first epoch and then "
      + "every N (the released code), not after epoch N (default: released only)")
  Boolean halveFromStart;

  @Option(names = "--alpha", description = "bicmr: weight of L_ssr (default: 0.01)")
  Double alpha;

  @Option(names = "--beta", description = "bicmr: weight of L_m2l (default: 0.01)")
  Double beta;

  @Option(names = "--gamma", description = "bicmr: weight of L_l2m (default: 0.01)")
  Double gamma;

  @Option(names = "--delta", description = "bicmr: label code weight in the adjusted similarity (default: 0.01)")
  Double delta;

  @Option(names = "--lambda", description = "bicmr: cosine similarity threshold, 0.4 MIRFlickr / 0.7 NUS-WIDE "
      + "(default: 0.4)")
  Double lambda;

  @Option(names = "--eta", description = "bicmr: image/text balance in L_m2l (default: 0.9)")
  Double eta;

  @Option(names = "--similarity", description = "bicmr: S_ij: adjusted (labels and label codes, the paper's), "
      + "cosine (labels, against lambda) or overlap (a shared label) (default: the variant's; recommended overlap)")
  String similarity;

  @Option(names = "--reduction", description = "bicmr: sum (as printed) or mean (the released code) over the batch")
  String reduction;

  @Option(names = "--reconstruction", description = "bicmr: euclidean (Eq. 1, a head on the hash code) or "
      + "bottleneck (the released code's linear bottleneck and KL term)")
  String reconstruction;

  @Option(names = "--correlation", description = "bicmr: L_cor as paper (3 terms), released (5 terms, label codes "
      + "detached) or training-set (against the label codes of every training item)")
  String correlation;

  @Option(names = "--classifier", description = "bicmr: L_c as sigmoid-positive (Eq. 6 as printed), softmax (the "
      + "released code, needs the bottleneck) or bce (binary cross-entropy)")
  String classifier;

  @Option(names = "--label-pass", negatable = true, description = "bicmr: open every epoch with a pass that trains "
      + "the label net alone (the released code's; default: released and recommended)")
  Boolean labelPass;

  @Option(names = "--pairs", description = "bicmr: weight of the pair term against the codes of every training item "
      + "(default: recommended 20, otherwise 0)")
  Double pairs;

  @Option(names = "--quantisation", description = "bicmr: weight of the quantisation term (default: recommended 0.1, "
      + "otherwise 0)")
  Double quantisation;

  @Option(names = "--balance", description = "bicmr: weight of the bit-balance term (default: recommended 0.1, "
      + "otherwise 0)")
  Double balance;

  @Option(names = "--neighbours", description = "bicmr: weight of L_nbr, each net's code cosines within a batch against "
      + "its standardised input features' cosines (the sentence encoder's and the image extractor's neighbourhoods; "
      + "default: 0)")
  Double neighbours;

  @Option(names = "--instances", description = "bicmr: weight of L_inst, a contrastive term that puts each picture's "
      + "own text (and the texts of its split group, e.g. its other styles) nearer than the batch's other items "
      + "(default: 0)")
  Double instances;

  @Option(names = "--instance-temperature", description = "bicmr: τ of L_inst's softmax over code cosines "
      + "(default: 0.1)")
  Double instanceTemperature;

  @Option(names = "--omega-scale", description = "bicmr: ρ in every pairwise likelihood's Ω = ρ ½ h_iᵀ h_j (default: 1, "
      + "as printed; below 1 keeps similar pairs pulling closer at long codes)")
  Double omegaScale;

  @Option(names = "--ablation", description = "0 = full Bi-CMR, 1-5 = Bi-CMR1..5 of the paper's Table 4 (default: ${DEFAULT-VALUE})")
  int ablation = 0;

  @Option(names = "--no-ssr", description = "bicmr: drop L_ssr") boolean noSsr;
  @Option(names = "--no-m2l", description = "bicmr: drop L_m2l") boolean noM2l;
  @Option(names = "--no-l2m", description = "bicmr: drop L_l2m") boolean noL2m;
  @Option(names = "--no-cor", description = "bicmr: drop L_cor") boolean noCor;
  @Option(names = "--no-class", description = "bicmr: drop L_c") boolean noClass;

  @Option(names = "--class", description = "bicmr: include L_c (every variant has it unless --no-class)") boolean withClass;

  @Option(names = "--image-hidden", description = "image net hidden width (default: 4096)")
  Integer imageHidden;

  @Option(names = "--text-hidden", split = ",", description = "text net hidden widths (default: 1024,4096; "
      + "baselines may give one width for a single hidden layer)")
  int[] textHidden;

  @Option(names = "--label-hidden", split = ",", description = "bicmr: multi-label net hidden widths (default: the "
      + "variant's, 4096; released 1024,4096)")
  int[] labelHidden;

  @Option(names = "--ssr-hidden", description = "bicmr: SSR width (default: 1024)")
  Integer ssrHidden;

  @Option(names = "--standardize", negatable = true, description = "bicmr: standardise each input feature by the "
      + "training items' mean and deviation (default: recommended only)")
  Boolean standardize;

  @Option(names = "--centre-text", description = "dcmh, prdh: subtract the training items' mean from every text vector "
      + "(the released DCMH's normZeroMean)")
  boolean centreText;

  @Option(names = "--init", description = "dcmh, prdh: xavier (default) or normal (N(0, 0.01^2) weights and biases, "
      + "the released DCMH's)")
  String init;
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

  /** Bi-CMR's settings: the variant's, with every option given on the command line applied. */
  BiCmrConfig config() {
    if (withClass && noClass) {
      throw new IllegalArgumentException("--class and --no-class contradict each other: give one");
    }
    BiCmrConfig preset = BiCmrConfig.of(choice("--variant", variant, BiCmrConfig.Variant.class), bits);
    BiCmrConfig.Widths w = preset.widths();
    if (textHidden != null && textHidden.length != 2) {
      throw new IllegalArgumentException("--text-hidden takes two widths for bicmr (e.g. 1024,4096), got "
          + textHidden.length);
    }
    BiCmrConfig.Widths widths = new BiCmrConfig.Widths(or(imageHidden, w.image()),
        textHidden == null ? w.text1() : textHidden[0], textHidden == null ? w.text2() : textHidden[1],
        labelHidden == null ? w.label() : java.util.Arrays.stream(labelHidden).boxed().toList(),
        or(ssrHidden, w.ssr()), or(standardize, w.standardize()));
    BiCmrConfig.Objective o = preset.objective();
    BiCmrConfig.Objective objective = new BiCmrConfig.Objective(
        reduction == null ? o.reduction() : choice("--reduction", reduction, BiCmrConfig.Reduction.class),
        reconstruction == null ? o.reconstruction()
            : choice("--reconstruction", reconstruction, BiCmrConfig.Reconstruction.class),
        correlation == null ? o.correlation() : choice("--correlation", correlation, BiCmrConfig.Correlation.class),
        classifier == null ? o.classifier() : choice("--classifier", "bce".equalsIgnoreCase(classifier)
            ? "binary-cross-entropy" : classifier, BiCmrConfig.Classifier.class),
        similarity == null ? o.similarity() : choice("--similarity", similarity, BiCmrConfig.Similarity.class),
        o.inclusive(), o.labelCodeSigns(), or(alpha, o.alpha()), or(beta, o.beta()), or(gamma, o.gamma()),
        or(delta, o.delta()), or(lambda, o.lambda()), or(eta, o.eta()), or(labelPass, o.labelPass()),
        or(pairs, o.pairs()), or(quantisation, o.quantisation()), or(balance, o.balance()),
        or(neighbours, o.neighbours()), or(instances, o.instances()),
        or(instanceTemperature, o.instanceTemperature()), or(omegaScale, o.omegaScale()), !noSsr && o.useSsr(),
        !noM2l && o.useM2l(), !noL2m && o.useL2m(), !noCor && o.useCor(),
        withClass || (!noClass && o.useClassification()));
    BiCmrConfig.Optimiser p = preset.optimiser();
    BiCmrConfig.Optimiser optimiser = new BiCmrConfig.Optimiser(or(lr, p.learningRate()),
        or(labelLr, p.labelLearningRate()), or(beta1, p.beta1()), or(batch, p.batchSize()), or(epochs, p.epochs()),
        or(halveEvery, p.halveEvery()), or(halveFromStart, p.halveFromStart()), seed);
    return new BiCmrConfig(preset.variant(), bits, widths, objective, optimiser).withAblation(ablation);
  }

  private static <T> T or(T given, T preset) {
    return given == null ? preset : given;
  }

  /** The constant of {@code type} that an option names, case and '-' / '_' aside; a clear error otherwise. */
  static <E extends Enum<E>> E choice(String option, String value, Class<E> type) {
    String key = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(key)) {
        return e;
      }
    }
    throw new IllegalArgumentException(option + " must be one of " + String.join(", ", java.util.Arrays.stream(
        type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList()) + ", got \""
        + value + "\"");
  }

  /** The baselines' shared settings: Bi-CMR's image and text nets with the method's hash layer. */
  private NetShape nets(NetShape.Output output) {
    if (textHidden != null && (textHidden.length < 1 || textHidden.length > 2)) {
      throw new IllegalArgumentException("--text-hidden takes one or two widths (e.g. 1024,4096), got "
          + textHidden.length);
    }
    int[] text = textHidden == null ? new int[] {1024, 4096} : textHidden;
    NetShape.Init start = init == null ? NetShape.Init.XAVIER : choice("--init", init, NetShape.Init.class);
    return new NetShape(bits, or(imageHidden, 4096), text[0], text.length > 1 ? text[1] : 0, output, start,
        centreText);
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
    return new Schedule(or(batch, paper.batchSize()), epochs == null ? paper.epochs() : epochs, rule, first, last,
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

  /** The settings of a fixed projection (linear, simhash): the code length and the seed of its hyperplanes. */
  record ProjectionSettings(int bits, long seed, String features) {}

  /** The chosen baseline's settings (a record, stored in {@code model.json}) and its trainer on {@code training}. */
  private record Baseline(Object settings, NetShape nets, int epochs, BaselineTrainer trainer) {}

  private Baseline baseline(PairedDataset training, EpochSelection.Score score) {
    return switch (method) {
      case "dcmh" -> {
        DcmhConfig c = dcmhConfig();
        yield new Baseline(c, c.nets(), c.schedule().epochs(), AlternatingTrainer.dcmh(c, training));
      }
      case "prdh" -> {
        PrdhConfig c = prdhConfig();
        yield new Baseline(c, c.nets(), c.schedule().epochs(), AlternatingTrainer.prdh(c, training));
      }
      case "ssah" -> {
        SsahConfig c = ssahConfig();
        yield new Baseline(c, c.nets(), c.schedule().epochs(), new SsahTrainer(c, training));
      }
      case TrainedModel.AGAH -> {
        AgahConfig c = agahConfig();
        yield new Baseline(c, c.nets(), c.schedule().epochs(), new AgahTrainer(c, training));
      }
      case "linear", "simhash" -> {
        boolean supervised = method.equals("linear");
        // the projection's shape: hyperplanes of the code length (nets record the bits for model.json)
        NetShape shape = new NetShape(bits, 1, 1, 0, NetShape.Output.LINEAR);
        yield new Baseline(new ProjectionSettings(bits, seed, supervised
            ? "ridge regression of tf-idf (bag of words) or standardised features to the labels, penalty chosen on "
                + "validation from " + java.util.Arrays.toString(LinearCodes.PENALTIES) + "; random hyperplanes "
                + "over the centred predictions"
            : "random hyperplanes over tf-idf (bag of words) or standardised features"), shape, 1,
            new LinearCodes(supervised, bits, seed, training, score));
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
    if (List.of("dcmh", "prdh").contains(method) == false) {
      foreign.addAll(List.of("--centre-text", "--init"));
    }
    if (TrainedModel.PROJECTIONS.contains(method)) {
      foreign.addAll(BASELINE_OPTIONS);
      foreign.addAll(NET_OPTIONS);
    }
    var parsed = spec.commandLine().getParseResult();
    for (String option : foreign) {
      if (parsed.hasMatchedOption(option)) {
        throw new IllegalArgumentException(option + " does not apply to --method " + method);
      }
    }
  }

  /**
   * The split, with the validation items held out of the training items; on a dataset with split groups (every style
   * of one emoji), whole groups on each side.
   */
  private DatasetSplit split(PairedDataset all) {
    int[] groups = all.splitGroups();
    DatasetSplit split = groups == null ? DatasetSplit.random(all.size(), queries, trainSize, splitSeed)
        : DatasetSplit.grouped(groups, queries, trainSize, splitSeed);
    int held = validation == null ? split.train().length / 10 : validation;
    return held == 0 ? split : split.withValidation(held, groups);
  }

  /** The score of model selection on the validation items, or null without them. */
  private EpochSelection.Score score(PairedDataset all, DatasetSplit split) {
    if (split.validation().length == 0) {
      return null;
    }
    int[] train = split.train();
    PairedDataset items = all.subset(train);
    int[] validationRows = positions(train, split.validation());
    int[] fitRows = positions(train, split.fit());
    return new ValidationScore(items, validationRows, fitRows, selectOn, selectRelevance);
  }

  /** The positions of {@code items} in the ascending array {@code within}. */
  private static int[] positions(int[] within, int[] items) {
    return java.util.Arrays.stream(items).map(i -> java.util.Arrays.binarySearch(within, i)).toArray();
  }

  @Override
  public Integer call() throws Exception {
    checkOptions();
    BiCmrConfig config = TrainedModel.BICMR.equals(method) ? config() : null; // bad options fail before any work
    PairedDataset all = DatasetDirectory.read(data);
    DatasetSplit split = split(all);
    PairedDataset training = all.subset(split.fit());
    EpochSelection.Score score = score(all, split);
    log.printf(Locale.ROOT, "%s%nsplit (seed %d): %d queries, %d database items, %d training items (%d trained on, "
        + "%d held out for validation)%n", all, splitSeed, split.query().length, split.database().length,
        split.train().length, training.size(), split.validation().length);
    long start = System.nanoTime();
    if (config != null) {
      trainBiCmr(config, all, split, training, score, start);
    } else {
      trainBaseline(all, split, training, score, start);
    }
    if (all.vocabulary() != null && !all.vocabulary().isEmpty()) {
      TrainedModel.saveVocabulary(out, all.vocabulary());
    }
    log.printf(Locale.ROOT, "model written to %s (%.0f s)%n", out, (System.nanoTime() - start) / 1e9);
    return 0;
  }

  private void trainBiCmr(BiCmrConfig config, PairedDataset all, DatasetSplit split, PairedDataset training,
      EpochSelection.Score score, long start) throws java.io.IOException {
    log.printf(Locale.ROOT, "bicmr: %s%n", config);
    List<double[]> losses = new ArrayList<>();
    int epochCount = config.optimiser().epochs();
    int batches = (training.size() + config.optimiser().batchSize() - 1) / config.optimiser().batchSize();
    EpochSelection selection = score == null ? null : new EpochSelection(score);
    try (NDManager manager = NDManager.newBaseManager();
        ProgressBar bar = quiet ? null : progressBar("train", (long) epochCount * batches)) {
      BiCmrNetwork net = new BiCmrTrainer(config, training, checkpoint, selection).train(manager,
          new BiCmrTrainer.Listener() {
            @Override
            public void batchDone(int epoch, int b, int total, double[] terms) {
              if (bar != null) {
                bar.stepTo((long) epoch * total + b + 1);
                bar.setExtraMessage(String.format(Locale.ROOT, " epoch %d/%d, batch loss %.3f", epoch + 1,
                    epochCount, terms[terms.length - 1]));
              }
            }

            @Override
            public void epochDone(int epoch, double[] mean, double score, double seconds) {
              losses.add(mean);
              epochSeconds.add(seconds);
              if (bar == null) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d: %.1f s, loss %.4f (",
                    epoch + 1, epochCount, seconds, mean[mean.length - 1]));
                for (int i = 0; i < mean.length - 1; i++) {
                  line.append(i > 0 ? ", " : "").append(BiCmrLoss.TERM_NAMES[i])
                      .append(String.format(Locale.ROOT, " %.4g", mean[i]));
                }
                line.append(')');
                if (Double.isNaN(score) == false) {
                  line.append(String.format(Locale.ROOT, ", validation MAP %.4f", score));
                }
                log.println(line);
              }
            }
          });
      double seconds = (System.nanoTime() - start) / 1e9;
      TrainedModel.Meta meta = new TrainedModel.Meta(all.name(), all.imageDim(), all.textDim(), all.labelCount(),
          config, losses, seconds);
      save(net, selection, split, meta);
    }
  }

  /** A baseline: its own training, then the same model directory as Bi-CMR's with the method's settings. */
  private void trainBaseline(PairedDataset all, DatasetSplit split, PairedDataset training, EpochSelection.Score score,
      long start) throws java.io.IOException {
    Baseline baseline = baseline(training, score);
    BaselineTrainer trainer = baseline.trainer();
    log.printf(Locale.ROOT, "%s: %s%n", method, baseline.settings());
    int totalEpochs = baseline.epochs();
    List<double[]> losses = new ArrayList<>();
    List<String> names = trainer.termNames();
    // the projections choose their penalty on the validation items themselves: one "epoch", nothing to select
    EpochSelection selection = score == null || TrainedModel.PROJECTIONS.contains(method) ? null
        : new EpochSelection(score);
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
        public void epochDone(int epoch, double[] objective, double seconds, HashFunctions current) {
          losses.add(objective);
          epochSeconds.add(seconds);
          double s = selection == null ? Double.NaN : selection.epochDone(epoch, current);
          if (bar == null) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d: %.1f s, loss %.1f (",
                epoch + 1, totalEpochs, seconds, objective[objective.length - 1]));
            for (int i = 0; i < objective.length - 1; i++) {
              line.append(i > 0 ? ", " : "").append(names.get(i)).append(String.format(Locale.ROOT, " %.4g",
                  objective[i]));
            }
            line.append(')');
            if (Double.isNaN(s) == false) {
              line.append(String.format(Locale.ROOT, ", validation MAP %.4f", s));
            }
            log.println(line);
          }
        }
      });
      double seconds = (System.nanoTime() - start) / 1e9;
      save(nets, selection, split, TrainedModel.Meta.baseline(method, all.name(), all.imageDim(), all.textDim(),
          all.labelCount(), baseline.nets(), baseline.settings(), losses, seconds));
    }
  }

  /** Writes the model: the selected epoch's parameters and the last epoch's, or the last alone without selection. */
  private void save(HashFunctions last, EpochSelection selection, DatasetSplit split, TrainedModel.Meta meta)
      throws java.io.IOException {
    if (selection == null) {
      TrainedModel.save(out, last, split, meta);
      return;
    }
    TrainedModel.Meta selected = meta.withSelection(TrainedModel.Selection.of(selection));
    TrainedModel.save(out, last, selection.bestParameters(), split, selected);
    log.printf(Locale.ROOT, "selected epoch %d of %d (%s %.4f; last epoch %.4f)%n", selection.bestEpoch() + 1,
        selection.history().size(), selection.description(), selection.bestScore(),
        selection.history().get(selection.history().size() - 1));
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
