package org.bicmr.training.export;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.bicmr.training.data.DatasetSplit;
import org.bicmr.training.model.BiCmrConfig;
import org.bicmr.training.model.BiCmrNetwork;
import org.bicmr.training.model.TrainedModel;

/** Model directories holding a seeded, untrained Bi-CMR network of chosen sizes: enough to test the export path. */
final class RandomModels {
  private RandomModels() {}

  /** A config at {@code bits} bits with every hidden layer {@code hidden} wide. */
  static BiCmrConfig config(int bits, int hidden, long seed) {
    BiCmrConfig p = BiCmrConfig.paper(bits);
    BiCmrConfig.Optimiser o = p.optimiser();
    return p.with(p.widths().all(hidden)).with(new BiCmrConfig.Optimiser(o.learningRate(), o.labelLearningRate(),
        o.beta1(), o.batchSize(), 1, o.halveEvery(), o.halveFromStart(), o.weightDecay(), seed));
  }

  /**
   * Writes a model directory with a random network that standardises its dense inputs, fitted on {@code image} and
   * {@code text} (row-major), and a 10-item split; returns {@code dir}.
   */
  static Path writeStandardized(Path dir, BiCmrConfig config, int imageDim, float[] image, List<String> vocabulary,
      float[] text, int labels) throws IOException {
    BiCmrConfig.Widths w = config.widths();
    BiCmrConfig standardizing = config.with(new BiCmrConfig.Widths(w.image(), w.text1(), w.text2(), w.label(), w.ssr(),
        true));
    try (NDManager manager = NDManager.newBaseManager()) {
      BiCmrNetwork net = new BiCmrNetwork(standardizing, imageDim, vocabulary.size(), labels, manager,
          DataType.FLOAT32);
      net.standardizeOn(image, text);
      TrainedModel.save(dir, net, DatasetSplit.random(10, 2, 4, 7L), new TrainedModel.Meta("random-test-model",
          imageDim, vocabulary.size(), labels, standardizing, List.of(), 0));
      TrainedModel.saveVocabulary(dir, vocabulary);
    }
    return dir;
  }

  /** Writes a model directory with a random network and a 10-item split; returns {@code dir}. */
  static Path write(Path dir, BiCmrConfig config, int imageDim, List<String> vocabulary, int labels)
      throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      BiCmrNetwork net = new BiCmrNetwork(config, imageDim, vocabulary.size(), labels, manager, DataType.FLOAT32);
      TrainedModel.save(dir, net, DatasetSplit.random(10, 2, 4, 7L), new TrainedModel.Meta("random-test-model",
          imageDim, vocabulary.size(), labels, config, List.of(), 0));
      TrainedModel.saveVocabulary(dir, vocabulary);
    }
    return dir;
  }
}
