package org.bicmr.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The inference settings refuse what ONNX Runtime cannot take. */
class InferenceOptionsTest {

  @Test
  void theDefaultsAreAutoAndOnnxRuntimesThreadCount() {
    assertEquals(new InferenceOptions(InferenceDevice.AUTO, 0), InferenceOptions.DEFAULT);
  }

  @Test
  void negativeThreadsAndNoDeviceAreRefused() {
    var e = assertThrows(IllegalArgumentException.class, () -> new InferenceOptions(InferenceDevice.CPU, -1));
    assertEquals("threads: expected 0 (ONNX Runtime's choice) or more, got -1", e.getMessage());
    var npe = assertThrows(NullPointerException.class, () -> new InferenceOptions(null, 0));
    assertEquals("device", npe.getMessage());
  }

  @Test
  void devicesParseInAnyCaseAndPrintInLowerCase() {
    assertEquals(InferenceDevice.AUTO, InferenceDevice.parse("device", "auto"));
    assertEquals(InferenceDevice.CPU, InferenceDevice.parse("device", "Cpu"));
    assertEquals("cuda", InferenceDevice.CUDA.toString());
    var e = assertThrows(IllegalArgumentException.class, () -> InferenceDevice.parse("bicmr.inference.device", null));
    assertEquals("bicmr.inference.device: expected one of auto, cpu, cuda, got \"null\"", e.getMessage());
  }
}
