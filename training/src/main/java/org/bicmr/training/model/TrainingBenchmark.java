package org.bicmr.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.Locale;
import java.util.Random;
import org.bicmr.training.data.PairedDataset;

/**
 * Measures one training epoch of Bi-CMR and, in the same run, the machine's dense matrix-multiply throughput through
 * the same DJL engine, so the epoch time can be read against its FLOP bound: (3 × forward multiply-adds × 2 FLOP ×
 * items) / measured FLOP/s.
 */
public final class TrainingBenchmark {

  /** What one run measured. */
  public record Result(int items, long flopsPerEpoch, double matmulFlopsPerSecond, double epochSeconds,
      double[] meanLoss) {
    public double flopBoundSeconds() {
      return flopsPerEpoch / matmulFlopsPerSecond;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT,
          "epoch of %,d pairs: %.1f s; %.2f TFLOP per epoch; DJL matmul %.1f GFLOP/s -> FLOP bound %.1f s; "
              + "epoch / bound = %.2f",
          items, epochSeconds, flopsPerEpoch / 1e12, matmulFlopsPerSecond / 1e9, flopBoundSeconds(),
          epochSeconds / flopBoundSeconds());
    }
  }

  private TrainingBenchmark() {}

  /** Random data of the given sizes (the network's cost does not depend on the values). */
  public static PairedDataset randomData(int items, int imageDim, int textDim, int labels, long seed) {
    Random r = new Random(seed);
    float[] image = new float[items * imageDim];
    float[] text = new float[items * textDim];
    float[] y = new float[items * labels];
    for (int i = 0; i < image.length; i++) {
      image[i] = (float) r.nextGaussian();
    }
    for (int i = 0; i < text.length; i++) {
      text[i] = r.nextInt(100) < 2 ? 1f : 0f;
    }
    for (int i = 0; i < y.length; i++) {
      y[i] = r.nextInt(8) == 0 ? 1f : 0f;
    }
    return PairedDataset.builder("random", items).image(imageDim, image).text(textDim, text).labels(labels, y).build();
  }

  /** Times one epoch of {@code config} (epochs forced to 1) on {@code data}, and a matmul of the same width. */
  public static Result run(BiCmrConfig config, PairedDataset data) throws IOException {
    BiCmrConfig oneEpoch = config.withEpochs(1);
    double flops = matmulFlopsPerSecond(config.optimiser().batchSize(), config.widths().image());
    long start = System.nanoTime();
    double[][] mean = new double[1][];
    try (NDManager manager = NDManager.newBaseManager()) {
      BiCmrNetwork net = new BiCmrTrainer(oneEpoch, data, null).train(manager, new Trainer.Listener() {
        @Override
        public void epochDone(int epoch, double[] meanTerms, double score, double seconds) {
          mean[0] = meanTerms;
        }
      });
      double seconds = (System.nanoTime() - start) / 1e9;
      long perEpoch = 3L * 2L * net.forwardMultiplyAddsPerItem() * data.size();
      return new Result(data.size(), perEpoch, flops, seconds, mean[0]);
    }
  }

  /** FLOP/s of a (batch × width) · (width × width) product, the shape of the widest layers. */
  static double matmulFlopsPerSecond(int batch, int width) {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray a = manager.randomNormal(new Shape(batch, width));
      NDArray b = manager.randomNormal(new Shape(width, width));
      for (int i = 0; i < 5; i++) {
        a.matMul(b).close(); // warm-up
      }
      int reps = 0;
      long start = System.nanoTime();
      while (System.nanoTime() - start < 2_000_000_000L || reps < 10) {
        a.matMul(b).close();
        reps++;
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return 2.0 * batch * width * (double) width * reps / seconds;
    }
  }
}
