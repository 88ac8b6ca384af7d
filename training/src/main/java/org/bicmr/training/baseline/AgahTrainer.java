package org.bicmr.training.baseline;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.model.AgahNets;
import org.bicmr.training.model.HashNets;

/**
 * Trains AGAH (Gu et al., ICMR 2019) as its released code does (WendellGul/AGAH): every step takes a random batch of
 * pairs, updates the two critics on the batch's features (nets fixed), then the image and text nets (and their label
 * predictors) on {@link AgahLoss} with the critics fixed; the outputs and features of every item are kept in buffers.
 * After each epoch the code map M is updated bit by bit in closed form and the feature map of {@link AgahNets} becomes
 * the normalised mean of each label's items' image and text features. Reported per epoch: the mean step terms, the
 * critics' mean loss and the nets' mean total.
 */
public final class AgahTrainer implements BaselineTrainer {
  private final AgahConfig config;
  private final AgahLoss loss;
  private final PairedDataset data;

  public AgahTrainer(AgahConfig config, PairedDataset data) {
    if (data.size() < 2) {
      throw new IllegalArgumentException("agah needs at least 2 training items, got " + data.size());
    }
    this.config = config;
    this.loss = new AgahLoss(config);
    this.data = data;
  }

  @Override
  public String method() {
    return "agah";
  }

  /** The nets' terms ({@link AgahLoss#termNames()}), the critics' loss, and the nets' weighted total. */
  @Override
  public List<String> termNames() {
    List<String> names = new ArrayList<>(AgahLoss.termNames());
    names.add("critic");
    names.add("total");
    return names;
  }

  @Override
  public int stepsPerEpoch() {
    return (data.size() + config.schedule().batchSize() - 1) / config.schedule().batchSize();
  }

  /** Everything that learns, and the buffers. */
  private final class State {
    final AgahNets agah;
    final Dense imageLabels;
    final Dense textLabels;
    final Dense imageCritic;
    final Dense textCritic;
    final float[] imageFeatures;
    final float[] textFeatures;
    final float[] imageCodes;
    final float[] textCodes;
    float[] codeMap;

    State(NDManager manager, SplittableRandom random) {
      int e = config.nets().imageHidden();
      int l = config.nets().bits();
      int c = data.labelCount();
      long seed = config.schedule().seed();
      HashNets hash = new HashNets(config.nets(), data.imageDim(), data.textDim(), seed, manager, DataType.FLOAT32);
      agah = new AgahNets(hash, c, config.lambda(), manager);
      agah.setFeatureMap(SsahTrainer.gaussian(random, c * e)); // as the code: N(0, 1) until the first epoch ends
      imageLabels = new Dense(e, new int[] {c}, seed + 1, manager);
      textLabels = new Dense(e, new int[] {c}, seed + 2, manager);
      int[] critic = {AgahConfig.CRITIC_HIDDEN[0], AgahConfig.CRITIC_HIDDEN[1], 1};
      imageCritic = new Dense(e, critic, seed + 3, manager);
      textCritic = new Dense(e, critic, seed + 4, manager);
      int n = data.size();
      imageFeatures = SsahTrainer.gaussian(random, n * e);
      textFeatures = SsahTrainer.gaussian(random, n * e);
      imageCodes = SsahTrainer.gaussian(random, n * l);
      textCodes = SsahTrainer.gaussian(random, n * l);
      codeMap = new float[c * l];
      for (int i = 0; i < codeMap.length; i++) {
        codeMap[i] = random.nextGaussian() >= 0 ? 1 : -1;
      }
    }
  }

