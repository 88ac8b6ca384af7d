package org.bicmr.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bicmr.codes.HashCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first use of ONNX Runtime in a JVM from a thread with a 1 MB stack (Java's default, and an OpenSearch node's
 * {@code -Xss1m}), in a child JVM whose command line is over 8 KB: without {@link OnnxRuntimeEnvironment}, ONNX
 * Runtime 1.29's telemetry start-up (a {@code std::regex} over {@code /proc/self/cmdline}, ~256 bytes of stack per
 * byte) kills that JVM with SIGSEGV, exit 139, while the environment is created. The child runs with the telemetry's
 * off switches removed from its environment ({@code ORT_DISABLE_TELEMETRY}, {@code ORT_RUNNING_UNIT_TESTS},
 * {@code CI}), so the start-up path is really taken.
 */
class OnnxRuntimeEnvironmentTest {
  static final String STACK = "1m";
  static final int PADDING = 8192;

  @TempDir static Path tmp;

  /** Loads the bundle and encodes images, all on a thread of {@code args[1]} bytes of stack; prints OK. */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      Path dir = Path.of(args[0]);
      long stack = parse(args[1]);
      Throwable[] failure = new Throwable[1];
      String[] out = new String[1];
      Thread t = new Thread(null, () -> {
        try (ModelBundle bundle = ModelBundle.load(dir, new InferenceOptions(InferenceDevice.CPU, 1))) {
          HashCode one = bundle.encoder().encodeImageBytes(TestImages.blocks(40, 30, 1, "png"));
          List<byte[]> images = new ArrayList<>();
          for (int i = 0; i < HashEncoder.EXTRACTOR_BATCH + 3; i++) {
            images.add(TestImages.blocks(20 + 5 * i, 30 + 2 * i, i, i % 2 == 0 ? "jpeg" : "png"));
          }
          List<HashCode> codes = bundle.encoder().encodeImageBytes(images);
          out[0] = "OK " + one + " " + codes.size() + " codes on " + Thread.currentThread().getName();
        } catch (Throwable e) {
          failure[0] = e;
        }
      }, "stack-" + args[1], stack);
      t.start();
      t.join();
      if (failure[0] != null) {
        failure[0].printStackTrace();
        System.exit(2);
      }
      System.out.println(out[0]);
    }

    private static long parse(String s) {
      return s.endsWith("m") ? Long.parseLong(s.substring(0, s.length() - 1)) << 20
          : s.endsWith("k") ? Long.parseLong(s.substring(0, s.length() - 1)) << 10 : Long.parseLong(s);
    }
  }

  @Test
  void firstUseOnA1MbThreadWithALongCommandLineLoadsAndEncodes() throws Exception {
    Path dir = TinyBundle.copyImageBundle(tmp.resolve("tiny-image"));
    Result r = child(Child.class, dir.toString(), STACK);
    assertEquals(0, r.exit, "child JVM exit " + r.exit + (r.exit == 139 ? " (SIGSEGV: the stack overflowed)" : "")
        + ", output:\n" + r.output);
    assertTrue(r.output.contains("OK "), r.output);
  }

  @Test
  void stackSizeGrowsWithTheCommandLine() {
    long bytes = OnnxRuntimeEnvironment.commandLineBytes();
    assertTrue(bytes > 0, "this JVM's command line is readable on Linux: " + bytes);
    assertTrue(OnnxRuntimeEnvironment.stackSize() >= OnnxRuntimeEnvironment.MIN_STACK);
    assertTrue(OnnxRuntimeEnvironment.stackSize() >= 256 * bytes * 4);
    assertTrue(OnnxRuntimeEnvironment.get() == OrtEnvironment.getEnvironment());
  }

  record Result(int exit, String output) {}

  /** Runs {@code main} in a child JVM of this classpath with an over-8 KB command line (a padding property). */
  static Result child(Class<?> main, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-Djava.awt.headless=true", "-Xmx256m",
        "-Dbicmr.test.padding=" + "x".repeat(PADDING), "-cp", System.getProperty("java.class.path"),
        main.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("ORT_DISABLE_TELEMETRY");
    pb.environment().remove("ORT_RUNNING_UNIT_TESTS");
    pb.environment().remove("CI");
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), output);
  }
}
