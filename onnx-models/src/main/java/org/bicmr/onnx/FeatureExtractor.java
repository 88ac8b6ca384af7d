package org.bicmr.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An image feature extractor graph in an ONNX Runtime session: {@code image[batch, 3, H, W] → features[batch, d]}.
 * A bundle opens its {@code image.extractor} with the names and shapes checked against the manifest (H and W those of
 * {@code image.preprocessing}, or dynamic; d the image net's input width); {@link #open(Path, int)} opens a file of
 * the same contract on the CPU, H and W fixed by the graph (as {@code bicmr convert-mobilenet} writes it), for
 * extracting features outside a bundle. Shared by all threads; closing waits for running calls, and a call after
 * closing is an {@link IllegalStateException}.
 */
public final class FeatureExtractor implements AutoCloseable {
  private final OrtEnvironment env;
  private final OrtSession session;
  private final ImagePreprocessor preprocessor;
  private final int dim;
  private final String sha256;
  /** What a call after closing says is closed: the bundle that opened it, or this extractor's file. */
  private final String owner;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  private FeatureExtractor(OrtEnvironment env, OrtSession session, ImagePreprocessor preprocessor, int dim,
      String sha256, String owner) {
    this.env = env;
    this.session = session;
    this.preprocessor = preprocessor;
    this.dim = dim;
    this.sha256 = sha256;
    this.owner = owner;
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
      long[] in = shape(session.getInputInfo(), "input", BundleManifest.Extractor.INPUT);
      if (in.length != 4 || in[0] >= 0 || in[1] != 3 || !fits(in[2], p.height()) || !fits(in[3], p.width())) {
        throw new ContractViolation("input \"" + BundleManifest.Extractor.INPUT + "\" has shape "
            + Arrays.toString(in) + ", expected [batch, 3, " + p.height() + ", " + p.width()
            + "] (image.preprocessing's height and width; -1 for the batch)");
      }
      long[] out = shape(session.getOutputInfo(), "output", BundleManifest.Extractor.OUTPUT);
      if (out.length != 2 || out[0] >= 0 || out[1] != dim) {
        throw new ContractViolation("output \"" + BundleManifest.Extractor.OUTPUT + "\" has shape "
            + Arrays.toString(out) + ", expected [batch, " + dim + "] (image.dim, the image net's input width)");
      }
      return new FeatureExtractor(env, session, p, dim, ModelBundle.sha256(model), "the model bundle");
    } catch (ContractViolation e) {
      closeQuietly(session, e);
      throw new InvalidBundleException(bundle, "image.extractor " + e.getMessage());
    } catch (RuntimeException e) {
      closeQuietly(session, e);
      throw e;
    } catch (OrtException e) {
      closeQuietly(session, e);
      throw new InvalidBundleException(bundle, "image.extractor: cannot read the graph's inputs and outputs", e);
    }
  }

  /**
   * Opens an extractor file on the CPU with {@code threads} intra-op threads (0: ONNX Runtime's choice). Its H and W
   * must be fixed; {@link #preprocessor()} then prepares images of that size with the contract's default pixel cap.
   *
   * @throws IOException when the file cannot be read, is not a model, or its input or output is not the contract's
   */
  public static FeatureExtractor open(Path file, int threads) throws IOException {
    byte[] model = Files.readAllBytes(file);
    OrtEnvironment env = OnnxRuntimeEnvironment.get();
    OrtSession session;
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      session = env.createSession(model, options);
    } catch (OrtException e) {
      throw new IOException(file + ": not a model ONNX Runtime can run (" + e.getMessage() + ")", e);
    }
    try {
      long[] in = shape(session.getInputInfo(), "input", BundleManifest.Extractor.INPUT);
      if (in.length != 4 || in[1] != 3 || in[2] < 1 || in[3] < 1) {
        throw new ContractViolation("input \"" + BundleManifest.Extractor.INPUT + "\" has shape "
            + Arrays.toString(in) + ", expected [batch, 3, H, W] with H and W fixed");
      }
      long[] out = shape(session.getOutputInfo(), "output", BundleManifest.Extractor.OUTPUT);
      if (out.length != 2 || out[1] < 1) {
        throw new ContractViolation("output \"" + BundleManifest.Extractor.OUTPUT + "\" has shape "
            + Arrays.toString(out) + ", expected [batch, d]");
      }
      ImagePreprocessor p = new ImagePreprocessor((int) in[3], (int) in[2], ImagePreprocessor.MAX_PIXELS);
      return new FeatureExtractor(env, session, p, (int) out[1], ModelBundle.sha256(model),
          "the image feature extractor " + file);
    } catch (ContractViolation e) {
      closeQuietly(session, e);
      throw new IOException(file + ": " + e.getMessage());
    } catch (RuntimeException e) {
      closeQuietly(session, e);
      throw e;
    } catch (OrtException e) {
      closeQuietly(session, e);
      throw new IOException(file + ": cannot read the graph's inputs and outputs (" + e.getMessage() + ")", e);
    }
  }

  /** The graph does not keep the extractor contract; the message says how, without naming the graph. */
  private static final class ContractViolation extends Exception {
    ContractViolation(String message) {
      super(message);
    }
  }

  private static boolean fits(long declared, int size) {
    return declared < 0 || declared == size;
  }

  private static long[] shape(Map<String, NodeInfo> nodes, String what, String name) throws ContractViolation {
    NodeInfo node = nodes.get(name);
    if (node == null) {
      throw new ContractViolation(what + " must be \"" + name + "\" but the graph has " + nodes.keySet());
    }
    if (!(node.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT) {
      throw new ContractViolation(what + " \"" + name + "\" is " + node.getInfo() + ", expected a float tensor");
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

  /** The preparation of encoded images for this extractor: the bundle's, or the graph's H × W for a file. */
  public ImagePreprocessor preprocessor() {
    return preprocessor;
  }

  /** The image height H the extractor is run at. */
  public int height() {
    return preprocessor.height();
  }

  /** The image width W the extractor is run at. */
  public int width() {
    return preprocessor.width();
  }

  /** The feature dimension d. */
  public int dim() {
    return dim;
  }

  /** The lower-case hex SHA-256 of the model's bytes: what names its features in a cache. */
  public String sha256() {
    return sha256;
  }

  /**
   * The features ({@code rows × d}, row-major) of {@code rows} preprocessed images laid out one after another
   * ({@code [rows, 3, H, W]}) in {@code pixels}.
   */
  public float[] run(float[] pixels, int rows) {
    int h = preprocessor.height();
    int w = preprocessor.width();
    if (pixels.length != (long) rows * 3 * h * w) {
      throw new IllegalArgumentException("image extractor input: " + rows + " images of 3×" + h + "×" + w + " need "
          + (long) rows * 3 * h * w + " values, got " + pixels.length);
    }
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException(owner + " is closed");
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
