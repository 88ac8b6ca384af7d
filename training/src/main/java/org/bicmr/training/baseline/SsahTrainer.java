package org.bicmr.training.baseline;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.model.EpochSelection;
import org.bicmr.training.model.HashNets;
import org.bicmr.training.model.Trainer;

/**
 * Trains SSAH (Li et al., CVPR 2018) as its released code does (lelan-li/SSAH): each epoch, first the label net
 * (labels → hidden → semantic features F^l → codes H^l and predicted labels), which keeps F^l and H^l of every
 * training item in buffers; then the two discriminators (label-net features against image features, and against text
 * features); then the image net and the text net, each against the label net's buffers with its discriminator fixed
 * ({@link SsahLoss}). Every step draws a fresh random batch; there are ⌈n / batch⌉ steps per net and epoch. Reported
 * per epoch: the mean step terms of the three nets summed, the discriminators' mean loss, and the nets' total.
 */
public final class SsahTrainer implements Trainer {
  private final SsahConfig config;
  private final SsahLoss loss;
  private final TrainingItems items;
  private final PairedDataset data;
  private final EpochSelection selection;

  /** SSAH on the training pairs {@code data}, keeping the last epoch. */
  public SsahTrainer(SsahConfig config, PairedDataset data) {
    this(config, data, null);
  }

  /** SSAH on the training pairs {@code data}; {@code selection} (or null) scores every epoch. */
  public SsahTrainer(SsahConfig config, PairedDataset data, EpochSelection selection) {
    this.items = new TrainingItems(method(), data);
    this.config = config;
    this.loss = new SsahLoss(config);
    this.data = data;
    this.selection = selection;
  }

  @Override
  public String method() {
    return "ssah";
  }

  /** The nets' terms ({@link SsahLoss#termNames()}), the discriminators' loss, and the nets' weighted total. */
  @Override
  public List<String> termNames() {
    return EpochTerms.names(SsahLoss.termNames(), "discriminator");
  }

  @Override
  public int epochs() {
    return config.schedule().epochs();
  }

  @Override
  public EpochSelection selection() {
    return selection;
  }

  @Override
  public int stepsPerEpoch() {
    return 4 * stepsPerNet();
  }

  private int stepsPerNet() {
    return items.steps(config.schedule().batchSize());
  }

  /** The label net: a trunk to the semantic features, and the code and label heads on them. */
  private record LabelNet(Dense trunk, Dense codes, Dense labels) {
    List<Parameter> parameters() {
      List<Parameter> all = new ArrayList<>(trunk.parameters());
      all.addAll(codes.parameters());
      all.addAll(labels.parameters());
      return all;
    }
  }

  /** Everything that learns, and the label net's buffers. */
  private final class Nets {
    final HashNets hash;
    final LabelNet label;
    final Dense imageLabels;
    final Dense textLabels;
    final Dense imageCritic;
    final Dense textCritic;
    final float[] labelFeatures;
    final float[] labelCodes;

    Nets(NDManager manager, SplittableRandom random) {
      int e = config.nets().imageHidden();
      int l = config.nets().bits();
      int c = data.labelCount();
      long seed = config.schedule().seed();
      hash = new HashNets(config.nets(), data.imageDim(), data.textDim(), seed, manager, DataType.FLOAT32);
      label = new LabelNet(new Dense(c, new int[] {config.labelHidden(), e}, seed + 1, manager),
          new Dense(e, new int[] {l}, seed + 2, manager), new Dense(e, new int[] {c}, seed + 3, manager));
      imageLabels = new Dense(e, new int[] {c}, seed + 4, manager);
      textLabels = new Dense(e, new int[] {c}, seed + 5, manager);
      int[] critic = {SsahConfig.DISCRIMINATOR_HIDDEN[0], SsahConfig.DISCRIMINATOR_HIDDEN[1], 1};
      imageCritic = new Dense(e, critic, seed + 6, manager);
      textCritic = new Dense(e, critic, seed + 7, manager);
      labelFeatures = TrainingItems.gaussian(random, data.size() * e);
      labelCodes = TrainingItems.gaussian(random, data.size() * l);
    }
  }

