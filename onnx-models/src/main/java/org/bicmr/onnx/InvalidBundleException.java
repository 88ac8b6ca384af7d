package org.bicmr.onnx;

import java.io.IOException;

/** A model bundle that cannot be used: a missing or malformed file or field, a checksum or shape mismatch. */
public final class InvalidBundleException extends IOException {
  private static final long serialVersionUID = 1L;

  InvalidBundleException(String bundle, String message) {
    super("bundle " + bundle + ": " + message);
  }

  InvalidBundleException(String bundle, String message, Throwable cause) {
    super("bundle " + bundle + ": " + message, cause);
  }
}
