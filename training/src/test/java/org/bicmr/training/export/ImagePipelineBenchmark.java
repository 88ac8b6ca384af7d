package org.bicmr.training.export;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bicmr.codes.HashCode;
import org.bicmr.onnx.FeatureExtractor;
import org.bicmr.onnx.ImagePreprocessor;
import org.bicmr.training.images.vision.GraphCost;
import org.bicmr.training.images.vision.MobileNetConverter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Images per second from PNG bytes to hash codes on the CPU — decode + resize ({@link ImagePreprocessor}), extract
 * (the converted nsfwjs MobileNetV2, tapped at {@code block_16}), hash (an image net of Bi-CMR's exported shape,
 * d → 512 → 32, random weights, its own ONNX Runtime session) — at batch 1 and 32, next to
 * the extractor's FLOP bound measured in the same run: the graph's multiply-adds ({@link GraphCost}) divided by the
 * rate ONNX Runtime reaches on one large MatMul ({@code 256×1024 · 1024×1024}) with the same number of threads.
 *
 * <p>Inputs: 64 real drawings of Debian {@code openclipart-png} (every n-th PNG of {@code -Dbicmr.clipart.dir},
 * default {@code /usr/share/openclipart/png}, in path order, at most 4 megapixels so one slow giant does not decide
 * the figure), held in memory as bytes: file reading is not timed. Needs {@code bin/fetch-mobilenet}. Each operation
 * encodes {@code batch} images; images/s = operations/s × batch. {@code pipeline}: the images preprocessed one by one,
 * one extractor call of {@code batch}, one hash-net call, signs to codes ({@code bicmr extract-features}' path plus
 * the hash). Not through {@code HashEncoder}: a bundle needs a model made with DJL. An earlier version of this JVM
 * died with SIGSEGV (exit 139, no error file) in JMH's benchmark thread (1 MB stack) and was forked with
 * {@code -Xss16m}: the cause was ONNX Runtime 1.29 creating its environment on that thread (its telemetry runs a
 * regex over the ~4 KB command line, ~256 bytes of stack per byte), not decoding or inference; {@code FeatureExtractor}
 * now gets the environment from {@code OnnxRuntimeEnvironment}, which creates it on a thread of its own with a large
 * stack, and the fork has the default stack again. Run by {@code bin/bench-images}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "--enable-native-access=ALL-UNNAMED", "-Djava.awt.headless=true",
    "-Dai.djl.offline=true"})
@Warmup(iterations = 2, time = 4)
@Measurement(iterations = 3, time = 5)
public class ImagePipelineBenchmark {
  static final int IMAGES = 64;
  static final long MAX_PIXELS = 4_000_000;
  static final int MATMUL_M = 256;
  static final int MATMUL_K = 1024;
  static final int MATMUL_N = 1024;
  static final int HIDDEN = 512;
  static final int BITS = 32;

  @Param({"1", "32"})
  public int batch;

  @Param({"1"})
  public int threads;

