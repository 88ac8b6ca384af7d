package org.bicmr.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A bundle's image feature extractor in an ONNX Runtime session: {@code image[batch, 3, H, W] → features[batch, dim]},
 * its names and shapes checked against the manifest when opened (H and W those of {@code image.preprocessing}, or
 * dynamic; dim the image net's input width). Shared by all threads; closing waits for running calls, and a call after
 * closing is an {@link IllegalStateException}.
 */
final class FeatureExtractor implements AutoCloseable {
  private final OrtEnvironment env;
  private final OrtSession session;
  private final ImagePreprocessor preprocessor;
  private final int dim;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  private FeatureExtractor(OrtEnvironment env, OrtSession session, ImagePreprocessor preprocessor, int dim) {
    this.env = env;
    this.session = session;
    this.preprocessor = preprocessor;
    this.dim = dim;
  }

  /** Opens {@code model} and checks it against the manifest's {@code image.extractor} and {@code image.dim}. */
  static FeatureExtractor open(String bundle, BundleManifest.Extractor spec, int dim, byte[] model,
      OrtEnvironment env, OrtSession.SessionOptions options) throws InvalidBundleException {
    OrtSession session;
    try {
      session = env.createSession(model, options);
    } catch (OrtException e) {
      throw new InvalidBundleException(bundle, "image.extractor " + spec.file() + " is not a model ONNX Runtime can "
          + "run: " + e.getMessage(), e);
    }
    try {
      ImagePreprocessor p = spec.preprocessing();
      long[] in = shape(bundle, "input", session.getInputInfo(), BundleManifest.Extractor.INPUT);
      if (in.length != 4 || in[0] >= 0 || in[1] != 3 || !fits(in[2], p.height()) || !fits(in[3], p.width())) {
        throw new InvalidBundleException(bundle, "image.extractor input \"" + BundleManifest.Extractor.INPUT
            + "\" has shape " + Arrays.toString(in) + ", expected [batch, 3, " + p.height() + ", " + p.width()
            + "] (image.preprocessing's height and width; -1 for the batch)");
      }
      long[] out = shape(bundle, "output", session.getOutputInfo(), BundleManifest.Extractor.OUTPUT);
      if (out.length != 2 || out[0] >= 0 || out[1] != dim) {
        throw new InvalidBundleException(bundle, "image.extractor output \"" + BundleManifest.Extractor.OUTPUT
            + "\" has shape " + Arrays.toString(out) + ", expected [batch, " + dim + "] (image.dim, the image net's "
            + "input width)");
      }
      return new FeatureExtractor(env, session, p, dim);
    } catch (InvalidBundleException | RuntimeException e) {
      closeQuietly(session, e);
      throw e;
    } catch (OrtException e) {
      closeQuietly(session, e);
      throw new InvalidBundleException(bundle, "image.extractor: cannot read the graph's inputs and outputs", e);
    }
  }

  private static boolean fits(long declared, int size) {
    return declared < 0 || declared == size;
  }

  private static long[] shape(String bundle, String what, Map<String, NodeInfo> nodes, String name)
      throws InvalidBundleException {
    NodeInfo node = nodes.get(name);
    if (node == null) {
      throw new InvalidBundleException(bundle, "image.extractor " + what + " must be \"" + name + "\" but the graph "
          + "has " + nodes.keySet());
    }
    if (!(node.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT) {
      throw new InvalidBundleException(bundle, "image.extractor " + what + " \"" + name + "\" is " + node.getInfo()
          + ", expected a float tensor");
    }
    return t.getShape();
  }

  private static void closeQuietly(OrtSession session, Exception cause) {
    try {
      session.close();
    } catch (OrtException e) {
      cause.addSuppressed(e);
    }
  }

  ImagePreprocessor preprocessor() {
    return preprocessor;
  }

  /** The features of {@code rows} preprocessed images laid out one after another in {@code pixels}. */
  float[] run(float[] pixels, int rows) {
    int h = preprocessor.height();
    int w = preprocessor.width();
    if (pixels.length != (long) rows * 3 * h * w) {
      throw new IllegalArgumentException("image extractor input: " + rows + " images of 3×" + h + "×" + w + " need "
          + (long) rows * 3 * h * w + " values, got " + pixels.length);
    }
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("the model bundle is closed");
      }
      try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), new long[] {rows, 3, h, w});
          OrtSession.Result result = session.run(Map.of(BundleManifest.Extractor.INPUT, tensor),
              Set.of(BundleManifest.Extractor.OUTPUT))) {
        FloatBuffer out = ((OnnxTensor) result.get(BundleManifest.Extractor.OUTPUT).orElseThrow()).getFloatBuffer();
        if (out.remaining() != rows * dim) {
          throw new IllegalStateException("image extractor returned " + out.remaining() + " values for " + rows
              + " images of " + dim + " features");
        }
        float[] features = new float[rows * dim];
        out.get(features);
        return features;
      } catch (OrtException e) {
        throw new IllegalStateException("image extractor failed in ONNX Runtime: " + e.getMessage(), e);
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
