package org.bicmr.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Session options for the requested device: CUDA when asked or when {@code auto} finds a device, CPU otherwise. With
 * the CPU build of ONNX Runtime, or the GPU build on a machine without CUDA, adding the CUDA provider fails; {@code
 * auto} then logs the reason once per JVM and uses CPU, while a forced {@code cuda} is an error.
 */
final class ExecutionProviders {
  private static final System.Logger LOG = System.getLogger(ExecutionProviders.class.getName());
  private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();

  /** Options and the device they run on. */
  record Choice(OrtSession.SessionOptions options, InferenceDevice device) {}

  private ExecutionProviders() {}

  static Choice choose(InferenceOptions requested) throws OrtException {
    if (requested.device() != InferenceDevice.CPU) {
      OrtSession.SessionOptions cuda = base(requested);
      try {
        cuda.addCUDA(0);
        return new Choice(cuda, InferenceDevice.CUDA);
      } catch (OrtException | LinkageError | RuntimeException e) {
        cuda.close();
        if (requested.device() == InferenceDevice.CUDA) {
          throw new IllegalStateException("device: cuda was requested but ONNX Runtime cannot use CUDA: "
              + e.getMessage(), e);
        }
        if (FALLBACK_LOGGED.compareAndSet(false, true)) {
          LOG.log(Level.INFO, "bicmr: CUDA unavailable (" + e.getMessage() + "); ONNX Runtime runs on CPU");
        }
      }
    }
    return new Choice(base(requested), InferenceDevice.CPU);
  }

  private static OrtSession.SessionOptions base(InferenceOptions requested) throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    // idle intra-op threads sleep instead of spinning: the nets are small and share the cores with their host
    // (an OpenSearch node indexing, a Lucene application searching)
    options.addConfigEntry("session.intra_op.allow_spinning", "0");
    if (requested.threads() > 0) {
      options.setIntraOpNumThreads(requested.threads());
    }
    return options;
  }
}
