package org.bicmr.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bicmr.lucene.HashCode;
import org.junit.jupiter.api.Test;

/** The bundle shipped in the jar loads from the class path, passes every check, and encodes real tags. */
class DefaultBundleTest {

  @Test
  void theDefaultBundleLoadsAndEncodes() throws Exception {
    try (ModelBundle b = ModelBundle.loadDefault(new InferenceOptions(InferenceDevice.CPU, 1))) {
      assertEquals("bicmr-default", b.name());
      assertEquals(32, b.bits());
      assertEquals(1386, b.textDim(), "the MIRFlickr-25K tag vocabulary");
      assertEquals(256, b.imageDim());
      assertTrue(b.metrics().has("TQI_G"), "the manifest carries the evaluation: " + b.metrics());
      HashEncoder e = b.encoder();
      List<HashCode> codes = e.encodeTexts(List.of("sunset beach sea", "Sunset, beach... SEA!"));
      assertEquals(32, codes.get(0).bits());
      assertEquals(codes.get(0), codes.get(1), "case and edge punctuation do not matter");
      assertEquals(32, e.encodeImage(new float[256]).bits());
      // single tags give many different codes (the model is not constant), each the sign of its outputs
      List<String> tags = List.of("sunset", "beach", "sea", "dog", "puppy", "cat", "snow", "mountain", "night", "city",
          "lights", "flower", "macro", "baby", "car", "portrait", "girl", "clouds", "sky", "tree", "lake", "river",
          "food", "bird");
      List<HashCode> single = e.encodeTexts(tags);
      float[][] outputs = e.textOutputs(tags);
      for (int i = 0; i < tags.size(); i++) {
        assertEquals(HashCode.fromSigns(outputs[i]), single.get(i), tags.get(i));
      }
      long distinct = single.stream().distinct().count();
      assertTrue(distinct >= 8, distinct + " distinct codes for " + tags.size() + " tags");
    }
  }
}
