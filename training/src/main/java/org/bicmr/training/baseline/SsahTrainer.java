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
import org.bicmr.training.model.HashNets;

/**
 * Trains SSAH (Li et al., CVPR 2018) as its released code does (lelan-li/SSAH): each epoch, first the label net
 * (labels → hidden → semantic features F^l → codes H^l and predicted labels), which keeps F^l and H^l of every
 * training item in buffers; then the two discriminators (label-net features against image features, and against text
 * features); then the image net and the text net, each against the label net's buffers with its discriminator fixed
 * ({@link SsahLoss}). Every step draws a fresh random batch; there are ⌈n / batch⌉ steps per net and epoch. Reported
 * per epoch: the mean step terms of the three nets summed, the discriminators' mean loss, and the nets' total.
 */
public final class SsahTrainer implements BaselineTrainer {
  private final SsahConfig config;
  private final SsahLoss loss;
  private final PairedDataset data;

  public SsahTrainer(SsahConfig config, PairedDataset data) {
    if (data.size() < 2) {
      throw new IllegalArgumentException("ssah needs at least 2 training items, got " + data.size());
    }
    this.config = config;
    this.loss = new SsahLoss(config);
    this.data = data;
  }

  @Override
  public String method() {
    return "ssah";
  }

  /** The nets' terms ({@link SsahLoss#termNames()}), the discriminators' loss, and the nets' weighted total. */
  @Override
  public List<String> termNames() {
    List<String> names = new ArrayList<>(SsahLoss.termNames());
    names.add("discriminator");
    names.add("total");
    return names;
  }

  @Override
  public int stepsPerEpoch() {
    return 4 * stepsPerNet();
  }

  private int stepsPerNet() {
    return (data.size() + config.schedule().batchSize() - 1) / config.schedule().batchSize();
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
      labelFeatures = gaussian(random, data.size() * e);
      labelCodes = gaussian(random, data.size() * l);
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
    int[] pool = new int[data.size()];
    for (int i = 0; i < pool.length; i++) {
      pool[i] = i;
    }
    int steps = stepsPerNet();
    int batch = Math.min(schedule.batchSize(), data.size());
    for (int epoch = 0; epoch < schedule.epochs(); epoch++) {
      long t0 = System.nanoTime();
      double fall = schedule.rate(epoch) / schedule.learningRate();
      double[] terms = new double[SsahLoss.termNames().size() + 2];
      for (int pass = 0; pass < 4; pass++) {
        for (int s = 0; s < steps; s++) {
          int[] rows = AlternatingTrainer.sample(pool, batch, random);
          double[] values;
          switch (pass) {
            case 0 -> {
              values = labelStep(manager, nets, rows);
              labelUpdater.step(config.labelRate() * fall);
            }
            case 1 -> {
              double d = criticStep(manager, nets, rows);
              criticUpdater.step(config.discriminatorRate() * fall);
              terms[terms.length - 2] += d / steps;
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
          for (int k = 0; k < values.length - 1; k++) {
            terms[k] += values[k] / steps;
          }
          terms[terms.length - 1] += values[values.length - 1] / steps;
          listener.stepDone(epoch, pass * steps + s, 4 * steps, values[values.length - 1]);
        }
      }
      double total = terms[terms.length - 1];
      if (Double.isFinite(total) == false || Double.isFinite(terms[terms.length - 2]) == false) {
        throw new IllegalArgumentException(String.format(Locale.ROOT, "ssah training diverged in epoch %d: loss %s, "
            + "discriminator loss %s at image learning rate %g; expected finite losses (try smaller learning rates)",
            epoch + 1, total, terms[terms.length - 2], schedule.rate(epoch)));
      }
      listener.epochDone(epoch, terms, (System.nanoTime() - t0) / 1e9, nets.hash);
    }
    return nets.hash;
  }

  /** One step of the label net; its batch outputs replace their rows of the buffers first (as in the code). */
  private double[] labelStep(NDManager manager, Nets nets, int[] rows) {
    int e = config.nets().imageHidden();
    int l = config.nets().bits();
    try (NDManager scope = manager.newSubManager()) {
      NDArray labels = labels(scope, rows);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray features = nets.label.trunk().forward(labels).maximum(0);
        NDArray codes = nets.label.codes().forward(features).tanh();
        NDArray predicted = Activation.sigmoid(nets.label.labels().forward(features));
        store(nets.labelFeatures, e, rows, features);
        store(nets.labelCodes, l, rows, codes);
        LossTerms terms = loss.batch(features, codes, predicted, null, scope.create(nets.labelFeatures,
            new Shape(data.size(), e)), scope.create(nets.labelCodes, new Shape(data.size(), l)),
            Pairwise.similarity(labels, labels(scope, null)), labels);
        collector.backward(terms.total().div(rows.length));
        return terms.values();
      }
    }
  }

  /** One step of both discriminators on the batch's label-net, image and text features (nets fixed). */
  private double criticStep(NDManager manager, Nets nets, int[] rows) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray labelFeatures = nets.label.trunk().forward(labels(scope, rows)).maximum(0).stopGradient();
      NDArray image = nets.hash.imageFeatures(input(scope, true, rows), false).stopGradient();
      NDArray text = nets.hash.textFeatures(input(scope, false, rows), false).stopGradient();
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
      NDArray labels = labels(scope, rows);
      NDArray input = input(scope, image, rows);
      NDArray labelFeatures = scope.create(nets.labelFeatures, new Shape(data.size(), e));
      NDArray labelCodes = scope.create(nets.labelCodes, new Shape(data.size(), l));
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray features = image ? nets.hash.imageFeatures(input, true) : nets.hash.textFeatures(input, true);
        NDArray codes = image ? nets.hash.imageCodes(features, true) : nets.hash.textCodes(features, true);
        NDArray predicted = Activation.sigmoid((image ? nets.imageLabels : nets.textLabels).forward(features));
        NDArray logits = (image ? nets.imageCritic : nets.textCritic).forwardFixed(features).reshape(-1);
        LossTerms terms = loss.batch(features, codes, predicted, logits, labelFeatures, labelCodes,
            Pairwise.similarity(labels, labels(scope, null)), labels);
        collector.backward(terms.total().div(rows.length));
        return terms.values();
      }
    }
  }

  private NDArray input(NDManager scope, boolean image, int[] rows) {
    int dim = image ? data.imageDim() : data.textDim();
    return scope.create(PairedDataset.rows(image ? data.image() : data.text(), dim, rows),
        new Shape(rows.length, dim));
  }

  /** The labels of {@code rows} (all items when null) in {@code scope}. */
  private NDArray labels(NDManager scope, int[] rows) {
    int c = data.labelCount();
    if (rows == null) {
      return scope.create(data.labels(), new Shape(data.size(), c));
    }
    return scope.create(PairedDataset.rows(data.labels(), c, rows), new Shape(rows.length, c));
  }

  static void store(float[] buffer, int width, int[] rows, NDArray values) {
    float[] v = values.toFloatArray();
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(v, i * width, buffer, rows[i] * width, width);
    }
  }

  private static List<Parameter> join(List<Parameter> net, Dense head) {
    List<Parameter> all = new ArrayList<>(net);
    all.addAll(head.parameters());
    return all;
  }

  static float[] gaussian(SplittableRandom random, int count) {
    float[] out = new float[count];
    for (int i = 0; i < count; i++) {
      out[i] = (float) random.nextGaussian();
    }
    return out;
  }
}
