package org.bicmr.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One hash net in an ONNX Runtime session: {@code input[batch, dim] → output[batch, bits]}, its names and shapes
 * checked against the manifest when opened. Shared by all threads (ONNX Runtime sessions are thread-safe); closing
 * waits for running calls, and a call after closing is an {@link IllegalStateException}.
 */
final class HashNet implements AutoCloseable {
  private final String what;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final String input;
  private final String output;
  private final int dim;
  private final int bits;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  private HashNet(String what, OrtEnvironment env, OrtSession session, String input, String output, int dim,
      int bits) {
    this.what = what;
    this.env = env;
    this.session = session;
    this.input = input;
    this.output = output;
    this.dim = dim;
    this.bits = bits;
  }

  /**
   * Opens {@code model} and checks it against the manifest.
   *
   * @param field the manifest field describing the net, "image" or "text"
   */
  static HashNet open(String bundle, String field, BundleManifest.Net spec, int bits, byte[] model,
      OrtEnvironment env, OrtSession.SessionOptions options) throws InvalidBundleException {
    OrtSession session;
    try {
      session = env.createSession(model, options);
    } catch (OrtException e) {
      throw new InvalidBundleException(bundle, field + ".file " + spec.file() + " is not a model ONNX Runtime can run: "
          + e.getMessage(), e);
    }
    try {
      check(bundle, field + ".input", session.getInputInfo(), spec.input(), spec.dim());
      check(bundle, field + ".output", session.getOutputInfo(), spec.output(), bits);
      return new HashNet(field, env, session, spec.input(), spec.output(), spec.dim(), bits);
    } catch (InvalidBundleException | RuntimeException e) {
      closeQuietly(session, e);
      throw e;
    } catch (OrtException e) {
      closeQuietly(session, e);
      throw new InvalidBundleException(bundle, field + ": cannot read the graph's inputs and outputs", e);
    }
  }

  private static void check(String bundle, String field, Map<String, NodeInfo> nodes, String name, int width)
      throws InvalidBundleException {
    NodeInfo node = nodes.get(name);
    if (nodes.size() != 1 || node == null) {
      throw new InvalidBundleException(bundle, field + " is \"" + name + "\" but the graph has " + nodes.keySet());
    }
    if (!(node.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT) {
      throw new InvalidBundleException(bundle, field + " \"" + name + "\" is " + node.getInfo()
          + ", expected a float tensor");
    }
    long[] shape = t.getShape();
    if (shape.length != 2 || shape[0] >= 0 || shape[1] != width) {
      throw new InvalidBundleException(bundle, field + " \"" + name + "\" has shape " + Arrays.toString(shape)
          + ", expected [batch, " + width + "] with a dynamic batch dimension (-1)");
    }
  }

  private static void closeQuietly(OrtSession session, Exception cause) {
    try {
      session.close();
    } catch (OrtException e) {
      cause.addSuppressed(e);
    }
  }

  int dim() {
    return dim;
  }

  int bits() {
    return bits;
  }

  /** The outputs of {@code rows} inputs laid out row-major in {@code values}: {@code rows × bits} floats. */
  float[] run(float[] values, int rows) {
    if (values.length != (long) rows * dim) {
      throw new IllegalArgumentException(what + " input: " + rows + " rows of " + dim + " need " + (long) rows * dim
          + " values, got " + values.length);
    }
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("the model bundle is closed");
      }
      try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(values), new long[] {rows, dim});
          OrtSession.Result result = session.run(Map.of(input, tensor))) {
        OnnxValue value = result.get(output).orElseThrow();
        FloatBuffer out = ((OnnxTensor) value).getFloatBuffer();
        if (out.remaining() != rows * bits) {
          throw new IllegalStateException(what + " net returned " + out.remaining() + " values for " + rows
              + " rows of " + bits + " bits");
        }
        float[] outputs = new float[rows * bits];
        out.get(outputs);
        return outputs;
      } catch (OrtException e) {
        throw new IllegalStateException(what + " net failed in ONNX Runtime: " + e.getMessage(), e);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void close() throws OrtException {
    lock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        session.close();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}
