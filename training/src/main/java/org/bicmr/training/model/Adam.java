package org.bicmr.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam (Kingma and Ba, 2015) over a group of parameters, with its moments kept here so that a checkpoint restores the
 * optimiser exactly (DJL's optimisers keep theirs out of reach). β2 = 0.999 and ε = 1e-8 are PyTorch's defaults; β1 is
 * PyTorch's 0.9 unless given (Bi-CMR's released code uses 0.5). With a weight decay it is PyTorch's AdamW (Loshchilov
 * and Hutter, 2019): each step first multiplies every weight by 1 − lr · weightDecay.
 */
public final class Adam {
  private static final double DEFAULT_BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPSILON = 1e-8;

  private final double beta1;
  private final double weightDecay;
  private final List<Parameter> parameters;
  private final List<NDArray> first = new ArrayList<>();
  private final List<NDArray> second = new ArrayList<>();
  private long steps;

  /** Zero moments for {@code parameters}, kept in {@code manager}, with PyTorch's β1 = 0.9. */
  public Adam(List<Parameter> parameters, NDManager manager) {
    this(parameters, manager, DEFAULT_BETA1);
  }

  /** Zero moments for {@code parameters}, kept in {@code manager}, with the given β1. */
  public Adam(List<Parameter> parameters, NDManager manager, double beta1) {
    this(parameters, manager, beta1, 0);
  }

  /** Zero moments for {@code parameters}, kept in {@code manager}, with the given β1 and decoupled weight decay. */
  public Adam(List<Parameter> parameters, NDManager manager, double beta1, double weightDecay) {
    if (beta1 < 0 || beta1 >= 1) {
      throw new IllegalArgumentException("Adam's beta1 must be in [0, 1), got " + beta1);
    }
    if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
      throw new IllegalArgumentException("Adam's weight decay must be a finite number ≥ 0, got " + weightDecay);
    }
    this.beta1 = beta1;
    this.weightDecay = weightDecay;
    this.parameters = List.copyOf(parameters);
    for (Parameter p : this.parameters) {
      first.add(manager.zeros(p.getArray().getShape(), p.getArray().getDataType()));
      second.add(manager.zeros(p.getArray().getShape(), p.getArray().getDataType()));
    }
  }

  /** One update with learning rate {@code lr} from the parameters' gradients, which it then clears. */
  public void step(double lr) {
    steps++;
    double c1 = 1 - Math.pow(beta1, steps);
    double c2 = 1 - Math.pow(BETA2, steps);
    try (NDScope scope = new NDScope()) { // closes the temporaries, which live in the parameters' manager
      for (int i = 0; i < parameters.size(); i++) {
        update(i, lr, c1, c2);
      }
    }
  }

  /**
   * The parameters whose gradient holds a NaN or an infinity (empty when every gradient is finite), to be
   * asked before {@link #step}: a step with such a gradient would write it into the weights.
   */
  public List<Parameter> nonFiniteGradients() {
    List<Parameter> found = new ArrayList<>();
    try (NDScope scope = new NDScope()) {
      for (Parameter p : parameters) {
        if (Float.isFinite(p.getArray().getGradient().sum().getFloat()) == false) { // a sum is finite iff every entry is
          found.add(p);
        }
      }
    }
    return found;
  }

  /** Sets every gradient to zero, also one that holds a NaN or an infinity (which {@link #step} cannot clear). */
  public void clearGradients() {
    for (Parameter p : parameters) {
      p.getArray().getGradient().set(new NDIndex("..."), 0);
    }
  }

  /**
   * PyTorch's formulation, with as few full-size temporaries as possible: w ← w (1 − lr · wd), then w −= (lr/c1) · m /
   * (√v/√c2 + ε).
   */
  private void update(int i, double lr, double c1, double c2) {
    NDArray weight = parameters.get(i).getArray();
    NDArray grad = weight.getGradient();
    if (weightDecay > 0) {
      weight.muli(1 - lr * weightDecay);
    }
    NDArray m = first.get(i);
    NDArray v = second.get(i);
    m.muli(beta1).addi(grad.mul(1 - beta1));
    v.muli(BETA2).addi(grad.square().muli(1 - BETA2));
    NDArray denominator = v.sqrt().divi(Math.sqrt(c2)).addi(EPSILON);
    weight.subi(m.div(denominator).muli(lr / c1));
    grad.subi(grad); // gradients accumulate across collectors: clear them for the next batch
  }

  long steps() {
    return steps;
  }

  void save(DataOutputStream out) throws IOException {
    out.writeLong(steps);
    for (int i = 0; i < parameters.size(); i++) {
      write(out, first.get(i));
      write(out, second.get(i));
    }
  }

  void load(DataInputStream in) throws IOException {
    steps = in.readLong();
    for (int i = 0; i < parameters.size(); i++) {
      read(in, first.get(i));
      read(in, second.get(i));
    }
  }

  private static void write(DataOutputStream out, NDArray a) throws IOException {
    byte[] bytes = a.encode();
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static void read(DataInputStream in, NDArray into) throws IOException {
    byte[] bytes = new byte[in.readInt()];
    in.readFully(bytes);
    try (NDArray loaded = NDArray.decode(into.getManager(), bytes)) {
      if (loaded.getShape().equals(into.getShape()) == false) {
        throw new IOException("optimiser state has shape " + loaded.getShape() + ", expected " + into.getShape());
      }
      into.set(loaded.toByteBuffer());
    }
  }
}
