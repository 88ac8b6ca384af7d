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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bicmr.lucene.HashCode;
import org.bicmr.onnx.HashEncoder;
import org.bicmr.onnx.ImagePreprocessor;
import org.bicmr.onnx.InferenceDevice;
import org.bicmr.onnx.InferenceOptions;
import org.bicmr.onnx.ModelBundle;
import org.bicmr.training.features.ExtractorModel;
import org.bicmr.training.vision.GraphCost;
import org.bicmr.training.vision.MobileNetConverter;
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
 * (the converted nsfwjs MobileNetV2, tapped at {@code block_16}), hash (a 32-bit image net) — at batch 1 and 32, next to
 * the extractor's FLOP bound measured in the same run: the graph's multiply-adds ({@link GraphCost}) divided by the
 * rate ONNX Runtime reaches on one large MatMul ({@code 256×1024 · 1024×1024}) with the same number of threads.
 *
 * <p>Inputs: 64 real drawings of Debian {@code openclipart-png} (every n-th PNG of {@code -Dbicmr.clipart.dir},
 * default {@code /usr/share/openclipart/png}, in path order, at most 4 megapixels so one slow giant does not decide
 * the figure), held in memory as bytes: file reading is not timed. Needs {@code bin/fetch-mobilenet}. Each operation
 * encodes {@code batch} images; images/s = operations/s × batch. {@code encoder}: {@code HashEncoder.encodeImageBytes}
 * (the path of the OpenSearch plugin; it calls the extractor 16 images at a time); {@code oneCall}: the images
 * preprocessed, one extractor call of {@code batch}, then the image net ({@code bicmr extract-features}' path).
 * Run by {@code bin/bench-images}.
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

  @Param({"1", "32"})
  public int batch;

  @Param({"1"})
  public int threads;

  private final List<byte[]> images = new ArrayList<>();
  private final List<List<byte[]>> batches = new ArrayList<>();
  private Path work;
  private ModelBundle bundle;
  private HashEncoder encoder;
  private ExtractorModel extractor;
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
    List<String> vocabulary = List.of("cat", "dog", "tree", "car");
    Path model = RandomModels.write(work.resolve("model"), RandomModels.config(32, 512, 7), mobilenet.features(),
        vocabulary, 3);
    Path bundleDir = work.resolve("bundle");
    BundleExporter.export(model, bundleDir, new BundleExporter.Options("bench", "1", "MobileNetV2 block_16",
        Instant.parse("2026-12-01T00:00:00Z"), vocabulary, List.of(), extractorFile));
    bundle = ModelBundle.load(bundleDir, new InferenceOptions(InferenceDevice.CPU, threads));
    encoder = bundle.encoder();
    extractor = ExtractorModel.open(extractorFile, threads);
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
    bundle.close();
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

  /** Bytes → codes through the bundle's encoder, {@code batch} images a call. */
  @Benchmark
  public List<HashCode> encoder() {
    return encoder.encodeImageBytes(nextBatch());
  }

  /** Bytes → preprocess each → one extractor call of {@code batch} → image net. */
  @Benchmark
  public List<HashCode> oneCall() {
    List<byte[]> b = nextBatch();
    int plane = 3 * 224 * 224;
    float[] x = new float[b.size() * plane];
    for (int i = 0; i < b.size(); i++) {
      System.arraycopy(preprocessor.pixels(b.get(i)), 0, x, i * plane, plane);
    }
    float[] f = extractor.run(x, b.size());
    List<float[]> rows = new ArrayList<>();
    for (int i = 0; i < b.size(); i++) {
      rows.add(java.util.Arrays.copyOfRange(f, i * extractor.dim(), (i + 1) * extractor.dim()));
    }
    return encoder.encodeImages(rows);
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
