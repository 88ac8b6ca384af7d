package org.bicmr.training.model;

/**
 * The shape of a baseline's two hash nets: Bi-CMR's image net (features → imageHidden → l) and text net (BoW →
 * textHidden1 → textHidden2 → l), hidden layers with ReLU, and the output layer each method's paper uses.
 *
 * @param bits code length l (a multiple of 8, 8 to 4,096)
 * @param imageHidden width of the image net's hidden layer (Bi-CMR: 4,096)
 * @param textHidden1 width of the text net's first hidden layer (Bi-CMR: 1,024)
 * @param textHidden2 width of the text net's second hidden layer (Bi-CMR: 4,096), or 0 for a single hidden layer (the
 *     released DCMH's text net: BoW → 8,192 → l)
 * @param output the output layer's activation
 * @param init how weights and biases start
 * @param centreText whether the text net's input is the bag of words less the training items' mean (the released
 *     DCMH's {@code normZeroMean}; the mean is kept with the parameters)
 */
public record NetShape(int bits, int imageHidden, int textHidden1, int textHidden2, Output output, Init init,
    boolean centreText) {

  /** How a net's parameters start. */
  public enum Init {
    /** Xavier weights, zero biases (DJL's default for our nets). */
    XAVIER,
    /** Weights and biases from N(0, 0.01²), as the released DCMH's {@code 0.01*randn}. */
    NORMAL
  }

  /** Xavier-initialised nets on raw inputs. */
  public NetShape(int bits, int imageHidden, int textHidden1, int textHidden2, Output output) {
    this(bits, imageHidden, textHidden1, textHidden2, output, Init.XAVIER, false);
  }

  /** The activation of the hash layer. */
  public enum Output {
    /** No activation: the real-valued outputs F, G of DCMH and PRDH, whose signs are the codes. */
    LINEAR,
    /** tanh, as in Bi-CMR, SSAH and AGAH. */
    TANH
  }

  public NetShape {
    if (bits < 8 || bits > 4096 || bits % 8 != 0) {
      throw new IllegalArgumentException("bits must be a multiple of 8 from 8 to 4096, got " + bits);
    }
    positive("imageHidden", imageHidden);
    positive("textHidden1", textHidden1);
    if (textHidden2 < 0) {
      throw new IllegalArgumentException("textHidden2 must be at least 0 (0: one hidden layer), got " + textHidden2);
    }
    if (output == null) {
      throw new IllegalArgumentException("output must be LINEAR or TANH, got null");
    }
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + value);
    }
  }

  /** How the parameters start; Xavier for shapes written before this setting existed. */
  @Override
  public Init init() {
    return init == null ? Init.XAVIER : init;
  }

  /** The width of the text net's last hidden layer: the features SSAH and AGAH compare with the image net's. */
  public int textFeatures() {
    return textHidden2 > 0 ? textHidden2 : textHidden1;
  }

  /** Bi-CMR's layer widths (4,096; 1,024 and 4,096) at {@code bits} bits with the given output layer. */
  public static NetShape paper(int bits, Output output) {
    return new NetShape(bits, 4096, 1024, 4096, output);
  }
}
