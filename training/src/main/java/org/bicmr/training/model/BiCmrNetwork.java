package org.bicmr.training.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bicmr.training.data.FeatureMoments;

/**
 * Bi-CMR's networks (DESIGN §6): the image net (features → hidden → l, tanh), the text net (BoW → hidden → hidden →
 * l, tanh), the multi-label net (labels → hidden layers → l, tanh) and the heads of the loss. Hidden layers use ReLU;
 * initialisation is Xavier, seeded; parameters live in the given manager.
 *
 * <p>With the paper's reconstruction ({@link BiCmrConfig.Reconstruction#EUCLIDEAN}) each modality has an SSR head
 * (hash → ssr → feature) and the classifier reads the hash code. With the released code's ({@link
 * BiCmrConfig.Reconstruction#BOTTLENECK}) the image and text nets carry a linear bottleneck (hidden → ssr → hidden)
 * between their last hidden layer and the hash layer, part of the inference path, and the classifier reads its
 * output. The label net has a classifier on its last hidden layer when the objective has a label-net pass.
 */
public final class BiCmrNetwork implements HashFunctions {
  /** The name of the identity blocks of the bottleneck (read by the export). */
  public static final String IDENTITY = "identity";

  private final BiCmrConfig config;
  private final int imageDim;
  private final int textDim;
  private final int labelCount;
  private final ParameterStore store;
  private final SequentialBlock imageNet;
  private final SequentialBlock textNet;
  private final SequentialBlock labelNet;
  /** The heads, by name, in the order of the parameter file. */
  private final Map<String, Block> heads = new LinkedHashMap<>();
  /** Input standardisation (when the widths ask for it): mean and inverse deviation of each feature, 1 × dim. */
  private final NDArray imageMean;
  private final NDArray imageScale;
  private final NDArray textMean;
  private final NDArray textScale;

  /** Builds and initialises the networks in {@code manager} with values of {@code dataType}. */
  public BiCmrNetwork(BiCmrConfig config, int imageDim, int textDim, int labelCount, NDManager manager,
      DataType dataType) {
    this.config = config;
    this.imageDim = imageDim;
    this.textDim = textDim;
    this.labelCount = labelCount;
    BiCmrConfig.Widths w = config.widths();
    BiCmrConfig.Objective o = config.objective();
    int l = config.bits();
    boolean bottleneck = o.reconstruction() == BiCmrConfig.Reconstruction.BOTTLENECK;
    imageNet = hashNet(List.of(w.image()), bottleneck ? w.ssr() : 0, l);
    textNet = hashNet(List.of(w.text1(), w.text2()), bottleneck ? w.ssr() : 0, l);
    labelNet = hashNet(w.label(), 0, l);
    if (bottleneck == false) {
      heads.put("imageSsr", reconstruction(w.ssr(), imageDim));
      heads.put("textSsr", reconstruction(w.ssr(), textDim));
    }
    heads.put("imageClassifier", Linear.builder().setUnits(labelCount).build());
    heads.put("textClassifier", Linear.builder().setUnits(labelCount).build());
    if (o.labelPass()) {
      heads.put("labelClassifier", Linear.builder().setUnits(labelCount).build());
    }

    Engine.getInstance().setRandomSeed((int) config.optimiser().seed());
    initialize(imageNet, manager, dataType, imageDim);
    initialize(textNet, manager, dataType, textDim);
    initialize(labelNet, manager, dataType, labelCount);
    int classifierInput = bottleneck ? w.text2() : l;
    for (Map.Entry<String, Block> head : heads.entrySet()) {
      int input = switch (head.getKey()) {
        case "imageClassifier" -> bottleneck ? w.image() : l;
        case "textClassifier" -> classifierInput;
        case "labelClassifier" -> w.label().get(w.label().size() - 1);
        default -> l; // the SSR heads read the hash code
      };
      initialize(head.getValue(), manager, dataType, input);
    }
    imageMean = manager.zeros(new Shape(1, imageDim), dataType);
    imageScale = manager.ones(new Shape(1, imageDim), dataType);
    textMean = manager.zeros(new Shape(1, textDim), dataType);
    textScale = manager.ones(new Shape(1, textDim), dataType);
    store = new ParameterStore(manager, false);
  }

  /**
   * Sets the input standardisation from the training items' features (row-major, {@code dim} each): each feature's
   * mean, and the inverse of its standard deviation times √dim (a constant feature: 1/√dim), so a standardised item
   * has a squared length of about 1 however wide it is — the first layer's Adam steps then move its outputs as much
   * for a dense 480-d feature as for a sparse bag of words. A modality whose features are all 0 or 1 (a bag of words)
   * is left as it is.
   */
  public void standardizeOn(float[] image, float[] text) {
    if (!config.widths().standardize()) {
      throw new IllegalStateException("the nets do not standardise their inputs (widths.standardize is false)");
    }
    fit(image, imageDim, imageMean, imageScale);
    fit(text, textDim, textMean, textScale);
  }

