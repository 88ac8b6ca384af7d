package org.bicmr.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * AGAH's hash functions (Gu et al., ICMR 2019, as its released code WendellGul/AGAH computes them): the image or text
 * net's last hidden layer f (the semantic features), scaled to unit length, is mixed with its multi-label attention,
 * f' = λ f + (1 − λ) Σ_c a_c M_c / Σ_c a_c with a_c = σ(5 f · M_c), where the feature map M holds one unit vector per
 * label (the mean features of the training items with that label); the hash layer then maps f' to tanh outputs.
 * Unlike the released code, which scales a whole batch of features by one norm (so that an item's code depends on its
 * batch), each item's features are scaled by their own norm. {@code parameters.bin} holds the two nets, then λ and M.
 */
public final class AgahNets implements HashFunctions {
  private static final double SHARPNESS = 5;

  private final HashNets nets;
  private final int labels;
  private final double lambda;
  private final NDArray featureMap;

  /** AGAH's nets with attention weight {@code lambda} and a feature map of {@code labels} rows (initially zero). */
  public AgahNets(HashNets nets, int labels, double lambda, NDManager manager) {
    if (labels < 1) {
      throw new IllegalArgumentException("labels must be at least 1, got " + labels);
    }
    if (!(lambda >= 0 && lambda <= 1)) {
      throw new IllegalArgumentException("lambda must be in [0, 1], got " + lambda);
    }
    if (nets.shape().imageHidden() != nets.shape().textHidden2()) {
      throw new IllegalArgumentException("AGAH's feature map serves both nets: imageHidden ("
          + nets.shape().imageHidden() + ") must equal textHidden2 (" + nets.shape().textHidden2() + ")");
    }
    this.nets = nets;
    this.labels = labels;
    this.lambda = lambda;
    this.featureMap = manager.zeros(new Shape(labels, nets.shape().imageHidden()), DataType.FLOAT32);
  }

  public HashNets nets() {
    return nets;
  }

  /** Replaces the feature map (labels × feature width, row-major). */
  public void setFeatureMap(float[] map) {
    if (map.length != featureMap.size()) {
      throw new IllegalArgumentException("feature map must have " + featureMap.getShape() + " entries ("
          + featureMap.size() + "), got " + map.length);
    }
    featureMap.set(map);
  }

  /** The image net's semantic features, each row scaled to unit length (the scale carries no gradient). */
  public NDArray imageFeatures(NDArray x, boolean training) {
    return unit(nets.imageFeatures(x, training));
  }

  /** The text net's semantic features, each row scaled to unit length. */
  public NDArray textFeatures(NDArray x, boolean training) {
    return unit(nets.textFeatures(x, training));
  }

  /** f' = λ f + (1 − λ) attention(f) for the current feature map. */
  public NDArray attend(NDArray f) {
    NDArray weights = Activation.sigmoid(f.matMul(featureMap.transpose()).mul(SHARPNESS)); // rows × labels
    NDArray attended = weights.matMul(featureMap).div(weights.sum(new int[] {1}, true));
    return f.mul(lambda).add(attended.mul(1 - lambda));
  }

  @Override
  public int bits() {
    return nets.bits();
  }

  @Override
  public NDArray imageHash(NDArray features) {
    return nets.imageCodes(attend(imageFeatures(features, false)), false);
  }

  @Override
  public NDArray textHash(NDArray text) {
    return nets.textCodes(attend(textFeatures(text, false)), false);
  }

  @Override
  public void save(DataOutputStream out) throws IOException {
    nets.save(out);
    out.writeInt(labels);
    out.writeDouble(lambda);
    for (float v : featureMap.toFloatArray()) {
      out.writeFloat(v);
    }
  }

  /** Reads what {@link #save} wrote into nets of {@code shape}. */
  public static AgahNets load(NetShape shape, int imageDim, int textDim, NDManager manager, DataInputStream in)
      throws IOException {
    HashNets nets = new HashNets(shape, imageDim, textDim, 0L, manager, DataType.FLOAT32);
    nets.load(manager, in);
    int labels = in.readInt();
    double lambda = in.readDouble();
    if (labels < 1 || labels > 1_000_000) {
      throw new IOException("AGAH parameters: expected a label count after the nets, got " + labels);
    }
    AgahNets agah = new AgahNets(nets, labels, lambda, manager);
    float[] map = new float[labels * shape.imageHidden()];
    for (int i = 0; i < map.length; i++) {
      map[i] = in.readFloat();
    }
    agah.setFeatureMap(map);
    return agah;
  }

  private static NDArray unit(NDArray f) {
    return f.div(f.stopGradient().square().sum(new int[] {1}, true).add(1e-12).sqrt());
  }
}
