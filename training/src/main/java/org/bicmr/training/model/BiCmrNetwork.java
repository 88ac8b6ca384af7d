package org.bicmr.training.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.bicmr.training.loss.BiCmrLoss;

/**
 * Bi-CMR's networks (DESIGN §6): the image net (features → hidden → l, tanh), the text net (BoW → hidden → hidden →
 * l, tanh), the multi-label net (labels → hidden → l, tanh), a classification head on each instance hash (l → C
 * logits, for L_c), and the self-supervised reconstruction heads (hash → hidden → feature) of both modalities. Hidden
 * layers use ReLU. Parameters live in the given manager; initialisation is Xavier, seeded.
 */
public final class BiCmrNetwork implements HashFunctions {
  private final BiCmrConfig config;
  private final int imageDim;
  private final int textDim;
  private final int labelCount;
  private final ParameterStore store;
  private final SequentialBlock imageNet;
  private final SequentialBlock textNet;
  private final SequentialBlock labelNet;
  private final SequentialBlock imageSsr;
  private final SequentialBlock textSsr;
  private final Linear imageClassifier;
  private final Linear textClassifier;

  /** Builds and initialises the networks in {@code manager} with values of {@code dataType}. */
  public BiCmrNetwork(BiCmrConfig config, int imageDim, int textDim, int labelCount, NDManager manager,
      DataType dataType) {
    this.config = config;
    this.imageDim = imageDim;
    this.textDim = textDim;
    this.labelCount = labelCount;
    int l = config.bits();
    imageNet = mlp(config.imageHidden(), l);
    textNet = new SequentialBlock()
        .add(Linear.builder().setUnits(config.textHidden1()).build()).add(Activation::relu)
        .add(Linear.builder().setUnits(config.textHidden2()).build()).add(Activation::relu)
        .add(Linear.builder().setUnits(l).build()).add(Activation::tanh);
    labelNet = mlp(config.labelHidden(), l);
    imageSsr = reconstruction(config.ssrHidden(), imageDim);
    textSsr = reconstruction(config.ssrHidden(), textDim);
    imageClassifier = Linear.builder().setUnits(labelCount).build();
    textClassifier = Linear.builder().setUnits(labelCount).build();

    Engine.getInstance().setRandomSeed((int) config.seed());
    initialize(imageNet, manager, dataType, imageDim);
    initialize(textNet, manager, dataType, textDim);
    initialize(labelNet, manager, dataType, labelCount);
    initialize(imageSsr, manager, dataType, l);
    initialize(textSsr, manager, dataType, l);
    initialize(imageClassifier, manager, dataType, l);
    initialize(textClassifier, manager, dataType, l);
    store = new ParameterStore(manager, false);
  }

  private static SequentialBlock mlp(int hidden, int bits) {
    return new SequentialBlock()
        .add(Linear.builder().setUnits(hidden).build()).add(Activation::relu)
        .add(Linear.builder().setUnits(bits).build()).add(Activation::tanh);
  }

  private static SequentialBlock reconstruction(int hidden, int dim) {
    return new SequentialBlock()
        .add(Linear.builder().setUnits(hidden).build()).add(Activation::relu)
        .add(Linear.builder().setUnits(dim).build());
  }

  private static void initialize(Block block, NDManager manager, DataType dataType, int inputDim) {
    block.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
    block.initialize(manager, dataType, new Shape(1, inputDim));
  }

  public BiCmrConfig config() {
    return config;
  }

  public int imageDim() {
    return imageDim;
  }

  public int textDim() {
    return textDim;
  }

  public int labelCount() {
    return labelCount;
  }

  @Override
  public int bits() {
    return config.bits();
  }

  /** Every output the loss needs, for one batch. */
  public BiCmrLoss.Outputs forward(BiCmrLoss.Inputs batch, boolean training) {
    NDArray hI = run(imageNet, batch.image(), training);
    NDArray hT = run(textNet, batch.text(), training);
    NDArray hL = run(labelNet, batch.labels(), training);
    return new BiCmrLoss.Outputs(hI, hT, hL, run(imageSsr, hI, training), run(textSsr, hT, training),
        run(imageClassifier, hI, training), run(textClassifier, hT, training));
  }

