package org.bicmr.training.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
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
import java.util.SplittableRandom;
import org.bicmr.training.data.DatasetSplit;
import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.loss.BiCmrLoss;

/**
 * Trains Bi-CMR on a set of training pairs: mini-batches in a seeded order, the total loss of {@link BiCmrLoss}, Adam
 * at the paper's two learning rates (image/text nets and multi-label net), halved every {@code halveEvery} epochs.
 * With a checkpoint file, the state (parameters, optimiser moments, epoch) is written atomically after every epoch and
 * a later run with the same settings resumes after the last finished epoch with the same result as an uninterrupted
 * run.
 */
public final class BiCmrTrainer {
  private static final String MAGIC = "BICMR-CHECKPOINT-1";

  /** Hears about training progress (a progress bar, a log). */
  public interface Listener {
    /** Called after each batch with the batch's loss terms (ssr, m2l, l2m, cor, c, total). */
    default void batchDone(int epoch, int batch, int batches, double[] terms) {}

    /** Called after each epoch with the mean loss terms per item. */
    default void epochDone(int epoch, double[] meanTerms, double seconds) {}
  }

  private final BiCmrConfig config;
  private final PairedDataset data;
  private final Path checkpoint;

  /**
   * @param data the training pairs
   * @param checkpoint where to keep the state between epochs, or null for none
   */
  public BiCmrTrainer(BiCmrConfig config, PairedDataset data, Path checkpoint) {
    this.config = config;
    this.data = data;
    this.checkpoint = checkpoint;
  }

  /** Trains (or resumes) to {@code config.epochs()} epochs; the network lives in {@code manager}. */
  public BiCmrNetwork train(NDManager manager, Listener listener) throws IOException {
    BiCmrNetwork net = new BiCmrNetwork(config, data.imageDim(), data.textDim(), data.labelCount(), manager,
        DataType.FLOAT32);
    Adam instanceAdam = new Adam(net.instanceParameters(), manager);
    Adam labelAdam = new Adam(net.labelParameters(), manager);
    int start = 0;
    if (checkpoint != null && Files.exists(checkpoint)) {
      start = restore(net, instanceAdam, labelAdam, manager);
    }
    BiCmrLoss loss = new BiCmrLoss(config);
    int n = data.size();
    int batches = (n + config.batchSize() - 1) / config.batchSize();
    for (int epoch = start; epoch < config.epochs(); epoch++) {
      long t0 = System.nanoTime();
      double decay = Math.pow(0.5, epoch / config.halveEvery());
      int[] order = DatasetSplit.permutation(n, new SplittableRandom(config.seed() * 31 + epoch));
      double[] sums = new double[6];
      Engine.getInstance().setRandomSeed((int) (config.seed() + epoch));
      for (int b = 0; b < batches; b++) {
        int from = b * config.batchSize();
        int[] rows = java.util.Arrays.copyOfRange(order, from, Math.min(n, from + config.batchSize()));
        double[] terms;
        try (NDManager batch = manager.newSubManager()) {
          BiCmrLoss.Inputs in = new BiCmrLoss.Inputs(
              batch.create(PairedDataset.rows(data.image(), data.imageDim(), rows), new Shape(rows.length, data.imageDim())),
              batch.create(PairedDataset.rows(data.text(), data.textDim(), rows), new Shape(rows.length, data.textDim())),
              batch.create(PairedDataset.rows(data.labels(), data.labelCount(), rows),
                  new Shape(rows.length, data.labelCount())));
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            BiCmrLoss.Terms t = loss.compute(net.forward(in, true), in);
            collector.backward(t.total());
            terms = t.values();
          }
          instanceAdam.step(config.learningRate() * decay);
          labelAdam.step(config.labelLearningRate() * decay);
        }
        for (int i = 0; i < sums.length; i++) {
          sums[i] += terms[i];
        }
        listener.batchDone(epoch, b, batches, terms);
      }
      for (int i = 0; i < sums.length; i++) {
        sums[i] /= n;
      }
      if (checkpoint != null) {
        save(net, instanceAdam, labelAdam, epoch + 1);
      }
      listener.epochDone(epoch, sums, (System.nanoTime() - t0) / 1e9);
    }
    return net;
  }

  /** Everything a resumed run must share with the checkpoint: the settings except the number of epochs, the data. */
  private String fingerprint() {
    var settings = new Gson().toJsonTree(config).getAsJsonObject();
    settings.remove("epochs");
    return settings + " data=" + data.size() + "x" + data.imageDim() + "/" + data.textDim() + "/"
        + data.labelCount();
  }

  private void save(BiCmrNetwork net, Adam instanceAdam, Adam labelAdam, int epochsDone) throws IOException {
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
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, checkpoint, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private int restore(BiCmrNetwork net, Adam instanceAdam, Adam labelAdam, NDManager manager) throws IOException {
    try (InputStream raw = Files.newInputStream(checkpoint);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw))) {
      String magic = in.readUTF();
      if (MAGIC.equals(magic) == false) {
        throw new IOException("checkpoint " + checkpoint + " is not a Bi-CMR checkpoint (header \"" + magic + "\")");
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
      return epochsDone;
    }
  }
}
