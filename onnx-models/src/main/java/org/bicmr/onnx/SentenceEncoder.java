package org.bicmr.onnx;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntFunction;

/**
 * A sentence encoder (DESIGN §5): text → WordPiece tokens by the model's own {@code tokenizer.json} (HuggingFace
 * tokenizers, through DJL's binding; lower-casing, accents and punctuation as the model was trained) → a BERT-style
 * ONNX transformer ({@code input_ids}, {@code attention_mask}, {@code token_type_ids} → {@code last_hidden_state},
 * batch × tokens × d) → the mean of the token states over the attention mask → scaled to unit length: the d-wide text
 * feature of bundles whose text side reads sentences, any words at all. Texts longer than {@code maxTokens} word
 * pieces are cut. Thread-safe; texts are encoded {@value #BATCH} to an ONNX Runtime call, padded to the longest of
 * each call.
 */
public final class SentenceEncoder implements TextFeatures {
  /** What the packaged encoder is. */
  public static final String DEFAULT_NAME = "all-MiniLM-L6-v2 (int8)";
  /** The packaged encoder's ONNX model, a resource of {@link ModelBundle#SENTENCE_ENCODER_ARTIFACT}. */
  public static final String DEFAULT_MODEL = "all-minilm-l6-v2-q.onnx";
  /** The packaged encoder's tokenizer.json, a resource of the same artifact. */
  public static final String DEFAULT_TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";
  /** The packaged encoder's width. */
  public static final int DEFAULT_DIM = 384;
  /** The longest text the packaged encoder reads, in word pieces (its training length). */
  public static final int DEFAULT_MAX_TOKENS = 128;

  static final String IDS = "input_ids";
  static final String MASK = "attention_mask";
  static final String TYPES = "token_type_ids";
  static final String STATES = "last_hidden_state";

  private final String name;
  private final HuggingFaceTokenizer tokenizer;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final int dim;
  private final int maxTokens;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  private SentenceEncoder(String name, HuggingFaceTokenizer tokenizer, OrtEnvironment env, OrtSession session,
      int dim, int maxTokens) {
    this.name = name;
    this.tokenizer = tokenizer;
    this.env = env;
    this.session = session;
    this.dim = dim;
    this.maxTokens = maxTokens;
  }

  /**
   * DJL's tokenizer reports its use over the network when it is created (a call to the EC2 metadata address, then to
   * DJL's telemetry), unless {@code OPT_OUT_TRACKING} is set: nothing here may reach the network (inside OpenSearch
   * the call is even refused and the bundle would fail), so it is set unless the operator chose a value.
   */
  private static void noTelemetry() {
    if (System.getenv("OPT_OUT_TRACKING") == null && System.getProperty("OPT_OUT_TRACKING") == null) {
      System.setProperty("OPT_OUT_TRACKING", "true");
    }
  }

