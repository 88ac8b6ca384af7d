package org.bicmr.training.baseline;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.bicmr.training.data.DatasetSplit;
import org.bicmr.training.data.MainMinorGenerator;
import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.data.RealData;
import org.bicmr.training.eval.PackedCodes;
import org.bicmr.training.eval.Relevance;
import org.bicmr.training.eval.RetrievalEvaluation;
import org.bicmr.training.model.HashFunctions;
import org.bicmr.training.model.HashOutputs;
import org.bicmr.training.model.Trainer;

/**
 * The small synthetic preset, cut to {@code items} items, with a seeded split: what the baselines' training tests
 * learn on, and how they measure it (MAP under label overlap S, both directions) against codes that learned nothing.
 */
final class SmallPreset {
  final PairedDataset data;
  final DatasetSplit split;

  SmallPreset(int items, int queries, int training) throws IOException {
    MainMinorGenerator.Parameters small = MainMinorGenerator.Parameters.small();
    MainMinorGenerator.Parameters p = new MainMinorGenerator.Parameters(items, small.imageDim(), small.minorMin(),
        small.minorMax(), small.mainWeight(), small.tagsMin(), small.tagsMax(), small.imageNoise(), small.smoothing(),
        small.background(), small.seed());
    data = MainMinorGenerator.fromMirFlickr(RealData.mirflickr(), p.smoothing()).generate(p).dataset();
    split = DatasetSplit.random(items, queries, training, 7L);
  }

  PairedDataset training() {
    return data.subset(split.train());
  }

  /** What a training test checks: J's terms of the first and last epoch, MAP both ways, random codes' MAP. */
  record Outcome(double[] firstEpoch, double[] lastEpoch, double iqt, double tqi, double random, double seconds) {
    /** J (the last term) of the last epoch over that of the first. */
    double objectiveRatio() {
      return lastEpoch[lastEpoch.length - 1] / firstEpoch[firstEpoch.length - 1];
    }

    String describe(String method) {
      return String.format(Locale.ROOT, "%s: J %.0f -> %.0f; IQT %.4f, TQI %.4f, random codes %.4f (%.1f s)", method,
          firstEpoch[firstEpoch.length - 1], lastEpoch[lastEpoch.length - 1], iqt, tqi, random, seconds);
    }
  }

  /** Trains with {@code trainer} on {@link #training()} and measures the codes on the split. */
  Outcome train(Trainer trainer) throws IOException {
    List<double[]> epochs = new ArrayList<>();
    long t0 = System.nanoTime();
    try (NDManager m = NDManager.newBaseManager()) {
      HashFunctions nets = trainer.train(m, new Trainer.Listener() {
        @Override
        public void epochDone(int epoch, double[] objective, double score, double seconds) {
          epochs.add(objective);
        }
      });
      double[] map = map(nets, m);
      return new Outcome(epochs.get(0), epochs.get(epochs.size() - 1), map[0], map[1], randomMap(nets.bits()),
          (System.nanoTime() - t0) / 1e9);
    }
  }

  /** MAP of image queries against the text database (IQT) and of text queries against images (TQI), under S. */
  double[] map(HashFunctions net, NDManager manager) {
    int[] all = new int[data.size()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    int bits = net.bits();
    PackedCodes image = PackedCodes.fromOutputs(
        HashOutputs.images(net, manager, data.image(), data.imageDim(), all), bits);
    PackedCodes text = PackedCodes.fromOutputs(HashOutputs.texts(net, manager, data.text(), data.textDim(), all), bits);
    return new double[] {
      RetrievalEvaluation.evaluate(data, Relevance.S, image, split.query(), text, split.database()).map(),
      RetrievalEvaluation.evaluate(data, Relevance.S, text, split.query(), image, split.database()).map()
    };
  }

  /** MAP of random codes on the same split: what a model that learned nothing would score. */
  double randomMap(int bits) {
    Random random = new Random(1);
    float[] a = new float[data.size() * bits];
    float[] b = new float[data.size() * bits];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) random.nextGaussian();
      b[i] = (float) random.nextGaussian();
    }
    return RetrievalEvaluation.evaluate(data, Relevance.S, PackedCodes.fromOutputs(a, bits), split.query(),
        PackedCodes.fromOutputs(b, bits), split.database()).map();
  }
}
