package org.bicmr.onnx;

import java.util.Locale;

/** Where ONNX Runtime runs a bundle's nets: CUDA when a device answers ({@code AUTO}), or forced. */
public enum InferenceDevice {
  /** CUDA when the GPU build is present and a device answers, otherwise CPU (logged once). */
  AUTO,
  /** CPU only; CUDA is never tried. */
  CPU,
  /** CUDA or an error: no silent fallback. */
  CUDA;

  /** Parses "auto", "cpu" or "cuda" (any case). */
  public static InferenceDevice parse(String what, String value) {
    if (value != null) {
      for (InferenceDevice d : values()) {
        if (d.name().equalsIgnoreCase(value.trim())) {
          return d;
        }
      }
    }
    throw new IllegalArgumentException(what + ": expected one of auto, cpu, cuda, got \"" + value + "\"");
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
