package org.bicmr.training.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import com.google.gson.Gson;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.bicmr.training.data.DatasetSplit;
import org.bicmr.training.data.PairedDataset;

/**
 * Trains Bi-CMR on a set of training pairs: each epoch optionally opens with a pass that trains the label net alone
 * (the released code's "multi-label network initialization"), then mini-batches in a seeded order minimise the
 * {@link BiCmrLoss} of the configuration with Adam at two learning rates (image/text nets and multi-label net), both
 * scaled by the schedule's halvings. When the objective supervises a batch against the whole training set, the image,
 * text and label nets' outputs for every training item are kept in buffers (initialised by a forward pass, each
 * batch's rows replaced by its new outputs, the label buffer recomputed after each label-net pass), as DCMH keeps F
 * and G. With an {@link EpochSelection}, every epoch is scored and the best epoch's parameters kept beside the last.
 * With a checkpoint file, the state (parameters, optimiser moments, buffers, selection, epoch) is written atomically
 * after every epoch and a later run with the same settings resumes after the last finished epoch with the same result
 * as an uninterrupted run.
 */
public final class BiCmrTrainer implements Trainer {
  private static final String MAGIC = "BICMR-CHECKPOINT-2";

  private final BiCmrConfig config;
  private final PairedDataset data;
  private final Path checkpoint;
  private final EpochSelection selection;

  /**
   * @param data the training pairs
   * @param checkpoint where to keep the state between epochs, or null for none
   */
  public BiCmrTrainer(BiCmrConfig config, PairedDataset data, Path checkpoint) {
    this(config, data, checkpoint, null);
  }

  /**
   * @param data the training pairs
   * @param checkpoint where to keep the state between epochs, or null for none
   * @param selection scores every epoch and keeps the best one's parameters, or null
   */
  public BiCmrTrainer(BiCmrConfig config, PairedDataset data, Path checkpoint, EpochSelection selection) {
    if (data.size() < 2) {
      throw new IllegalArgumentException("bicmr needs at least 2 training items, got " + data.size());
    }
    this.config = config;
    this.data = data;
    this.checkpoint = checkpoint;
    this.selection = selection;
  }

  @Override
  public String method() {
    return TrainedModel.BICMR;
  }

  /** {@link BiCmrLoss#TERM_NAMES}: each term's mean per item, the total last. */
  @Override
  public List<String> termNames() {
    return List.of(BiCmrLoss.TERM_NAMES);
  }

  @Override
  public int epochs() {
    return config.optimiser().epochs();
  }

  @Override
  public int stepsPerEpoch() {
    return (data.size() + config.optimiser().batchSize() - 1) / config.optimiser().batchSize();
  }

  @Override
  public EpochSelection selection() {
    return selection;
  }

  /** The outputs of the three nets for every training item, and the image and text columns' sums. */
  private static final class Buffers {
    final int n;
    final int bits;
    final float[] image;
    final float[] text;
    final float[] label;
    final double[] imageSum;
    final double[] textSum;

    Buffers(int n, int bits) {
      this.n = n;
      this.bits = bits;
      image = new float[n * bits];
      text = new float[n * bits];
      label = new float[n * bits];
      imageSum = new double[bits];
      textSum = new double[bits];
    }

    void put(float[] into, double[] sums, int[] rows, float[] values) {
      for (int i = 0; i < rows.length; i++) {
        for (int k = 0; k < bits; k++) {
          float v = values[i * bits + k];
          if (sums != null) {
            sums[k] += v - into[rows[i] * bits + k];
          }
          into[rows[i] * bits + k] = v;
        }
      }
    }

    /** The column sums of {@code codes} without the rows of the batch. */
    float[] restSum(float[] codes, double[] sums, int[] rows) {
      double[] rest = sums.clone();
      for (int r : rows) {
        for (int k = 0; k < bits; k++) {
          rest[k] -= codes[r * bits + k];
        }
      }
      float[] out = new float[bits];
      for (int k = 0; k < bits; k++) {
        out[k] = (float) rest[k];
      }
      return out;
    }