  /**
   * Multiply-adds of one item's forward pass through every net and head (the dense layers; activations and the loss
   * are lower order). A training step costs about three times this per item (forward, and backward for inputs and
   * weights).
   */
  public long forwardMultiplyAddsPerItem() {
    long l = config.bits();
    long image = (long) imageDim * config.imageHidden() + (long) config.imageHidden() * l;
    long text = (long) textDim * config.textHidden1() + (long) config.textHidden1() * config.textHidden2()
        + (long) config.textHidden2() * l;
    long label = (long) labelCount * config.labelHidden() + (long) config.labelHidden() * l;
    long ssr = 2 * l * config.ssrHidden() + (long) config.ssrHidden() * (imageDim + textDim);
    long classifiers = 2 * l * labelCount;
    return image + text + label + ssr + classifiers;
  }

  /** The image net's tanh outputs for a batch of image features. */
  @Override
  public NDArray imageHash(NDArray features) {
    return run(imageNet, features, false);
  }

  /** The text net's tanh outputs for a batch of text vectors. */
  @Override
  public NDArray textHash(NDArray text) {
    return run(textNet, text, false);
  }

  /** The multi-label net's tanh outputs for a batch of label vectors. */
  public NDArray labelHash(NDArray labels) {
    return run(labelNet, labels, false);
  }

  private NDArray run(Block block, NDArray input, boolean training) {
    return block.forward(store, new NDList(input), training).singletonOrThrow();
  }

  /** The parameters trained at the image/text learning rate: image, text, SSR and classification nets. */
  public List<Parameter> instanceParameters() {
    List<Parameter> out = new ArrayList<>();
    for (Block b : List.of(imageNet, textNet, imageSsr, textSsr, imageClassifier, textClassifier)) {
      b.getParameters().values().forEach(out::add);
    }
    return out;
  }

  /** The parameters trained at the label learning rate: the multi-label net. */
  public List<Parameter> labelParameters() {
    List<Parameter> out = new ArrayList<>();
    labelNet.getParameters().values().forEach(out::add);
    return out;
  }

  /** The image net alone (the inference path exported for images). */
  public SequentialBlock imageNet() {
    return imageNet;
  }

  /** The text net alone (the inference path exported for texts). */
  public SequentialBlock textNet() {
    return textNet;
  }

  /** Writes every parameter, in a fixed order. */
  @Override
  public void save(DataOutputStream out) throws IOException {
    for (Block b : blocks()) {
      b.saveParameters(out);
    }
  }

  /** Reads what {@link #save} wrote. */
  public void load(NDManager manager, DataInputStream in) throws IOException {
    try {
      for (Block b : blocks()) {
        b.loadParameters(manager, in);
      }
      for (var p : namedParameters()) { // loaded arrays come without autograd
        p.getValue().getArray().setRequiresGradient(true);
      }
    } catch (ai.djl.MalformedModelException e) {
      throw new IOException("checkpoint does not match the network: " + e.getMessage(), e);
    }
  }

  private List<Block> blocks() {
    return List.of(imageNet, textNet, labelNet, imageSsr, textSsr, imageClassifier, textClassifier);
  }

  /** Every parameter with a stable name, for optimiser state. */
  public List<Pair<String, Parameter>> namedParameters() {
    List<Pair<String, Parameter>> out = new ArrayList<>();
    String[] names = {"image", "text", "label", "imageSsr", "textSsr", "imageClassifier", "textClassifier"};
    List<Block> blocks = blocks();
    for (int i = 0; i < blocks.size(); i++) {
      for (var p : blocks.get(i).getParameters()) {
        out.add(new Pair<>(names[i] + "." + p.getKey(), p.getValue()));
      }
    }
    return out;
  }
}