  private static void fit(float[] rows, int dim, NDArray mean, NDArray scale) {
    if (FeatureMoments.isBagOfWords(rows)) { // a bag of words stays as it is: sparse, and already of a comparable scale
      setValues(mean, new float[dim]);
      float[] one = new float[dim];
      java.util.Arrays.fill(one, 1f);
      setValues(scale, one);
      return;
    }
    FeatureMoments moments = FeatureMoments.of(rows, dim);
    float[] m = new float[dim];
    float[] inv = new float[dim];
    for (int d = 0; d < dim; d++) {
      double sd = moments.deviation()[d];
      m[d] = (float) moments.mean()[d];
      inv[d] = (float) ((sd > 1e-8 ? 1 / sd : 1) / Math.sqrt(dim));
    }
    setValues(mean, m);
    setValues(scale, inv);
  }

  /** Sets {@code a}'s values, whatever its float type. */
  private static void setValues(NDArray a, float[] v) {
    if (a.getDataType() == DataType.FLOAT64) {
      double[] d = new double[v.length];
      for (int i = 0; i < v.length; i++) {
        d[i] = v[i];
      }
      a.set(d);
    } else {
      a.set(v);
    }
  }

  /** The image input standardisation {mean, inverse deviation}, or null when the nets take raw inputs. */
  public float[][] imageStandardization() {
    return config.widths().standardize() ? new float[][] {imageMean.toFloatArray(), imageScale.toFloatArray()} : null;
  }

  /** The text input standardisation {mean, inverse deviation}, or null when the nets take raw inputs. */
  public float[][] textStandardization() {
    return config.widths().standardize() ? new float[][] {textMean.toFloatArray(), textScale.toFloatArray()} : null;
  }

  private NDArray image(NDArray x) {
    return config.widths().standardize() ? x.sub(imageMean).mul(imageScale) : x;
  }

  private NDArray text(NDArray x) {
    return config.widths().standardize() ? x.sub(textMean).mul(textScale) : x;
  }

  /** hidden layers (ReLU), an optional linear bottleneck back to the last width, the hash layer (tanh). */
  private static SequentialBlock hashNet(List<Integer> hidden, int bottleneck, int bits) {
    SequentialBlock net = new SequentialBlock();
    for (int width : hidden) {
      net.add(Linear.builder().setUnits(width).build()).add(Activation.reluBlock());
    }
    if (bottleneck > 0) {
      net.add(Linear.builder().setUnits(bottleneck).build()).add(LambdaBlock.singleton(x -> x, IDENTITY));
      net.add(Linear.builder().setUnits(hidden.get(hidden.size() - 1)).build())
          .add(LambdaBlock.singleton(x -> x, IDENTITY));
    }
    return net.add(Linear.builder().setUnits(bits).build()).add(Activation.tanhBlock());
  }