    void recomputeSums() {
      Arrays.fill(imageSum, 0);
      Arrays.fill(textSum, 0);
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < bits; k++) {
          imageSum[k] += image[i * bits + k];
          textSum[k] += text[i * bits + k];
        }
      }
    }

    void save(DataOutputStream out) throws IOException {
      for (float[] a : new float[][] {image, text, label}) {
        for (float v : a) {
          out.writeFloat(v);
        }
      }
    }

    void load(DataInputStream in) throws IOException {
      for (float[] a : new float[][] {image, text, label}) {
        for (int i = 0; i < a.length; i++) {
          a[i] = in.readFloat();
        }
      }
      recomputeSums();
    }
  }

  /** Trains (or resumes) to {@code config.optimiser().epochs()} epochs; the network lives in {@code manager}. */
  public BiCmrNetwork train(NDManager manager, Listener listener) throws IOException {
    BiCmrConfig.Optimiser opt = config.optimiser();
    BiCmrConfig.Objective objective = config.objective();
    BiCmrNetwork net = new BiCmrNetwork(config, data.imageDim(), data.textDim(), data.labelCount(), manager,
        DataType.FLOAT32);
    Adam instanceAdam = new Adam(net.instanceParameters(), manager, opt.beta1(), opt.weightDecay());
    Adam labelAdam = new Adam(net.labelParameters(), manager, opt.beta1(), opt.weightDecay());
    Buffers buffers = objective.usesBuffers() ? new Buffers(data.size(), config.bits()) : null;
    int start = 0;
    if (config.widths().standardize()) {
      net.standardizeOn(data.image(), data.text());
    }
    if (checkpoint != null && Files.exists(checkpoint)) {
      start = restore(net, instanceAdam, labelAdam, buffers, manager);
    } else if (buffers != null) {
      fill(net, manager, buffers, true);
    }
    BiCmrLoss loss = new BiCmrLoss(config);
    InputAffinities affinities = objective.neighbours() > 0 || objective.instances() > 0
        ? new InputAffinities(data, objective.neighbours() > 0, objective.instances() > 0) : null;
    int n = data.size();
    int batches = (n + opt.batchSize() - 1) / opt.batchSize();
    StepGuard guard = new StepGuard();
    List<Pair<String, Parameter>> named = net.namedParameters(); // to name a bad gradient's parameters
    for (int epoch = start; epoch < opt.epochs(); epoch++) {
      long t0 = System.nanoTime();
      double decay = opt.decay(epoch);
      Engine.getInstance().setRandomSeed((int) (opt.seed() + epoch));
      if (objective.labelPass()) {
        labelPass(net, loss, labelAdam, opt.labelLearningRate() * decay, manager, epoch);
        if (buffers != null) {
          fill(net, manager, buffers, false);
        }
      }
      int[] order = DatasetSplit.permutation(n, new SplittableRandom(opt.seed() * 31 + epoch));
      double[] sums = new double[BiCmrLoss.TERM_NAMES.length];
      for (int b = 0; b < batches; b++) {
        int from = b * opt.batchSize();
        int[] rows = Arrays.copyOfRange(order, from, Math.min(n, from + opt.batchSize()));
        double[] terms;
        try (NDManager batch = manager.newSubManager()) {
          BiCmrLoss.Inputs in = inputs(batch, rows);
          BiCmrLoss.TrainingSet all = buffers == null ? null : trainingSet(batch, buffers, rows);
          BiCmrLoss.Affinities batchAffinities = affinities == null ? null : affinities.of(batch, rows);
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            BiCmrLoss.Outputs out = net.forward(in, true);
            BiCmrLoss.Terms t = loss.compute(out, in, all, batchAffinities);
            collector.backward(t.total());
            terms = t.values();
            if (buffers != null) {
              buffers.put(buffers.image, buffers.imageSum, rows, out.imageHash().toFloatArray());
              buffers.put(buffers.text, buffers.textSum, rows, out.textHash().toFloatArray());
              buffers.put(buffers.label, null, rows, out.labelHash().toFloatArray());
            }
          }
          double lr = opt.learningRate() * decay;
          checkLoss(terms, epoch, b, lr);
          String problem = gradientProblem(terms, named, instanceAdam, labelAdam, epoch, b, lr,
              () -> loss.compute(net.forward(in, true), in, all, batchAffinities));
          if (guard.admit(problem)) {
            instanceAdam.step(lr);
            labelAdam.step(opt.labelLearningRate() * decay);
          } else {
            instanceAdam.clearGradients();
            labelAdam.clearGradients();
            listener.stepSkipped(epoch, b, problem);
          }
        }
        double weight = objective.reduction() == BiCmrConfig.Reduction.MEAN ? rows.length : 1; // back to sums
        for (int i = 0; i < sums.length; i++) {
          sums[i] += terms[i] * weight;
        }
        listener.stepDone(epoch, b, batches, terms[terms.length - 1]);
      }
      for (int i = 0; i < sums.length; i++) {
        sums[i] /= n;
      }
      double score = selection == null ? Double.NaN : selection.epochDone(epoch, net);
      if (checkpoint != null) {
        save(net, instanceAdam, labelAdam, buffers, epoch + 1);
      }
      listener.epochDone(epoch, sums, score, (System.nanoTime() - t0) / 1e9);
    }
    return net;
  }

  /**
   * Refuses a batch whose loss is not finite, naming its terms: training has diverged.
   */
  static void checkLoss(double[] terms, int epoch, int batch, double lr) {
    for (double t : terms) {
      if (Double.isFinite(t) == false) {
        throw new IllegalArgumentException(where("diverged in", epoch, batch, lr) + "loss terms " + describe(terms)
            + "; expected finite terms (try a smaller learning rate)");
      }
    }
  }

  /**
   * What is wrong with the gradient of a batch whose loss is finite, or null when every gradient is finite: the
   * parameters whose gradient is not, the terms whose own gradient is not when the batch is replayed term by term, and
   * whether the whole batch replayed gives finite gradients (then the step was not reproducible). The replay leaves
   * gradients behind: clear them before the next step.
   */
  static String gradientProblem(double[] terms, List<Pair<String, Parameter>> named, Adam instances, Adam labels,
      int epoch, int batch, double lr, Supplier<BiCmrLoss.Terms> replay) {
    List<Parameter> bad = new ArrayList<>(instances.nonFiniteGradients());
    bad.addAll(labels.nonFiniteGradients());
    if (bad.isEmpty()) {
      return null;
    }
    Map<Parameter, String> names = new IdentityHashMap<>();
    for (var p : named) {
      names.put(p.getValue(), p.getKey());
    }
    List<String> culprits = new ArrayList<>();
    boolean totalFinite = true;
    for (int i = 0; i < BiCmrLoss.TERM_NAMES.length; i++) { // each term's own gradient on the same batch, then all
      instances.clearGradients();
      labels.clearGradients();
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray term = replay.get().term(i);
        collector.backward(term);
      } catch (RuntimeException e) {
        continue; // a term that does not depend on the weights (off in this objective)
      }
      boolean finite = instances.nonFiniteGradients().isEmpty() && labels.nonFiniteGradients().isEmpty();
      if (i == BiCmrLoss.TERM_NAMES.length - 1) {
        totalFinite = finite;
      } else if (finite == false) {
        culprits.add(BiCmrLoss.TERM_NAMES[i]);
      }
    }
    return where("in", epoch, batch, lr) + "the gradient of " + String.join(", ", bad.stream()
        .map(p -> names.getOrDefault(p, p.getName())).toList()) + " is not finite while every loss term is ("
        + describe(terms) + "); the terms whose own gradient is not finite: " + (culprits.isEmpty() ? "none alone"
        : String.join(", ", culprits)) + "; the batch replayed " + (totalFinite ? "gives finite gradients (the step "
        + "was not reproducible)" : "gives them again");
  }

  private static String where(String how, int epoch, int batch, double lr) {
    return "bicmr training " + how + " epoch " + (epoch + 1) + ", batch " + (batch + 1) + " at learning rate " + lr + ": ";
  }

  private static String describe(double[] terms) {
    StringBuilder values = new StringBuilder();
    for (int i = 0; i < terms.length; i++) {
      values.append(i > 0 ? ", " : "").append(BiCmrLoss.TERM_NAMES[i]).append(' ').append(terms[i]);
    }
    return values.toString();
  }

  private BiCmrLoss.Inputs inputs(NDManager batch, int[] rows) {
    return new BiCmrLoss.Inputs(
        batch.create(PairedDataset.rows(data.image(), data.imageDim(), rows), new Shape(rows.length, data.imageDim())),
        batch.create(PairedDataset.rows(data.text(), data.textDim(), rows), new Shape(rows.length, data.textDim())),
        labels(batch, rows));
  }

  private NDArray labels(NDManager batch, int[] rows) {
    return batch.create(PairedDataset.rows(data.labels(), data.labelCount(), rows),
        new Shape(rows.length, data.labelCount()));
  }

  private BiCmrLoss.TrainingSet trainingSet(NDManager batch, Buffers buffers, int[] rows) {
    Shape all = new Shape(buffers.n, buffers.bits);
    Shape row = new Shape(1, buffers.bits);
    return new BiCmrLoss.TrainingSet(batch.create(buffers.image, all), batch.create(buffers.text, all),
        batch.create(buffers.label, all), batch.create(data.labels(), new Shape(data.size(), data.labelCount())),
        batch.create(buffers.restSum(buffers.image, buffers.imageSum, rows), row),
        batch.create(buffers.restSum(buffers.text, buffers.textSum, rows), row));
  }

  /** The label-net pass: the training labels in a seeded order, the label net alone, its own Adam. */
  private void labelPass(BiCmrNetwork net, BiCmrLoss loss, Adam labelAdam, double lr, NDManager manager, int epoch) {
    int n = data.size();
    int size = config.optimiser().batchSize();
    int[] order = DatasetSplit.permutation(n, new SplittableRandom(config.optimiser().seed() * 37 + epoch + 1));
    for (int from = 0; from < n; from += size) {
      int[] rows = Arrays.copyOfRange(order, from, Math.min(n, from + size));
      try (NDManager batch = manager.newSubManager()) {
        NDArray y = labels(batch, rows);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray[] out = net.labelForward(y, true);
          collector.backward(loss.labelPass(out[0], out[1], y));
        }
        labelAdam.step(lr);
      }
    }
  }

  /** Fills the label buffer (and, when {@code all}, the image and text buffers) with the nets' current outputs. */
  private void fill(BiCmrNetwork net, NDManager manager, Buffers buffers, boolean all) {
    int[] rows = new int[data.size()];
    Arrays.setAll(rows, i -> i);
    float[] labelCodes;
    try (NDManager scope = manager.newSubManager()) {
      labelCodes = net.labelHash(scope.create(data.labels(), new Shape(data.size(), data.labelCount())))
          .toFloatArray();
    }
    System.arraycopy(labelCodes, 0, buffers.label, 0, labelCodes.length);
    if (all) {
      float[] image = HashOutputs.images(net, manager, data.image(), data.imageDim(), rows);
      float[] text = HashOutputs.texts(net, manager, data.text(), data.textDim(), rows);
      System.arraycopy(image, 0, buffers.image, 0, image.length);
      System.arraycopy(text, 0, buffers.text, 0, text.length);
      buffers.recomputeSums();
    }
  }

  /** Everything a resumed run must share with the checkpoint: the settings except the number of epochs, the data. */
  private String fingerprint() {
    var settings = new Gson().toJsonTree(config).getAsJsonObject();
    settings.getAsJsonObject("optimiser").remove("epochs");
    return settings + " data=" + data.size() + "x" + data.imageDim() + "/" + data.textDim() + "/"
        + data.labelCount() + (selection == null ? "" : " selection=" + selection.description());
  }

  private void save(BiCmrNetwork net, Adam instanceAdam, Adam labelAdam, Buffers buffers, int epochsDone)
      throws IOException {
    Path parent = checkpoint.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, "checkpoint", ".tmp");
    try (OutputStream raw = Files.newOutputStream(tmp);
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw))) {
      out.writeUTF(MAGIC);
      out.writeUTF(fingerprint());
      out.writeInt(epochsDone);
      net.save(out);
      instanceAdam.save(out);
      labelAdam.save(out);
      if (buffers != null) {
        buffers.save(out);
      }
      if (selection != null) {
        selection.save(out);
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, checkpoint, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private int restore(BiCmrNetwork net, Adam instanceAdam, Adam labelAdam, Buffers buffers, NDManager manager)
      throws IOException {
    try (InputStream raw = Files.newInputStream(checkpoint);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw))) {
      String magic = in.readUTF();
      if (MAGIC.equals(magic) == false) {
        throw new IOException("checkpoint " + checkpoint + " is not a Bi-CMR checkpoint of this version (header \""
            + magic + "\", expected \"" + MAGIC + "\"); delete it to start again");
      }
      String saved = in.readUTF();
      if (saved.equals(fingerprint()) == false) {
        throw new IOException("checkpoint " + checkpoint + " was written with other settings or data:\n  checkpoint: "
            + saved + "\n  this run:   " + fingerprint() + "\ndelete it or use another checkpoint path");
      }
      int epochsDone = in.readInt();
      net.load(manager, in);
      instanceAdam.load(in);
      labelAdam.load(in);
      if (buffers != null) {
        buffers.load(in);
      }
      if (selection != null) {
        selection.load(in);
      }
      return epochsDone;
    }
  }
}
