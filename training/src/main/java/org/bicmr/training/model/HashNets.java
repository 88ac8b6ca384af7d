package org.bicmr.training.model;

import ai.djl.MalformedModelException;
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
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The image and text hash nets of a baseline (DESIGN §6: "baselines on the same nets"): the layer shapes of
 * {@link BiCmrNetwork}'s image and text nets, and the output layer of {@link NetShape#output()}. Nothing else: no
 * label net, no reconstruction or classification heads. Initialisation is Xavier, seeded.
 */
public final class HashNets implements HashFunctions {
  private final NetShape shape;
  private final int imageDim;
  private final int textDim;
  private final SequentialBlock imageNet;
  private final SequentialBlock textNet;
  private final ParameterStore store;
  private final NDArray textCentre;

  /** Builds and initialises both nets in {@code manager} with values of {@code dataType}. */
  public HashNets(NetShape shape, int imageDim, int textDim, long seed, NDManager manager, DataType dataType) {
    if (imageDim < 1 || textDim < 1) {
      throw new IllegalArgumentException("input dimensions must be at least 1, got image " + imageDim + " and text "
          + textDim);
    }
    this.shape = shape;
    this.imageDim = imageDim;
    this.textDim = textDim;
    imageNet = new SequentialBlock()
        .add(Linear.builder().setUnits(shape.imageHidden()).build()).add(Activation::relu)
        .add(Linear.builder().setUnits(shape.bits()).build());
    textNet = new SequentialBlock()
        .add(Linear.builder().setUnits(shape.textHidden1()).build()).add(Activation::relu);
    if (shape.textHidden2() > 0) {
      textNet.add(Linear.builder().setUnits(shape.textHidden2()).build()).add(Activation::relu);
    }
    textNet.add(Linear.builder().setUnits(shape.bits()).build());
    if (shape.output() == NetShape.Output.TANH) {
      imageNet.add(Activation::tanh);
      textNet.add(Activation::tanh);
    }
    Engine.getInstance().setRandomSeed((int) seed);
    initialize(imageNet, manager, dataType, imageDim, shape.init());
    initialize(textNet, manager, dataType, textDim, shape.init());
    textCentre = manager.zeros(new Shape(1, textDim), dataType);
    store = new ParameterStore(manager, false);
  }

  private static void initialize(Block block, NDManager manager, DataType dataType, int inputDim,
      NetShape.Init init) {
    if (init == NetShape.Init.NORMAL) {
      block.setInitializer(new NormalInitializer(0.01f), Parameter.Type.WEIGHT);
      block.setInitializer(new NormalInitializer(0.01f), Parameter.Type.BIAS);
    } else {
      block.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
    }
    block.initialize(manager, dataType, new Shape(1, inputDim));
  }

  /**
   * Sets the mean subtracted from every text vector (the training items' mean) when the shape centres text; the mean
   * is saved with the parameters.
   */
  public void setTextCentre(float[] mean) {
    if (shape.centreText() == false) {
      throw new IllegalStateException("the net shape " + shape + " does not centre text");
    }
    if (mean.length != textDim) {
      throw new IllegalArgumentException("the text mean must have " + textDim + " values, got " + mean.length);
    }
    textCentre.set(mean);
  }

  private NDArray textInput(NDArray bow) {
    return shape.centreText() ? bow.sub(textCentre) : bow;
  }

  public NetShape shape() {
    return shape;
  }

  public int imageDim() {
    return imageDim;
  }

  public int textDim() {
    return textDim;
  }

  @Override
  public int bits() {
    return shape.bits();
  }

  /** The image net's outputs; {@code training} records the graph for a gradient. */
  public NDArray image(NDArray features, boolean training) {
    return imageNet.forward(store, new NDList(features), training).singletonOrThrow();
  }

  /** The text net's outputs; {@code training} records the graph for a gradient. */
  public NDArray text(NDArray bow, boolean training) {
    return textNet.forward(store, new NDList(textInput(bow)), training).singletonOrThrow();
  }

  @Override
  public NDArray imageHash(NDArray features) {
    return image(features, false);
  }

  @Override
  public NDArray textHash(NDArray bow) {
    return text(bow, false);
  }

  /**
   * The image net's last hidden layer (after its ReLU): the semantic features that SSAH and AGAH compare across
   * modalities; {@link #imageCodes} turns them into the outputs.
   */
  public NDArray imageFeatures(NDArray features, boolean training) {
    return forward(imageNet, 0, hashLayer(imageNet), features, training);
  }

  /** The text net's last hidden layer (after its ReLU). */
  public NDArray textFeatures(NDArray bow, boolean training) {
    return forward(textNet, 0, hashLayer(textNet), textInput(bow), training);
  }

  /** The image net's hash layer (and output activation) on features of {@link #imageFeatures}. */
  public NDArray imageCodes(NDArray hidden, boolean training) {
    return forward(imageNet, hashLayer(imageNet), imageNet.getChildren().size(), hidden, training);
  }

  /** The text net's hash layer (and output activation) on features of {@link #textFeatures}. */
  public NDArray textCodes(NDArray hidden, boolean training) {
    return forward(textNet, hashLayer(textNet), textNet.getChildren().size(), hidden, training);
  }

  /** The position of the hash layer (the last linear layer) among the net's blocks. */
  private int hashLayer(SequentialBlock net) {
    return net.getChildren().size() - (shape.output() == NetShape.Output.TANH ? 2 : 1);
  }

  private NDArray forward(SequentialBlock net, int from, int to, NDArray x, boolean training) {
    NDList current = new NDList(x);
    var children = net.getChildren().values();
    for (int i = from; i < to; i++) {
      current = children.get(i).forward(store, current, training);
    }
    return current.singletonOrThrow();
  }

  /** The image net's parameters. */
  public List<Parameter> imageParameters() {
    return new ArrayList<>(imageNet.getParameters().values());
  }

  /** The text net's parameters. */
  public List<Parameter> textParameters() {
    return new ArrayList<>(textNet.getParameters().values());
  }

  /** Every parameter with a stable name ({@code image.…}, {@code text.…}). */
  public List<Pair<String, Parameter>> namedParameters() {
    List<Pair<String, Parameter>> out = new ArrayList<>();
    imageNet.getParameters().forEach(p -> out.add(new Pair<>("image." + p.getKey(), p.getValue())));
    textNet.getParameters().forEach(p -> out.add(new Pair<>("text." + p.getKey(), p.getValue())));
    return out;
  }

  @Override
  public void save(DataOutputStream out) throws IOException {
    imageNet.saveParameters(out);
    textNet.saveParameters(out);
    if (shape.centreText()) {
      for (float v : textCentre.toFloatArray()) {
        out.writeFloat(v);
      }
    }
  }

  /** Reads what {@link #save} wrote. */
  public void load(NDManager manager, DataInputStream in) throws IOException {
    try {
      imageNet.loadParameters(manager, in);
      textNet.loadParameters(manager, in);
      if (shape.centreText()) {
        float[] mean = new float[textDim];
        for (int i = 0; i < textDim; i++) {
          mean[i] = in.readFloat();
        }
        textCentre.set(mean);
      }
    } catch (MalformedModelException e) {
      throw new IOException("parameters do not match the nets " + shape + ": " + e.getMessage(), e);
    }
    for (var p : namedParameters()) { // loaded arrays come without autograd
      p.getValue().getArray().setRequiresGradient(true);
    }
  }
}