  private final List<byte[]> images = new ArrayList<>();
  private final List<List<byte[]>> batches = new ArrayList<>();
  private Path work;
  private OrtSession hashNet;
  private FeatureExtractor extractor;
  private ImagePreprocessor preprocessor;
  private OrtSession matmul;
  private OnnxTensor matmulInput;
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Path clipart = Path.of(System.getProperty("bicmr.clipart.dir", "/usr/share/openclipart/png"));
    Path pkg = Path.of(System.getProperty("bicmr.mobilenet.dir",
        System.getProperty("user.home") + "/.cache/bicmr/nsfwjs-4.4.0/package"));
    if (!Files.isDirectory(clipart) || !Files.isDirectory(pkg.resolve(MobileNetConverter.FOLDER))) {
      throw new IllegalStateException("needs " + clipart + " (apt-get install openclipart-png) and " + pkg
          + " (bin/fetch-mobilenet)");
    }
    loadImages(clipart);
    for (int i = 0; i < IMAGES; i++) {
      List<byte[]> b = new ArrayList<>();
      for (int k = 0; k < batch; k++) {
        b.add(images.get((i + k) % IMAGES));
      }
      batches.add(b);
    }
    work = Files.createTempDirectory("bench-images");
    MobileNetConverter.Result mobilenet = MobileNetConverter.convert(pkg,
        new MobileNetConverter.Options("block_16", false, false));
    Path extractorFile = Files.write(work.resolve("extractor.onnx"), mobilenet.onnx());
    extractor = FeatureExtractor.open(extractorFile, threads);
    preprocessor = new ImagePreprocessor();
    GraphCost cost = GraphCost.of(mobilenet.onnx());
    System.out.printf(Locale.ROOT, "%nextractor %s: %d-d features, %d multiply-adds per image (conv %d, gemm %d); "
        + "reference MatMul %d×%d·%d×%d = %d multiply-adds%n", mobilenet.tap(), mobilenet.features(),
        cost.multiplyAdds(), cost.convMultiplyAdds(), cost.gemmMultiplyAdds(), MATMUL_M, MATMUL_K, MATMUL_K, MATMUL_N,
        (long) MATMUL_M * MATMUL_K * MATMUL_N);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
      o.setIntraOpNumThreads(threads);
      o.addConfigEntry("session.intra_op.allow_spinning", "0");
      matmul = env.createSession(matmulModel(), o);
      hashNet = env.createSession(hashNetModel(mobilenet.features()), o);
    }
    float[] a = new float[MATMUL_M * MATMUL_K];
    Random r = new Random(1);
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) r.nextGaussian();
    }
    matmulInput = OnnxTensor.createTensor(env, FloatBuffer.wrap(a), new long[] {MATMUL_M, MATMUL_K});
  }

  private void loadImages(Path clipart) throws IOException {
    List<Path> all;
    try (Stream<Path> walk = Files.walk(clipart)) {
      all = walk.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
    ImagePreprocessor check = new ImagePreprocessor(224, 224, MAX_PIXELS);
    int step = Math.max(1, all.size() / IMAGES);
    for (int i = 0; i < all.size() && images.size() < IMAGES; i += step) {
      for (int j = i; j < all.size(); j++) { // the next one within the limit
        byte[] bytes = Files.readAllBytes(all.get(j));
        try {
          check.pixels(bytes);
          images.add(bytes);
          break;
        } catch (IllegalArgumentException e) {
          // over the limit or undecodable: try the next file
        }
      }
    }
    long total = images.stream().mapToLong(b -> b.length).sum();
    System.out.printf(Locale.ROOT, "%n%d PNGs from %s, %.1f KB on average%n", images.size(), clipart,
        total / 1024.0 / images.size());
  }

  /** {@code a [M, K] · w [K, N]} with a random constant w. */
  private static byte[] matmulModel() {
    Random r = new Random(2);
    java.nio.ByteBuffer raw = java.nio.ByteBuffer.allocate(MATMUL_K * MATMUL_N * 4)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < MATMUL_K * MATMUL_N; i++) {
      raw.putFloat((float) (r.nextGaussian() * 0.03));
    }
    raw.flip();
    GraphProto graph = GraphProto.newBuilder().setName("matmul")
        .addInput(tensor("a", MATMUL_M, MATMUL_K)).addOutput(tensor("y", MATMUL_M, MATMUL_N))
        .addInitializer(TensorProto.newBuilder().setName("w").setDataType(TensorProto.DataType.FLOAT_VALUE)
            .addDims(MATMUL_K).addDims(MATMUL_N).setRawData(com.google.protobuf.ByteString.copyFrom(raw)))
        .addNode(NodeProto.newBuilder().setOpType("MatMul").addInput("a").addInput("w").addOutput("y"))
        .build();
    return ModelProto.newBuilder().setIrVersion(8).addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13))
        .setGraph(graph).build().toByteArray();
  }

  /**
   * A Bi-CMR image net of the exported shape with random weights: {@code features [batch, d] → Gemm → Relu → Gemm →
   * Tanh → hash [batch, 32]}, d → {@value #HIDDEN} → {@value #BITS}.
   */
  private static byte[] hashNetModel(int d) {
    Random r = new Random(3);
    GraphProto graph = GraphProto.newBuilder().setName("image_net")
        .addInput(batchTensor("features", d)).addOutput(batchTensor("hash", BITS))
        .addInitializer(weights("w1", r, HIDDEN, d)).addInitializer(weights("b1", r, HIDDEN))
        .addInitializer(weights("w2", r, BITS, HIDDEN)).addInitializer(weights("b2", r, BITS))
        .addNode(gemm("features", "w1", "b1", "h1")).addNode(NodeProto.newBuilder().setOpType("Relu").addInput("h1")
            .addOutput("a1"))
        .addNode(gemm("a1", "w2", "b2", "h2")).addNode(NodeProto.newBuilder().setOpType("Tanh").addInput("h2")
            .addOutput("hash"))
        .build();
    return ModelProto.newBuilder().setIrVersion(8).addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13))
        .setGraph(graph).build().toByteArray();
  }

  private static NodeProto gemm(String x, String w, String b, String y) {
    return NodeProto.newBuilder().setOpType("Gemm").addInput(x).addInput(w).addInput(b).addOutput(y)
        .addAttribute(ai.onnx.proto.OnnxMl.AttributeProto.newBuilder().setName("transB")
            .setType(ai.onnx.proto.OnnxMl.AttributeProto.AttributeType.INT).setI(1)).build();
  }

  private static TensorProto weights(String name, Random r, long... dims) {
    long n = 1;
    for (long d : dims) {
      n *= d;
    }
    java.nio.ByteBuffer raw = java.nio.ByteBuffer.allocate((int) n * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (long i = 0; i < n; i++) {
      raw.putFloat((float) (r.nextGaussian() * 0.05));
    }
    raw.flip();
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
        .setRawData(com.google.protobuf.ByteString.copyFrom(raw));
    for (long d : dims) {
      t.addDims(d);
    }
    return t.build();
  }

  private static ValueInfoProto batchTensor(String name, long dim) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
        .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(dim));
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
        TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
  }

  private static ValueInfoProto tensor(String name, long... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long d : dims) {
      shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
        TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    matmulInput.close();
    matmul.close();
    extractor.close();
    hashNet.close();
    try (Stream<Path> walk = Files.walk(work)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private List<byte[]> nextBatch() {
    next = (next + 1) % IMAGES;
    return batches.get(next);
  }

  /** Bytes → preprocess each → one extractor call of {@code batch} → hash net → codes. */
  @Benchmark
  public List<HashCode> pipeline() throws Exception {
    List<byte[]> b = nextBatch();
    int plane = 3 * 224 * 224;
    float[] x = new float[b.size() * plane];
    for (int i = 0; i < b.size(); i++) {
      System.arraycopy(preprocessor.pixels(b.get(i)), 0, x, i * plane, plane);
    }
    float[] f = extractor.run(x, b.size());
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(f), new long[] {b.size(), extractor.dim()});
        OrtSession.Result r = hashNet.run(Map.of("features", in))) {
      FloatBuffer out = ((OnnxTensor) r.get(0)).getFloatBuffer();
      List<HashCode> codes = new ArrayList<>();
      float[] row = new float[BITS];
      for (int i = 0; i < b.size(); i++) {
        out.get(row);
        codes.add(HashCode.fromSigns(row));
      }
      return codes;
    }
  }

  /** Decode + resize alone, {@code batch} images. */
  @Benchmark
  public float decodeResize() {
    float s = 0;
    for (byte[] image : nextBatch()) {
      s += preprocessor.pixels(image)[0];
    }
    return s;
  }

  /** The reference: one MatMul of {@value #MATMUL_M}×{@value #MATMUL_K} by {@value #MATMUL_K}×{@value #MATMUL_N}. */
  @Benchmark
  public float matmul() throws Exception {
    try (OrtSession.Result r = matmul.run(Map.of("a", matmulInput))) {
      return ((OnnxTensor) r.get(0)).getFloatBuffer().get(0);
    }
  }
}
