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
import org.bicmr.training.model.EpochSelection;
import org.bicmr.training.model.HashNets;
import org.bicmr.training.model.TrainedModel;
import org.bicmr.training.model.Trainer;

/**
 * Trains AGAH (Gu et al., ICMR 2019) as its released code does (WendellGul/AGAH): every step takes a random batch of
 * pairs, updates the two critics on the batch's features (nets fixed), then the image and text nets (and their label
 * predictors) on {@link AgahLoss} with the critics fixed; the outputs and features of every item are kept in buffers.
 * After each epoch the code map M is updated bit by bit in closed form and the feature map of {@link AgahNets} becomes
 * the normalised mean of each label's items' image and text features. Reported per epoch: the mean step terms, the
 * critics' mean loss and the nets' mean total.
 */
public final class AgahTrainer implements Trainer {
  private final AgahConfig config;
  private final AgahLoss loss;
  private final TrainingItems items;
  private final PairedDataset data;
  private final EpochSelection selection;

  /** AGAH on the training pairs {@code data}, keeping the last epoch. */
  public AgahTrainer(AgahConfig config, PairedDataset data) {
    this(config, data, null);
  }

  /** AGAH on the training pairs {@code data}; {@code selection} (or null) scores every epoch. */
  public AgahTrainer(AgahConfig config, PairedDataset data, EpochSelection selection) {
    this.items = new TrainingItems(method(), data);
    this.config = config;
    this.loss = new AgahLoss(config);
    this.data = data;
    this.selection = selection;
  }

  @Override
  public String method() {
    return TrainedModel.AGAH;
  }

  /** The nets' terms ({@link AgahLoss#termNames()}), the critics' loss, and the nets' weighted total. */
  @Override
  public List<String> termNames() {
    return EpochTerms.names(AgahLoss.termNames(), "critic");
  }

  @Override
  public int epochs() {
    return config.schedule().epochs();
  }

  @Override
  public int stepsPerEpoch() {
    return items.steps(config.schedule().batchSize());
  }

  @Override
  public EpochSelection selection() {
    return selection;
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
      agah.setFeatureMap(TrainingItems.gaussian(random, c * e)); // as the code: N(0, 1) until the first epoch ends
      imageLabels = new Dense(e, new int[] {c}, seed + 1, manager);
      textLabels = new Dense(e, new int[] {c}, seed + 2, manager);
      int[] critic = {AgahConfig.CRITIC_HIDDEN[0], AgahConfig.CRITIC_HIDDEN[1], 1};
      imageCritic = new Dense(e, critic, seed + 3, manager);
      textCritic = new Dense(e, critic, seed + 4, manager);
      int n = data.size();
      imageFeatures = TrainingItems.gaussian(random, n * e);
      textFeatures = TrainingItems.gaussian(random, n * e);
      imageCodes = TrainingItems.gaussian(random, n * l);
      textCodes = TrainingItems.gaussian(random, n * l);
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
    int steps = stepsPerEpoch();
    for (int epoch = 0; epoch < schedule.epochs(); epoch++) {
      long t0 = System.nanoTime();
      double lr = schedule.rate(epoch);
      double criticLr = config.criticRate() * lr / schedule.learningRate();
      EpochTerms terms = new EpochTerms(AgahLoss.termNames().size(), steps);
      for (int s = 0; s < steps; s++) {
        int[] rows = items.sample(schedule.batchSize(), random);
        terms.addAdversaries(step(manager, state, rows, random, imageCritic, textCritic, criticLr));
        double[] values = netsStep(manager, state, rows);
        nets.step(lr);
        terms.addNets(values);
        listener.stepDone(epoch, s, steps, values[values.length - 1]);
      }
      if (terms.finite() == false) {
        throw new IllegalArgumentException(String.format(Locale.ROOT, "agah training diverged in epoch %d: loss %s, "
            + "critic loss %s at learning rate %g; expected finite losses (try a smaller learning rate)", epoch + 1,
            terms.total(), terms.adversaries(), lr));
      }
      int e = config.nets().imageHidden();
      int l = config.nets().bits();
      state.codeMap = CodeMaps.update(state.codeMap, state.imageCodes, state.textCodes, data.labels(),
          data.labelCount(), l);
      state.agah.setFeatureMap(CodeMaps.featureMap(state.imageFeatures, state.textFeatures, data.labels(),
          data.labelCount(), e));
      double seconds = (System.nanoTime() - t0) / 1e9;
      double score = selection == null ? Double.NaN : selection.epochDone(epoch, state.agah);
      listener.epochDone(epoch, terms.values(), score, seconds);
    }
    return state.agah;
  }

  /** Both critics' step on the batch's features (nets fixed); returns the sum of their losses. */
  private double step(NDManager manager, State state, int[] rows, SplittableRandom random, Updater imageUpdater,
      Updater textUpdater, double lr) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray fx = state.agah.imageFeatures(items.input(scope, true, rows), false).stopGradient();
      NDArray fy = state.agah.textFeatures(items.input(scope, false, rows), false).stopGradient();
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
      NDArray labels = items.labels(scope, rows);
      NDArray imageInput = items.input(scope, true, rows);
      NDArray textInput = items.input(scope, false, rows);
      NDArray codeMap = scope.create(state.codeMap, new Shape(data.labelCount(), l));
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray fx = state.agah.imageFeatures(imageInput, true);
        NDArray fy = state.agah.textFeatures(textInput, true);
        NDArray ax = state.agah.attend(fx);
        NDArray ay = state.agah.attend(fy);
        NDArray x = hash.imageCodes(ax, true);
        NDArray y = hash.textCodes(ay, true);
        TrainingItems.store(state.imageFeatures, e, rows, fx);
        TrainingItems.store(state.textFeatures, e, rows, fy);
        TrainingItems.store(state.imageCodes, l, rows, x);
        TrainingItems.store(state.textCodes, l, rows, y);
        LossTerms terms = loss.batch(x, y, state.imageLabels.forward(ax), state.textLabels.forward(ay),
            state.textCritic.forwardFixed(fx).reshape(-1), state.imageCritic.forwardFixed(fy).reshape(-1), codeMap,
            Pairwise.similarity(labels, labels), labels);
        collector.backward(terms.total());
        return terms.values();
      }
    }
  }
}
