package org.bicmr.training.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.bicmr.training.app.SplitPlan;
import org.bicmr.training.app.TrainRequest;
import org.bicmr.training.baseline.AgahConfig;
import org.bicmr.training.baseline.DcmhConfig;
import org.bicmr.training.baseline.PrdhConfig;
import org.bicmr.training.baseline.ProjectionConfig;
import org.bicmr.training.baseline.Schedule;
import org.bicmr.training.baseline.SsahConfig;
import org.bicmr.training.eval.Direction;
import org.bicmr.training.eval.Relevance;
import org.bicmr.training.model.BiCmrConfig;
import org.bicmr.training.model.NetShape;
import org.bicmr.training.model.TrainedModel;
import org.bicmr.training.model.TrainingConfig;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The settings options of {@code bicmr train} (a mixin of {@link TrainCommand}; also what {@code bicmr experiment}
 * and {@code bicmr bench epochs} parse their {@code --train-option} strings into, once): the code length, the split,
 * model selection, and every method's own options. Each option defaults to its method's config ({@link
 * BiCmrConfig#of}, {@link DcmhConfig#paper}, {@link PrdhConfig#paper}, {@link SsahConfig#paper}, {@link
 * AgahConfig#paper}, {@link NetShape#paper}) or to {@link SplitPlan#DEFAULT}: no default number is written here twice.
 * An option that the chosen method would ignore is refused ({@link #checkApplies}).
 */
final class TrainOptions {
  /** The code length when {@code --bits} is not given. */
  static final int DEFAULT_BITS = 64;
  /** The baselines' defaults, whose hyper-parameters do not depend on the code length. */
  private static final DcmhConfig DCMH = DcmhConfig.paper(DEFAULT_BITS);
  private static final PrdhConfig PRDH = PrdhConfig.paper(DEFAULT_BITS);
  private static final SsahConfig SSAH = SsahConfig.paper(DEFAULT_BITS);
  private static final AgahConfig AGAH = AgahConfig.paper(DEFAULT_BITS);

  /** Options that only Bi-CMR reads. */
  private static final List<String> BICMR_OPTIONS = List.of("--variant", "--label-lr", "--halve-every",
      "--halve-from-start", "--beta1", "--alpha", "--beta", "--gamma", "--delta", "--lambda", "--eta", "--similarity",
      "--reduction", "--reconstruction", "--correlation", "--classifier", "--label-pass", "--pairs", "--quantisation",
      "--balance", "--neighbours", "--instances", "--instance-temperature", "--instance-signs", "--omega-scale",
      "--cor-weight", "--class-weight", "--ablation", "--no-ssr", "--no-m2l", "--no-l2m", "--no-cor", "--no-class",
      "--class", "--label-hidden", "--ssr-hidden", "--standardize", "--checkpoint");
  /** Options that only the trained baselines read, and which of them each baseline reads. */
  private static final List<String> BASELINE_OPTIONS = List.of("--lr-end", "--optimizer");
  private static final List<String> DCMH_OPTIONS = List.of("--dcmh-gamma", "--dcmh-eta");
  private static final List<String> PRDH_OPTIONS = List.of("--prdh-gamma", "--prdh-eta", "--prdh-lambda");
  private static final List<String> SSAH_OPTIONS = List.of("--ssah-alpha", "--ssah-gamma", "--ssah-beta",
      "--ssah-eta", "--ssah-delta", "--ssah-label-hidden", "--ssah-label-lr", "--ssah-text-lr", "--ssah-dis-lr");
  private static final List<String> AGAH_OPTIONS = List.of("--agah-alpha", "--agah-beta", "--agah-gamma",
      "--agah-eta", "--agah-mu", "--agah-lambda", "--agah-margin", "--agah-critic-lr", "--agah-critic-decay");
  /** Options that the nets of the trained methods read, not the fixed projections. */
  private static final List<String> NET_OPTIONS = List.of("--epochs", "--batch", "--lr", "--image-hidden",
      "--text-hidden", "--centre-text", "--init", "--weight-decay");
  /** Every method by its {@code --method} name, with the options only it reads. */
  static final Map<String, List<String>> METHODS = methods();

  private static Map<String, List<String>> methods() {
    Map<String, List<String>> methods = new LinkedHashMap<>();
    methods.put(TrainedModel.BICMR, BICMR_OPTIONS);
    methods.put(DcmhConfig.METHOD, DCMH_OPTIONS);
    methods.put(PrdhConfig.METHOD, PRDH_OPTIONS);
    methods.put(SsahConfig.METHOD, SSAH_OPTIONS);
    methods.put(AgahConfig.METHOD, AGAH_OPTIONS);
    methods.put(ProjectionConfig.LINEAR, List.of());
    methods.put(ProjectionConfig.SIMHASH, List.of());
    return Collections.unmodifiableMap(methods);
  }

  @Option(names = "--bits", description = "code length, a multiple of 8 (default: ${DEFAULT-VALUE})")
  int bits = DEFAULT_BITS;

  @Option(names = "--epochs", description = "epochs (default: the variant's for bicmr (recommended 60, paper and "
      + "released 120), 500 for dcmh, prdh and ssah, 300 for agah)")
  Integer epochs;

  @Option(names = "--batch", description = "batch size (default: 128)")
  Integer batch;

  @Option(names = "--queries", description = "query items held out (default: ${DEFAULT-VALUE})")
  int queries = SplitPlan.DEFAULT.queries();

  @Option(names = "--train-size", description = "training items drawn from the database (default: ${DEFAULT-VALUE})")
  int trainSize = SplitPlan.DEFAULT.trainSize();

  @Option(names = "--validation", description = "training items held out to choose the epoch (or the linear "
      + "baseline's penalty) by validation MAP; 0: keep the last epoch (default: a tenth of --train-size)")
  Integer validation;

  @Option(names = "--refit", description = "once the validation items have chosen the epoch (or the linear "
      + "baseline's penalty), train again with the same settings on every training item, the validation items "
      + "included, and keep that epoch: the model learns from all --train-size items (twice the training time)")
  boolean refit;

  @Option(names = "--select-on", split = ",", description = "directions of the validation MAP: IQT, TQI, TQT "
      + "(default: IQT,TQI)")
  List<Direction> selectOn = Direction.CROSS_MODAL;

  @Option(names = "--select-relevance", description = "relevance of the validation MAP: S or G (default: S)")
  Relevance selectRelevance = Relevance.S;

  @Option(names = "--split-seed", description = "seed of the query/train/database split (default: ${DEFAULT-VALUE})")
  long splitSeed = SplitPlan.DEFAULT.seed();

  @Option(names = "--seed", description = "seed of initialisation and batch order (default: ${DEFAULT-VALUE})")
  long seed = BiCmrConfig.of(BiCmrConfig.Variant.RECOMMENDED, DEFAULT_BITS).optimiser().seed();

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

  @Option(names = "--lambda", description = "bicmr: the cosine threshold of the adjusted and cosine similarities "
      + "(S_ij and the label pass), 0.4 MIRFlickr / 0.7 NUS-WIDE (default: 0.4); the overlap similarity, the "
      + "recommended variant's, has none")
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
      + "(default: recommended 1, otherwise 0)")
  Double instances;

  @Option(names = "--instance-temperature", description = "bicmr: τ of L_inst's softmax over code cosines "
      + "(default: 0.1)")
  Double instanceTemperature;

  @Option(names = "--instance-signs", negatable = true, description = "bicmr: L_inst compares the codes' signs "
      + "(straight-through: the gradient passes as if through the tanh outputs) instead of the tanh outputs, so it "
      + "ranks the codes the index holds (default: recommended on, otherwise off; off whenever --instances is 0)")
  Boolean instanceSigns;

  @Option(names = "--omega-scale", description = "bicmr: ρ in every pairwise likelihood's Ω = ρ ½ h_iᵀ h_j (default: 1, "
      + "as printed; below 1 keeps similar pairs pulling closer at long codes: 0.5 ranked tag datasets better at 64 "
      + "bits, EXPERIMENTS.md)")
  Double omegaScale;

  @Option(names = "--cor-weight", description = "bicmr: weight of L_cor (default: 1, as printed)")
  Double correlationWeight;

  @Option(names = "--class-weight", description = "bicmr: weight of L_c (default: 1, as printed)")
  Double classificationWeight;

  @Option(names = "--ablation", description = "0 = full Bi-CMR, 1-5 = Bi-CMR1..5 of the paper's Table 4 (default: ${DEFAULT-VALUE})")
  int ablation;

  @Option(names = "--no-ssr", description = "bicmr: drop L_ssr") boolean noSsr;
  @Option(names = "--no-m2l", description = "bicmr: drop L_m2l") boolean noM2l;
  @Option(names = "--no-l2m", description = "bicmr: drop L_l2m") boolean noL2m;
  @Option(names = "--no-cor", description = "bicmr: drop L_cor") boolean noCor;
  @Option(names = "--no-class", description = "bicmr: drop L_c") boolean noClass;

  @Option(names = "--class", description = "bicmr: include L_c (every variant has it unless --no-class)") boolean withClass;

  @Option(names = "--image-hidden", description = "image net hidden width (default: 4096; "
      + "ssah 512, its released code's feature width)")
  Integer imageHidden;

  @Option(names = "--text-hidden", split = ",", description = "text net hidden widths (default: 1024,4096; "
      + "ssah 4096,512; baselines may give one width for a single hidden layer)")
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

  @Option(names = "--weight-decay", description = "bicmr: decoupled weight decay, AdamW's (default: 0); baselines: "
      + "weight decay added to the gradient (default: 5e-4; 0 for ssah)")
  Double weightDecay;

  @Option(names = "--optimizer", description = "baselines: sgd or adam (default: sgd for dcmh and prdh, adam for "
      + "ssah and agah)")
  String optimizer;

  @Option(names = "--dcmh-gamma", description = "dcmh: weight γ of the quantisation term (default: ${DEFAULT-VALUE})")
  double dcmhGamma = DCMH.gamma();

  @Option(names = "--dcmh-eta", description = "dcmh: weight η of the bit-balance term (default: ${DEFAULT-VALUE})")
  double dcmhEta = DCMH.eta();

  @Option(names = "--prdh-gamma", description = "prdh: weight γ of the quantisation term (default: ${DEFAULT-VALUE})")
  double prdhGamma = PRDH.gamma();

  @Option(names = "--prdh-eta", description = "prdh: weight η of the bit-balance term (default: ${DEFAULT-VALUE})")
  double prdhEta = PRDH.eta();

  @Option(names = "--prdh-lambda", description = "prdh: weight λ of the decorrelation term (default: ${DEFAULT-VALUE})")
  double prdhLambda = PRDH.lambda();

  @Option(names = "--ssah-alpha",
      description = "ssah: weight α of the feature-pair likelihood (default: ${DEFAULT-VALUE})")
  double ssahAlpha = SSAH.alpha();

  @Option(names = "--ssah-gamma",
      description = "ssah: weight γ of the code-pair likelihood (default: ${DEFAULT-VALUE})")
  double ssahGamma = SSAH.gamma();

  @Option(names = "--ssah-beta", description = "ssah: weight β of quantisation (default: ${DEFAULT-VALUE})")
  double ssahBeta = SSAH.beta();

  @Option(names = "--ssah-eta", description = "ssah: weight η of label prediction (default: ${DEFAULT-VALUE})")
  double ssahEta = SSAH.eta();

  @Option(names = "--ssah-delta", description = "ssah: weight δ of the adversarial term (default: ${DEFAULT-VALUE})")
  double ssahDelta = SSAH.delta();

  @Option(names = "--ssah-label-hidden", description = "ssah: the label net's hidden width (default: ${DEFAULT-VALUE})")
  int ssahLabelHidden = SSAH.labelHidden();

  @Option(names = "--ssah-label-lr",
      description = "ssah: the label net's first learning rate (default: ${DEFAULT-VALUE})")
  double ssahLabelLr = SSAH.labelRate();

  @Option(names = "--ssah-text-lr", description = "ssah: the text net's first learning rate (default: 10^-3.5)")
  Double ssahTextLr;

  @Option(names = "--ssah-dis-lr",
      description = "ssah: the discriminators' first learning rate (default: ${DEFAULT-VALUE})")
  double ssahDisLr = SSAH.discriminatorRate();

  @Option(names = "--agah-alpha", description = "agah: weight α of the cosine quantisation (default: ${DEFAULT-VALUE})")
  double agahAlpha = AGAH.alpha();

  @Option(names = "--agah-beta", description = "agah: weight β of label classification (default: ${DEFAULT-VALUE})")
  double agahBeta = AGAH.beta();

  @Option(names = "--agah-gamma", description = "agah: weight γ of the code-map term (default: ${DEFAULT-VALUE})")
  double agahGamma = AGAH.gamma();

  @Option(names = "--agah-eta", description = "agah: weight η of quantisation (default: ${DEFAULT-VALUE})")
  double agahEta = AGAH.eta();

  @Option(names = "--agah-mu", description = "agah: weight μ of the adversarial term (default: ${DEFAULT-VALUE})")
  double agahMu = AGAH.mu();

  @Option(names = "--agah-lambda", description = "agah: the features' share beside the label attention (default: "
      + "${DEFAULT-VALUE})")
  double agahLambda = AGAH.lambda();

  @Option(names = "--agah-margin", description = "agah: triplet margin on cosine distances (default: ${DEFAULT-VALUE})")
  double agahMargin = AGAH.margin();

  @Option(names = "--agah-critic-lr",
      description = "agah: the critics' first learning rate (default: ${DEFAULT-VALUE})")
  double agahCriticLr = AGAH.criticRate();

  @Option(names = "--agah-critic-decay", description = "agah: the critics' weight decay (default: ${DEFAULT-VALUE})")
  double agahCriticDecay = AGAH.criticDecay();

  /**
   * The request to train {@code method} (a {@code --method} name) with these options, after refusing those it would
   * ignore; its settings are resolved here, so a bad option fails before any work.
   *
   * @param given every name of every option given ({@link TrainCommand#given})
   * @param checkpoint a checkpoint file, or null; only Bi-CMR resumes from one
   * @param quiet no progress bar
   * @param log where the run is reported
   */
  TrainRequest request(String method, Set<String> given, Path data, Path out, Path checkpoint, boolean quiet,
      PrintStream log) {
    Set<String> all = new HashSet<>(given);
    if (checkpoint != null) {
      all.add("--checkpoint");
    }
    checkApplies(method, all);
    return new TrainRequest(data, out, config(method), split(), selectOn, selectRelevance, refit, checkpoint, quiet,
        log);
  }

  /**
   * Parses {@code bicmr train} option strings (no {@code --method}, {@code --data} or {@code --out}) into {@code
   * options}, once; what {@code options} held before is the default of every option not in {@code args}.
   *
   * @return every name of every option in {@code args}
   * @throws picocli.CommandLine.ParameterException when {@code args} are not valid options
   */
  static Set<String> parseInto(TrainOptions options, List<String> args) {
    return TrainCommand.given(new CommandLine(options).parseArgs(args.toArray(String[]::new)));
  }

  /** The split the options give. */
  SplitPlan split() {
    return new SplitPlan(queries, trainSize, validation, splitSeed);
  }

  /** The settings of {@code method} (a {@code --method} name) from the options, its config's where not given. */
  TrainingConfig config(String method) {
    return switch (method) {
      case TrainedModel.BICMR -> config();
      case DcmhConfig.METHOD -> dcmhConfig();
      case PrdhConfig.METHOD -> prdhConfig();
      case SsahConfig.METHOD -> ssahConfig();
      case AgahConfig.METHOD -> agahConfig();
      case ProjectionConfig.LINEAR, ProjectionConfig.SIMHASH ->
          new ProjectionConfig(method.equals(ProjectionConfig.LINEAR), bits, seed);
      default -> throw new IllegalArgumentException("--method: no method named \"" + method + "\"");
    };
  }

  /**
   * Refuses an unknown method, and an option that {@code method} would ignore.
   *
   * @param given every name of every option given (both names of a negatable option)
   */
  static void checkApplies(String method, Set<String> given) {
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
    if (List.of(DcmhConfig.METHOD, PrdhConfig.METHOD).contains(method) == false) {
      foreign.addAll(List.of("--centre-text", "--init"));
    }
    if (TrainedModel.PROJECTIONS.contains(method)) {
      foreign.addAll(BASELINE_OPTIONS);
      foreign.addAll(NET_OPTIONS);
    }
    for (String option : foreign) {
      if (given.contains(option)) {
        throw new IllegalArgumentException(option + " does not apply to --method " + method);
      }
    }
  }

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
        labelHidden == null ? w.label() : Arrays.stream(labelHidden).boxed().toList(),
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
        or(instanceTemperature, o.instanceTemperature()), instanceSigns(o),
        or(omegaScale, o.omegaScale()), or(correlationWeight, o.correlationWeight()),
        or(classificationWeight, o.classificationWeight()), !noSsr && o.useSsr(),
        !noM2l && o.useM2l(), !noL2m && o.useL2m(), !noCor && o.useCor(),
        withClass || (!noClass && o.useClassification()));
    BiCmrConfig.Optimiser p = preset.optimiser();
    BiCmrConfig.Optimiser optimiser = new BiCmrConfig.Optimiser(or(lr, p.learningRate()),
        or(labelLr, p.labelLearningRate()), or(beta1, p.beta1()), or(batch, p.batchSize()), or(epochs, p.epochs()),
        or(halveEvery, p.halveEvery()), or(halveFromStart, p.halveFromStart()), or(weightDecay, p.weightDecay()), seed);
    return new BiCmrConfig(preset.variant(), bits, widths, objective, optimiser).withAblation(ablation);
  }

  /**
   * Whether L_inst compares signs: as given, else the preset's — except that a preset's signs fall away with L_inst
   * when {@code --instances 0} switches it off, while an explicit {@code --instance-signs} there is refused.
   */
  private boolean instanceSigns(BiCmrConfig.Objective preset) {
    if (instanceSigns != null) {
      return instanceSigns;
    }
    return preset.instanceSigns() && or(instances, preset.instances()) > 0;
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
    throw new IllegalArgumentException(option + " must be one of " + String.join(", ", Arrays.stream(
        type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList()) + ", got \""
        + value + "\"");
  }

  /** A baseline's nets: the method's own ({@code paper}: Bi-CMR's widths but for SSAH's) where a flag is not given. */
  private NetShape nets(NetShape paper) {
    if (textHidden != null && (textHidden.length < 1 || textHidden.length > 2)) {
      throw new IllegalArgumentException("--text-hidden takes one or two widths (e.g. 1024,4096), got "
          + textHidden.length);
    }
    int[] text = textHidden == null ? new int[] {paper.textHidden1(), paper.textHidden2()} : textHidden;
    NetShape.Init start = init == null ? paper.init() : choice("--init", init, NetShape.Init.class);
    return new NetShape(bits, or(imageHidden, paper.imageHidden()), text[0], text.length > 1 ? text[1] : 0,
        paper.output(), start, centreText);
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
    DcmhConfig paper = DcmhConfig.paper(bits);
    return new DcmhConfig(nets(paper.nets()), schedule(paper.schedule()), dcmhGamma, dcmhEta);
  }

  /** PRDH's settings from the flags. */
  PrdhConfig prdhConfig() {
    PrdhConfig paper = PrdhConfig.paper(bits);
    return new PrdhConfig(nets(paper.nets()), schedule(paper.schedule()), prdhGamma, prdhEta, prdhLambda);
  }

  /** SSAH's settings from the flags. */
  SsahConfig ssahConfig() {
    SsahConfig paper = SsahConfig.paper(bits);
    return new SsahConfig(nets(paper.nets()), schedule(paper.schedule()), ssahLabelHidden, ssahAlpha,
        ssahGamma, ssahBeta, ssahEta, ssahDelta, ssahLabelLr, ssahTextLr == null ? paper.textRate() : ssahTextLr,
        ssahDisLr);
  }

  /** AGAH's settings from the flags. */
  AgahConfig agahConfig() {
    AgahConfig paper = AgahConfig.paper(bits);
    return new AgahConfig(nets(paper.nets()), schedule(paper.schedule()), agahAlpha, agahBeta, agahGamma, agahEta,
        agahMu, agahLambda, agahMargin, agahCriticLr, agahCriticDecay);
  }
}
