package org.bicmr.training.features;

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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.bicmr.onnx.OnnxRuntimeEnvironment;

/**
 * An image feature extractor file ({@code bicmr convert-mobilenet}'s output, or any graph of the bundle contract:
 * input {@code image [batch, 3, H, W]}, output {@code features [batch, d]}, H and W fixed) in an ONNX Runtime CPU
 * session. Its SHA-256 names it in the feature cache. One caller at a time runs it; close it when done.
 */
public final class ExtractorModel implements AutoCloseable {
  /** The graph's input name. */
  public static final String INPUT = "image";
  /** The graph's output name. */
  public static final String OUTPUT = "features";

  private final OrtEnvironment env = OnnxRuntimeEnvironment.get();
  private final OrtSession session;
  private final String sha256;
  private final int height;
  private final int width;
  private final int dim;

  private ExtractorModel(OrtSession session, String sha256, int height, int width, int dim) {
    this.session = session;
    this.sha256 = sha256;
    this.height = height;
    this.width = width;
    this.dim = dim;
  }

  /**
   * Opens {@code file} with {@code threads} intra-op threads (0: ONNX Runtime's choice).
   *
   * @throws IOException when the file cannot be read, is not a model, or its input or output is not the contract's
   */
  public static ExtractorModel open(Path file, int threads) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    OrtEnvironment env = OnnxRuntimeEnvironment.get();
    OrtSession session;
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      session = env.createSession(bytes, options);
    } catch (OrtException e) {
      throw new IOException(file + ": not a model ONNX Runtime can run (" + e.getMessage() + ")", e);
    }
    try {
      long[] in = shape(file, "input", session.getInputInfo(), INPUT);
      if (in.length != 4 || in[1] != 3 || in[2] < 1 || in[3] < 1) {
        throw new IOException(file + ": input \"" + INPUT + "\" has shape " + Arrays.toString(in) + ", expected "
            + "[batch, 3, H, W] with H and W fixed");
      }
      long[] out = shape(file, "output", session.getOutputInfo(), OUTPUT);
      if (out.length != 2 || out[1] < 1) {
        throw new IOException(file + ": output \"" + OUTPUT + "\" has shape " + Arrays.toString(out) + ", expected "
            + "[batch, d]");
      }
      return new ExtractorModel(session, sha256(bytes), (int) in[2], (int) in[3], (int) out[1]);
    } catch (IOException | RuntimeException e) {
      closeQuietly(session, e);
      throw e;
    } catch (OrtException e) {
      closeQuietly(session, e);
      throw new IOException(file + ": cannot read the graph's inputs and outputs (" + e.getMessage() + ")", e);
    }
  }

  private static long[] shape(Path file, String what, Map<String, NodeInfo> nodes, String name) throws IOException {
    NodeInfo node = nodes.get(name);
    if (node == null) {
      throw new IOException(file + ": the " + what + " must be \"" + name + "\", the graph has " + nodes.keySet());
    }
    if (!(node.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT) {
      throw new IOException(file + ": " + what + " \"" + name + "\" is " + node.getInfo() + ", expected a float "
          + "tensor");
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

  /** The lower-case hex SHA-256 of {@code bytes}. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** The SHA-256 of the model file. */
  public String sha256() {
    return sha256;
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  /** The feature dimension d. */
  public int dim() {
    return dim;
  }

  /** The features ({@code rows × d}, row-major) of {@code rows} images laid out {@code [rows, 3, H, W]}. */
  public float[] run(float[] pixels, int rows) {
    if (pixels.length != (long) rows * 3 * height * width) {
      throw new IllegalArgumentException("extractor input: " + rows + " images of 3×" + height + "×" + width
          + " need " + (long) rows * 3 * height * width + " values, got " + pixels.length);
    }
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), new long[] {rows, 3, height,
        width});
        OrtSession.Result result = session.run(Map.of(INPUT, tensor), Set.of(OUTPUT))) {
      FloatBuffer out = ((OnnxTensor) result.get(OUTPUT).orElseThrow()).getFloatBuffer();
      if (out.remaining() != rows * dim) {
        throw new IllegalStateException("extractor returned " + out.remaining() + " values for " + rows
            + " images of " + dim + " features");
      }
      float[] features = new float[rows * dim];
      out.get(features);
      return features;
    } catch (OrtException e) {
      throw new IllegalStateException("extractor failed in ONNX Runtime: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
