package org.bicmr.training.baseline;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.model.EpochSelection;
import org.bicmr.training.model.HashNets;
import org.bicmr.training.model.NetShape;
import org.bicmr.training.model.Trainer;

/**
 * Trains a baseline the way DCMH does (Jiang and Li, CVPR 2017, Algorithm 1, and its released code): F and G, the
 * outputs of every training item, are kept in buffers (initialised from N(0, 1), B = sign(F + G)); each epoch the
 * image net takes ⌈n / batch⌉ SGD steps with G fixed, each on a fresh random batch whose new outputs replace their
 * rows of F, then the text net likewise with F fixed, then B is updated in closed form; finally J is evaluated over the
 * whole training set (reported per epoch). Which objective is minimised is the baseline's (DCMH, PRDH).
 */
public final class AlternatingTrainer implements Trainer {

  private final String method;
  private final NetShape nets;
  private final Schedule schedule;
  private final AlternatingObjective objective;
  private final TrainingItems items;
  private final PairedDataset data;
  private final EpochSelection selection;

  private AlternatingTrainer(String method, NetShape nets, Schedule schedule, AlternatingObjective objective,
      PairedDataset data, EpochSelection selection) {
    this.items = new TrainingItems(method, data);
    this.method = method;
    this.nets = nets;
    this.schedule = schedule;
    this.objective = objective;
    this.data = data;
    this.selection = selection;
  }

  /** DCMH on the training pairs {@code data}, keeping the last epoch. */
  public static AlternatingTrainer dcmh(DcmhConfig config, PairedDataset data) {
    return dcmh(config, data, null);
  }

  /** DCMH on the training pairs {@code data}; {@code selection} (or null) scores every epoch. */
  public static AlternatingTrainer dcmh(DcmhConfig config, PairedDataset data, EpochSelection selection) {
    return new AlternatingTrainer(DcmhConfig.METHOD, config.nets(), config.schedule(), new DcmhLoss(config), data,
        selection);
  }

  /** PRDH on the training pairs {@code data}, keeping the last epoch. */
  public static AlternatingTrainer prdh(PrdhConfig config, PairedDataset data) {
    return prdh(config, data, null);
  }

  /** PRDH on the training pairs {@code data}; {@code selection} (or null) scores every epoch. */
  public static AlternatingTrainer prdh(PrdhConfig config, PairedDataset data, EpochSelection selection) {
    return new AlternatingTrainer(PrdhConfig.METHOD, config.nets(), config.schedule(), new PrdhLoss(config), data,
        selection);
  }

  @Override
  public String method() {
    return method;
  }

  /** J's terms over the training set and then J itself (SGD steps: image steps, then text steps). */
  @Override
  public List<String> termNames() {
    List<String> names = new ArrayList<>(objective.termNames());
    names.add("total");
    return names;
  }

  @Override
  public int epochs() {
    return schedule.epochs();
  }

  @Override
  public int stepsPerEpoch() {
    return 2 * stepsPerNet();
  }

  @Override
  public EpochSelection selection() {
    return selection;
  }

  private int stepsPerNet() {
    return items.steps(schedule.batchSize());
  }

  @Override
  public HashNets train(NDManager manager, Listener listener) {
    int n = data.size();
    int l = nets.bits();
    HashNets hash = new HashNets(nets, data.imageDim(), data.textDim(), schedule.seed(), manager, DataType.FLOAT32);
    if (nets.centreText()) {
      hash.setTextCentre(columnMeans(data.text(), data.textDim()));
    }
    Updater imageUpdater = new Updater(schedule, hash.imageParameters(), manager);
    Updater textUpdater = new Updater(schedule, hash.textParameters(), manager);
    SplittableRandom random = new SplittableRandom(schedule.seed());
    float[] f = TrainingItems.gaussian(random, n * l);
    float[] g = TrainingItems.gaussian(random, n * l);
    float[] codes = codes(manager, f, g);
    int steps = stepsPerNet();
    for (int epoch = 0; epoch < schedule.epochs(); epoch++) {
      long t0 = System.nanoTime();
      double lr = schedule.rate(epoch);
      for (int s = 0; s < steps; s++) {
        double loss = step(manager, hash, true, f, g, codes, items.sample(schedule.batchSize(), random));
        imageUpdater.step(lr);
        listener.stepDone(epoch, s, 2 * steps, loss);
      }
      for (int s = 0; s < steps; s++) {
        double loss = step(manager, hash, false, g, f, codes, items.sample(schedule.batchSize(), random));
        textUpdater.step(lr);
        listener.stepDone(epoch, steps + s, 2 * steps, loss);
      }
      codes = codes(manager, f, g);
      double[] terms;
      try (NDManager scope = manager.newSubManager()) {
        Shape shape = new Shape(n, l);
        terms = objective.objective(scope.create(f, shape), scope.create(g, shape), scope.create(codes, shape),
            items.labels(scope, null)).values();
      }
      if (Double.isFinite(terms[terms.length - 1]) == false) {
        throw new IllegalArgumentException(String.format(Locale.ROOT, "%s training diverged in epoch %d: J = %s at "
            + "learning rate %g; expected a finite J (try a smaller learning rate)", method, epoch + 1,
            terms[terms.length - 1], lr));
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      double score = selection == null ? Double.NaN : selection.epochDone(epoch, hash);
      listener.epochDone(epoch, terms, score, seconds);
    }
    return hash;
  }

  /**
   * One SGD step of the image net ({@code image}) or the text net on {@code rows}: its outputs replace those rows of
   * {@code own} (F or G), then the step loss, divided by (batch × n) as in DCMH's code, is back-propagated.
   */
  private double step(NDManager manager, HashNets hash, boolean image, float[] own, float[] other, float[] codes,
      int[] rows) {
    int n = data.size();
    int l = nets.bits();
    try (NDManager scope = manager.newSubManager()) {
      NDArray input = items.input(scope, image, rows);
      NDArray batchLabels = items.labels(scope, rows);
      NDArray all = items.labels(scope, null);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray x = image ? hash.image(input, true) : hash.text(input, true);
        float[] values = x.toFloatArray();
        for (int i = 0; i < rows.length; i++) {
          System.arraycopy(values, i * l, own, rows[i] * l, l);
        }
        Shape shape = new Shape(n, l);
        AlternatingObjective.Step step = new AlternatingObjective.Step(x, scope.create(own, shape),
            scope.create(other, shape), scope.create(PairedDataset.rows(codes, l, rows), new Shape(rows.length, l)),
            Pairwise.similarity(batchLabels, all), Pairwise.similarity(batchLabels, batchLabels));
        LossTerms terms = objective.step(step);
        collector.backward(terms.total().div((double) rows.length * n));
        return terms.values()[terms.parts().length];
      }
    }
  }

  private float[] codes(NDManager manager, float[] f, float[] g) {
    try (NDManager scope = manager.newSubManager()) {
      Shape shape = new Shape(data.size(), nets.bits());
      return objective.codes(scope.create(f, shape), scope.create(g, shape)).toFloatArray();
    }
  }

  /** The mean of every column of a row-major matrix. */
  static float[] columnMeans(float[] rows, int dim) {
    int n = rows.length / dim;
    double[] sums = new double[dim];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < dim; j++) {
        sums[j] += rows[i * dim + j];
      }
    }
    float[] mean = new float[dim];
    for (int j = 0; j < dim; j++) {
      mean[j] = (float) (sums[j] / n);
    }
    return mean;
  }
}