  /**
   * Opens the encoder of a bundle and checks the graph: the three int64 inputs and a float output of width {@code dim}.
   *
   * @param field the manifest field that describes it, for errors ("text.encoder")
   */
  static SentenceEncoder open(String bundle, String field, String name, byte[] model, byte[] tokenizerJson, int dim,
      int maxTokens, OrtEnvironment env, OrtSession.SessionOptions options) throws InvalidBundleException {
    if (maxTokens < 2) {
      throw new InvalidBundleException(bundle, field + ".max_tokens is " + maxTokens + ", expected at least 2");
    }
    noTelemetry();
    HuggingFaceTokenizer tokenizer;
    // DJL finds its native library's version and files through the thread's context class loader, which inside a
    // container (an OpenSearch plugin) is not the one that loaded DJL
    Thread thread = Thread.currentThread();
    ClassLoader context = thread.getContextClassLoader();
    thread.setContextClassLoader(HuggingFaceTokenizer.class.getClassLoader());
    try {
      tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson),
          Map.of("padding", "false", "truncation", "true", "maxLength", Integer.toString(maxTokens)));
    } catch (IOException | RuntimeException e) {
      throw new InvalidBundleException(bundle, field + ".tokenizer is not a HuggingFace tokenizer.json: "
          + e.getMessage(), e);
    } finally {
      thread.setContextClassLoader(context);
    }
    OrtSession session;
    try {
      session = env.createSession(model, options);
    } catch (OrtException e) {
      tokenizer.close();
      throw new InvalidBundleException(bundle, field + ".model is not a model ONNX Runtime can run: "
          + e.getMessage(), e);
    }
    try {
      Map<String, NodeInfo> inputs = session.getInputInfo();
      for (String input : List.of(IDS, MASK, TYPES)) {
        if (!inputs.containsKey(input)) {
          throw new InvalidBundleException(bundle, field + ".model has no input " + input + " (it has "
              + inputs.keySet() + ")");
        }
      }
      NodeInfo out = session.getOutputInfo().get(STATES);
      long[] shape = out == null ? null : ((TensorInfo) out.getInfo()).getShape();
      if (shape == null || shape.length != 3 || shape[2] != dim) {
        throw new InvalidBundleException(bundle, field + ".model must give " + STATES + " [batch, tokens, " + dim
            + "], got " + (out == null ? "no such output" : java.util.Arrays.toString(shape)));
      }
      return new SentenceEncoder(name, tokenizer, env, session, dim, maxTokens);
    } catch (OrtException | InvalidBundleException | RuntimeException e) {
      try {
        session.close();
      } catch (OrtException suppressed) {
        e.addSuppressed(suppressed);
      }
      tokenizer.close();
      if (e instanceof InvalidBundleException ib) {
        throw ib;
      }
      throw new InvalidBundleException(bundle, field + ".model: " + e.getMessage(), e);
    }
  }

  /**
   * The packaged encoder ({@value #DEFAULT_NAME}, from the class path) in its own ONNX Runtime session with {@code
   * options}: for computing the text features of a dataset as a bundle with this encoder will at serving time.
   */
  public static SentenceEncoder openDefault(InferenceOptions options) throws IOException {
    byte[] model = resource(DEFAULT_MODEL);
    byte[] tokenizerJson = resource(DEFAULT_TOKENIZER);
    ExecutionProviders.Choice choice;
    try {
      choice = ExecutionProviders.choose(options);
    } catch (OrtException e) {
      throw new IOException("cannot create ONNX Runtime session options: " + e.getMessage(), e);
    }
    try (var sessionOptions = choice.options()) {
      return open("classpath", "encoder", DEFAULT_NAME, model, tokenizerJson, DEFAULT_DIM, DEFAULT_MAX_TOKENS,
          OnnxRuntimeEnvironment.get(), sessionOptions);
    }
  }

  /** A resource of the class path (the encoder's Maven artifact). */
  static byte[] resource(String name) throws IOException {
    try (var in = SentenceEncoder.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new java.nio.file.NoSuchFileException(name, null, "not on the class path; the sentence encoder's "
            + "artifact " + ModelBundle.SENTENCE_ENCODER_ARTIFACT + " provides it");
      }
      return in.readAllBytes();
    }
  }

  /** The vectors of {@code texts}, one each (unit length); an error names the text by its position. */
  public float[][] encode(List<String> texts) {
    float[] flat = features(texts, i -> texts.size() == 1 ? "text" : "texts[" + i + "]");
    float[][] out = new float[texts.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = java.util.Arrays.copyOfRange(flat, i * dim, (i + 1) * dim);
    }
    return out;
  }

  @Override
  public int dim() {
    return dim;
  }

  int maxTokens() {
    return maxTokens;
  }

  @Override
  public String describe() {
    return String.format(Locale.ROOT, "sentence encoder %s (%d-d, mean of the token states, unit length)", name, dim);
  }

  /** The word pieces of {@code text}, as the model sees them (with its [CLS] and [SEP]), cut at the limit. */
  List<String> tokens(String text) {
    return List.of(tokenizer.encode(text).getTokens());
  }

  @Override
  public float[] features(List<String> texts, IntFunction<String> label) {
    for (int i = 0; i < texts.size(); i++) {
      String t = texts.get(i);
      if (t == null || t.isBlank()) {
        throw new IllegalArgumentException(label.apply(i) + ": expected some words, got "
            + (t == null ? "null" : "\"" + t + "\""));
      }
    }
    float[] out = new float[texts.size() * dim];
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("the sentence encoder " + name + " is closed");
      }
      for (int i = 0; i < texts.size(); i++) {
        encode(texts.get(i), out, i * dim);
      }
    } finally {
      lock.readLock().unlock();
    }
    return out;
  }

  /** Writes the vector of one text at {@code out[row..row + dim)}. */
  private void encode(String text, float[] out, int row) {
    Encoding e = tokenizer.encode(text);
    long[] shape = {1, e.getIds().length};
    try (OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(e.getIds()), shape);
        OnnxTensor mask = OnnxTensor.createTensor(env, LongBuffer.wrap(e.getAttentionMask()), shape);
        OnnxTensor types = OnnxTensor.createTensor(env, LongBuffer.wrap(e.getTypeIds()), shape);
        OrtSession.Result result = session.run(Map.of(IDS, ids, MASK, mask, TYPES, types),
            java.util.Set.of(STATES))) {
      OnnxValue value = result.get(STATES).orElseThrow();
      FloatBuffer states = ((OnnxTensor) value).getFloatBuffer();
      int tokens = (int) shape[1];
      for (int t = 0; t < tokens; t++) {
        for (int d = 0; d < dim; d++) {
          out[row + d] += states.get(t * dim + d);
        }
      }
      double norm = 0;
      for (int d = 0; d < dim; d++) {
        out[row + d] /= tokens;
        norm += (double) out[row + d] * out[row + d];
      }
      float scale = (float) (1 / Math.sqrt(Math.max(norm, 1e-24)));
      for (int d = 0; d < dim; d++) {
        out[row + d] *= scale;
      }
    } catch (OrtException ex) {
      throw new IllegalStateException("the sentence encoder " + name + " failed: " + ex.getMessage(), ex);
    }
  }

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      try {
        session.close();
      } catch (OrtException e) {
        throw new IllegalStateException("closing the sentence encoder " + name + ": " + e.getMessage(), e);
      } finally {
        tokenizer.close();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}
