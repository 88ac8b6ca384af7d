package org.bicmr.onnx;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The JVM's ONNX Runtime environment ({@link OrtEnvironment#getEnvironment()}, one per JVM), created the first time on
 * a short-lived thread with a stack large enough for ONNX Runtime's start-up, whatever thread asks for it.
 *
 * <p>Why: the official Linux builds of ONNX Runtime 1.29 start their POSIX telemetry (the Microsoft 1DS SDK) while the
 * environment is created, and that matches libstdc++ {@code std::regex}es against the process's command line
 * ({@code /proc/self/cmdline}); the regex engine recurses once per character. Measured on linux-x64: about 256 bytes
 * of native stack per command-line byte, so a JVM thread with Java's default 1 MB stack (the {@code main} thread
 * included, and an OpenSearch node's threads with {@code -Xss1m}) dies with SIGSEGV — exit 139, no hs_err file, the
 * stack exhausted past HotSpot's guard pages — once the command line reaches about 4 KB (a long {@code -cp} does it).
 * Sessions and {@code run} calls are not affected once the environment exists; {@code ORT_DISABLE_TELEMETRY=1} in the
 * process environment also avoids the code path (and the telemetry). Telemetry events are switched off as soon as
 * the environment exists ({@link OrtEnvironment#setTelemetry}); only ONNX Runtime's start-up sees the command line.
 *
 * <p>Everything in this module (and whatever else in the JVM uses ONNX Runtime) should get the environment here, or
 * after a call here: {@link OrtEnvironment#getEnvironment()} only creates it once.
 */
public final class OnnxRuntimeEnvironment {
  /** The least stack given to the creating thread: ~256 k command-line bytes at the measured rate. */
  static final long MIN_STACK = 64L << 20;
  /** Stack per command-line byte: four times the measured 256 bytes. */
  static final long STACK_PER_BYTE = 1024;

  private static volatile OrtEnvironment env;

  private OnnxRuntimeEnvironment() {}

  /**
   * The environment, created on a thread with a stack of {@link #stackSize()} bytes if it does not exist yet. Errors
   * of the creation (the native library cannot be loaded, …) are rethrown as they are.
   */
  public static OrtEnvironment get() {
    OrtEnvironment e = env;
    if (e == null) {
      synchronized (OnnxRuntimeEnvironment.class) {
        e = env;
        if (e == null) {
          e = create();
          env = e;
        }
      }
    }
    return e;
  }

  private static OrtEnvironment create() {
    Object[] result = new Object[1];
    Thread t = new Thread(null, () -> {
      try {
        OrtEnvironment created = OrtEnvironment.getEnvironment();
        created.setTelemetry(false); // no usage events from a search node or a training run (start-up's already ran)
        result[0] = created;
      } catch (Throwable x) {
        result[0] = x;
      }
    }, "bicmr-onnxruntime-init", stackSize());
    t.setDaemon(true);
    t.start();
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException x) {
        interrupted = true; // the environment is needed either way: wait, then restore the flag
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (result[0] instanceof OrtEnvironment created) {
      return created;
    }
    if (result[0] instanceof RuntimeException x) {
      throw x;
    }
    if (result[0] instanceof Error x) {
      throw x;
    }
    throw new IllegalStateException("ONNX Runtime environment could not be created: " + result[0],
        (Throwable) result[0]);
  }

  /**
   * The creating thread's stack: {@link #MIN_STACK}, or {@link #STACK_PER_BYTE} per command-line byte plus 16 MB if
   * that is more. Only address space is reserved: the pages ONNX Runtime does not touch are never committed, and the
   * thread ends as soon as the environment exists.
   */
  static long stackSize() {
    return Math.max(MIN_STACK, (16L << 20) + STACK_PER_BYTE * commandLineBytes());
  }

  /** The length of {@code /proc/self/cmdline}, or a lower bound when it cannot be read. */
  static long commandLineBytes() {
    try {
      Path cmdline = Path.of("/proc/self/cmdline");
      if (Files.isReadable(cmdline)) {
        return Files.readAllBytes(cmdline).length;
      }
    } catch (IOException | SecurityException | InvalidPathException | UnsupportedOperationException e) {
      // not Linux, or a security policy without /proc: the JDK's view below (at most 4 KB on Linux)
    }
    try {
      return ProcessHandle.current().info().commandLine().map(String::length).orElse(0);
    } catch (SecurityException e) {
      return 0;
    }
  }
}