  private static SequentialBlock reconstruction(int hidden, int dim) {
    return new SequentialBlock()
        .add(Linear.builder().setUnits(hidden).build()).add(Activation.reluBlock())
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

  private boolean bottleneck() {
    return config.objective().reconstruction() == BiCmrConfig.Reconstruction.BOTTLENECK;
  }

  /** Every output the loss needs, for one batch. */
  public BiCmrLoss.Outputs forward(BiCmrLoss.Inputs batch, boolean training) {
    Modality image = modality(imageNet, image(batch.image()), 1, "image", training);
    Modality text = modality(textNet, text(batch.text()), 2, "text", training);
    NDArray hL = run(labelNet, batch.labels(), training);
    return new BiCmrLoss.Outputs(image.hash, text.hash, hL, image.ssrTarget, image.ssrOutput, text.ssrTarget,
        text.ssrOutput, image.logits, text.logits);
  }

  private record Modality(NDArray hash, NDArray ssrTarget, NDArray ssrOutput, NDArray logits) {}

  private Modality modality(SequentialBlock net, NDArray input, int hiddenLayers, String name, boolean training) {
    int size = net.getChildren().size();
    if (bottleneck()) {
      NDArray features = forward(net, 0, 2 * hiddenLayers, input, training);
      NDArray f = forward(net, 2 * hiddenLayers, size - 2, features, training);
      NDArray hash = forward(net, size - 2, size, f, training);
      return new Modality(hash, features, f, run(heads.get(name + "Classifier"), f, training));
    }
    NDArray hash = run(net, input, training);
    return new Modality(hash, input, run(heads.get(name + "Ssr"), hash, training),
        run(heads.get(name + "Classifier"), hash, training));
  }

  /** The label net's codes and, when it has one, its classifier's logits, for the label-net pass. */
  public NDArray[] labelForward(NDArray labels, boolean training) {
    int size = labelNet.getChildren().size();
    NDArray features = forward(labelNet, 0, size - 2, labels, training);
    NDArray hash = forward(labelNet, size - 2, size, features, training);
    Block classifier = heads.get("labelClassifier");
    if (classifier == null) {
      throw new IllegalStateException("the label net has no classifier: the objective has no label-net pass");
    }
    return new NDArray[] {hash, run(classifier, features, training)};
  }

  /**
   * Multiply-adds of one item's forward pass through every net and head (the dense layers; activations and the loss
   * are lower order). A training step costs about three times this per item (forward, and backward for inputs and
   * weights).
   */
  public long forwardMultiplyAddsPerItem() {
    long total = 0;
    for (Block b : blocks()) {
      for (var p : b.getParameters()) {
        if (p.getKey().endsWith("weight")) {
          total += p.getValue().getArray().size();
        }
      }
    }
    return total;
  }

  /** The image net's tanh outputs for a batch of image features. */
  @Override
  public NDArray imageHash(NDArray features) {
    return run(imageNet, image(features), false);
  }

  /** The text net's tanh outputs for a batch of text vectors. */
  @Override
  public NDArray textHash(NDArray text) {
    return run(textNet, text(text), false);
  }

  /** The multi-label net's tanh outputs for a batch of label vectors. */
  public NDArray labelHash(NDArray labels) {
    return run(labelNet, labels, false);
  }

  private NDArray run(Block block, NDArray input, boolean training) {
    return block.forward(store, new NDList(input), training).singletonOrThrow();
  }

  private NDArray forward(SequentialBlock net, int from, int to, NDArray x, boolean training) {
    NDList current = new NDList(x);
    var children = net.getChildren().values();
    for (int i = from; i < to; i++) {
      current = children.get(i).forward(store, current, training);
    }
    return current.singletonOrThrow();
  }

  /** The parameters trained at the image/text learning rate: image, text, SSR and classification nets. */
  public List<Parameter> instanceParameters() {
    List<Parameter> out = new ArrayList<>();
    imageNet.getParameters().values().forEach(out::add);
    textNet.getParameters().values().forEach(out::add);
    heads.forEach((name, b) -> {
      if (name.equals("labelClassifier") == false) {
        b.getParameters().values().forEach(out::add);
      }
    });
    return out;
  }

  /** The parameters trained at the label learning rate: the multi-label net and its classifier. */
  public List<Parameter> labelParameters() {
    List<Parameter> out = new ArrayList<>();
    labelNet.getParameters().values().forEach(out::add);
    Block classifier = heads.get("labelClassifier");
    if (classifier != null) {
      classifier.getParameters().values().forEach(out::add);
    }
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
    if (config.widths().standardize()) {
      for (NDArray a : List.of(imageMean, imageScale, textMean, textScale)) {
        for (float v : a.toFloatArray()) {
          out.writeFloat(v);
        }
      }
    }
  }

  /** Reads what {@link #save} wrote. */
  public void load(NDManager manager, DataInputStream in) throws IOException {
    try {
      for (Block b : blocks()) {
        b.loadParameters(manager, in);
      }
      if (config.widths().standardize()) {
        for (NDArray a : List.of(imageMean, imageScale, textMean, textScale)) {
          float[] v = new float[(int) a.size()];
          for (int i = 0; i < v.length; i++) {
            v[i] = in.readFloat();
          }
          setValues(a, v);
        }
      }
      for (var p : namedParameters()) { // loaded arrays come without autograd
        p.getValue().getArray().setRequiresGradient(true);
      }
    } catch (ai.djl.MalformedModelException e) {
      throw new IOException("checkpoint does not match the network: " + e.getMessage(), e);
    }
  }

  private List<Block> blocks() {
    List<Block> all = new ArrayList<>(List.of(imageNet, textNet, labelNet));
    all.addAll(heads.values());
    return all;
  }

  /** Every parameter with a stable name, for optimiser state. */
  public List<Pair<String, Parameter>> namedParameters() {
    List<Pair<String, Parameter>> out = new ArrayList<>();
    List<String> names = new ArrayList<>(List.of("image", "text", "label"));
    names.addAll(heads.keySet());
    List<Block> blocks = blocks();
    for (int i = 0; i < blocks.size(); i++) {
      for (var p : blocks.get(i).getParameters()) {
        out.add(new Pair<>(names.get(i) + "." + p.getKey(), p.getValue()));
      }
    }
    return out;
  }
}