  @Override
  public AgahNets train(NDManager manager, Listener listener) {
    Schedule schedule = config.schedule();
    SplittableRandom random = new SplittableRandom(schedule.seed());
    State state = new State(manager, random);
    HashNets hash = state.agah.nets();
    List<Parameter> generator = new ArrayList<>(hash.imageParameters());
    generator.addAll(hash.textParameters());
    generator.addAll(state.imageLabels.parameters());
    generator.addAll(state.textLabels.parameters());
    Updater nets = new Updater(schedule, generator, manager);
    Schedule criticSchedule = new Schedule(schedule.batchSize(), schedule.epochs(), schedule.optimizer(),
        config.criticRate(), config.criticRate(), config.criticDecay(), schedule.seed());
    Updater imageCritic = new Updater(criticSchedule, state.imageCritic.parameters(), manager);
    Updater textCritic = new Updater(criticSchedule, state.textCritic.parameters(), manager);
    int[] pool = new int[data.size()];
    for (int i = 0; i < pool.length; i++) {
      pool[i] = i;
    }
    int steps = stepsPerEpoch();
    int batch = Math.min(schedule.batchSize(), data.size());
    for (int epoch = 0; epoch < schedule.epochs(); epoch++) {
      long t0 = System.nanoTime();
      double lr = schedule.rate(epoch);
      double criticLr = config.criticRate() * lr / schedule.learningRate();
      double[] terms = new double[AgahLoss.termNames().size() + 2];
      for (int s = 0; s < steps; s++) {
        int[] rows = AlternatingTrainer.sample(pool, batch, random);
        terms[terms.length - 2] += step(manager, state, rows, random, imageCritic, textCritic, criticLr) / steps;
        double[] values = netsStep(manager, state, rows);
        nets.step(lr);
        for (int k = 0; k < values.length - 1; k++) {
          terms[k] += values[k] / steps;
        }
        terms[terms.length - 1] += values[values.length - 1] / steps;
        listener.stepDone(epoch, s, steps, values[values.length - 1]);
      }
      if (Double.isFinite(terms[terms.length - 1]) == false || Double.isFinite(terms[terms.length - 2]) == false) {
        throw new IllegalArgumentException(String.format(Locale.ROOT, "agah training diverged in epoch %d: loss %s, "
            + "critic loss %s at learning rate %g; expected finite losses (try a smaller learning rate)", epoch + 1,
            terms[terms.length - 1], terms[terms.length - 2], lr));
      }
      int e = config.nets().imageHidden();
      int l = config.nets().bits();
      state.codeMap = CodeMaps.update(state.codeMap, state.imageCodes, state.textCodes, data.labels(),
          data.labelCount(), l);
      state.agah.setFeatureMap(CodeMaps.featureMap(state.imageFeatures, state.textFeatures, data.labels(),
          data.labelCount(), e));
      listener.epochDone(epoch, terms, (System.nanoTime() - t0) / 1e9, state.agah);
    }
    return state.agah;
  }

  /** Both critics' step on the batch's features (nets fixed); returns the sum of their losses. */
  private double step(NDManager manager, State state, int[] rows, SplittableRandom random, Updater imageUpdater,
      Updater textUpdater, double lr) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray fx = state.agah.imageFeatures(input(scope, true, rows), false).stopGradient();
      NDArray fy = state.agah.textFeatures(input(scope, false, rows), false).stopGradient();
      double sum = 0;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray d = critic(scope, state.textCritic, fy, fx, random); // the text critic: texts real, images fake
        collector.backward(d);
        sum += LossTerms.value(d);
      }
      textUpdater.step(lr);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray d = critic(scope, state.imageCritic, fx, fy, random);
        collector.backward(d);
        sum += LossTerms.value(d);
      }
      imageUpdater.step(lr);
      return sum;
    }
  }

  private static NDArray critic(NDManager scope, Dense critic, NDArray real, NDArray fake, SplittableRandom random) {
    Shape shape = real.getShape();
    float[] u = new float[(int) shape.size()];
    for (int i = 0; i < u.length; i++) {
      u[i] = (float) random.nextDouble();
    }
    NDArray mix = scope.create(u, shape);
    NDArray mixture = real.mul(mix).add(fake.mul(mix.neg().add(1)));
    return AgahLoss.critic(critic.forward(real), critic.forward(fake), critic.inputGradient(mixture));
  }

  /** The nets' step: outputs, features into the buffers, then the loss with the critics fixed. */
  private double[] netsStep(NDManager manager, State state, int[] rows) {
    int e = config.nets().imageHidden();
    int l = config.nets().bits();
    HashNets hash = state.agah.nets();
    try (NDManager scope = manager.newSubManager()) {
      NDArray labels = labels(scope, rows);
      NDArray imageInput = input(scope, true, rows);
      NDArray textInput = input(scope, false, rows);
      NDArray codeMap = scope.create(state.codeMap, new Shape(data.labelCount(), l));
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray fx = state.agah.imageFeatures(imageInput, true);
        NDArray fy = state.agah.textFeatures(textInput, true);
        NDArray ax = state.agah.attend(fx);
        NDArray ay = state.agah.attend(fy);
        NDArray x = hash.imageCodes(ax, true);
        NDArray y = hash.textCodes(ay, true);
        SsahTrainer.store(state.imageFeatures, e, rows, fx);
        SsahTrainer.store(state.textFeatures, e, rows, fy);
        SsahTrainer.store(state.imageCodes, l, rows, x);
        SsahTrainer.store(state.textCodes, l, rows, y);
        LossTerms terms = loss.batch(x, y, state.imageLabels.forward(ax), state.textLabels.forward(ay),
            state.textCritic.forwardFixed(fx).reshape(-1), state.imageCritic.forwardFixed(fy).reshape(-1), codeMap,
            Pairwise.similarity(labels, labels), labels);
        collector.backward(terms.total());
        return terms.values();
      }
    }
  }

  private NDArray input(NDManager scope, boolean image, int[] rows) {
    int dim = image ? data.imageDim() : data.textDim();
    return scope.create(PairedDataset.rows(image ? data.image() : data.text(), dim, rows),
        new Shape(rows.length, dim));
  }

  private NDArray labels(NDManager scope, int[] rows) {
    int c = data.labelCount();
    return scope.create(PairedDataset.rows(data.labels(), c, rows), new Shape(rows.length, c));
  }
}