  @Override
  public HashNets train(NDManager manager, Listener listener) {
    Schedule schedule = config.schedule();
    SplittableRandom random = new SplittableRandom(schedule.seed());
    Nets nets = new Nets(manager, random);
    Updater labelUpdater = new Updater(schedule, nets.label.parameters(), manager);
    Updater imageUpdater = new Updater(schedule, join(nets.hash.imageParameters(), nets.imageLabels), manager);
    Updater textUpdater = new Updater(schedule, join(nets.hash.textParameters(), nets.textLabels), manager);
    List<Parameter> critics = new ArrayList<>(nets.imageCritic.parameters());
    critics.addAll(nets.textCritic.parameters());
    Updater criticUpdater = new Updater(schedule, critics, manager);
    int steps = stepsPerNet();
    for (int epoch = 0; epoch < schedule.epochs(); epoch++) {
      long t0 = System.nanoTime();
      double fall = schedule.rate(epoch) / schedule.learningRate();
      EpochTerms terms = new EpochTerms(SsahLoss.termNames().size(), steps);
      for (int pass = 0; pass < 4; pass++) {
        for (int s = 0; s < steps; s++) {
          int[] rows = items.sample(schedule.batchSize(), random);
          double[] values;
          switch (pass) {
            case 0 -> {
              values = labelStep(manager, nets, rows);
              labelUpdater.step(config.labelRate() * fall);
            }
            case 1 -> {
              double d = criticStep(manager, nets, rows);
              criticUpdater.step(config.discriminatorRate() * fall);
              terms.addAdversaries(d);
              listener.stepDone(epoch, pass * steps + s, 4 * steps, d);
              continue;
            }
            case 2 -> {
              values = modalityStep(manager, nets, true, rows);
              imageUpdater.step(schedule.learningRate() * fall);
            }
            default -> {
              values = modalityStep(manager, nets, false, rows);
              textUpdater.step(config.textRate() * fall);
            }
          }
          terms.addNets(values);
          listener.stepDone(epoch, pass * steps + s, 4 * steps, values[values.length - 1]);
        }
      }
      if (terms.finite() == false) {
        throw new IllegalArgumentException(String.format(Locale.ROOT, "ssah training diverged in epoch %d: loss %s, "
            + "discriminator loss %s at image learning rate %g; expected finite losses (try smaller learning rates)",
            epoch + 1, terms.total(), terms.adversaries(), schedule.rate(epoch)));
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      double score = selection == null ? Double.NaN : selection.epochDone(epoch, nets.hash);
      listener.epochDone(epoch, terms.values(), score, seconds);
    }
    return nets.hash;
  }

  /** One step of the label net; its batch outputs replace their rows of the buffers first (as in the code). */
  private double[] labelStep(NDManager manager, Nets nets, int[] rows) {
    int e = config.nets().imageHidden();
    int l = config.nets().bits();
    try (NDManager scope = manager.newSubManager()) {
      NDArray labels = items.labels(scope, rows);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray features = nets.label.trunk().forward(labels).maximum(0);
        NDArray codes = nets.label.codes().forward(features).tanh();
        NDArray predicted = Activation.sigmoid(nets.label.labels().forward(features));
        TrainingItems.store(nets.labelFeatures, e, rows, features);
        TrainingItems.store(nets.labelCodes, l, rows, codes);
        LossTerms terms = loss.batch(features, codes, predicted, null, scope.create(nets.labelFeatures,
            new Shape(data.size(), e)), scope.create(nets.labelCodes, new Shape(data.size(), l)),
            Pairwise.similarity(labels, items.labels(scope, null)), labels);
        collector.backward(terms.total().div(rows.length));
        return terms.values();
      }
    }
  }

  /** One step of both discriminators on the batch's label-net, image and text features (nets fixed). */
  private double criticStep(NDManager manager, Nets nets, int[] rows) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray labelFeatures = nets.label.trunk().forward(items.labels(scope, rows)).maximum(0).stopGradient();
      NDArray image = nets.hash.imageFeatures(items.input(scope, true, rows), false).stopGradient();
      NDArray text = nets.hash.textFeatures(items.input(scope, false, rows), false).stopGradient();
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray d = SsahLoss.discriminator(nets.imageCritic.forward(labelFeatures), nets.imageCritic.forward(image))
            .add(SsahLoss.discriminator(nets.textCritic.forward(labelFeatures), nets.textCritic.forward(text)));
        collector.backward(d.div(rows.length));
        return LossTerms.value(d);
      }
    }
  }

  /** One step of the image net ({@code image}) or the text net against the label net's buffers. */
  private double[] modalityStep(NDManager manager, Nets nets, boolean image, int[] rows) {
    int e = config.nets().imageHidden();
    int l = config.nets().bits();
    try (NDManager scope = manager.newSubManager()) {
      NDArray labels = items.labels(scope, rows);
      NDArray input = items.input(scope, image, rows);
      NDArray labelFeatures = scope.create(nets.labelFeatures, new Shape(data.size(), e));
      NDArray labelCodes = scope.create(nets.labelCodes, new Shape(data.size(), l));
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray features = image ? nets.hash.imageFeatures(input, true) : nets.hash.textFeatures(input, true);
        NDArray codes = image ? nets.hash.imageCodes(features, true) : nets.hash.textCodes(features, true);
        NDArray predicted = Activation.sigmoid((image ? nets.imageLabels : nets.textLabels).forward(features));
        NDArray logits = (image ? nets.imageCritic : nets.textCritic).forwardFixed(features).reshape(-1);
        LossTerms terms = loss.batch(features, codes, predicted, logits, labelFeatures, labelCodes,
            Pairwise.similarity(labels, items.labels(scope, null)), labels);
        collector.backward(terms.total().div(rows.length));
        return terms.values();
      }
    }
  }

  private static List<Parameter> join(List<Parameter> net, Dense head) {
    List<Parameter> all = new ArrayList<>(net);
    all.addAll(head.parameters());
    return all;
  }
}
