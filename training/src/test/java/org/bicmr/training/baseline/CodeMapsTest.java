package org.bicmr.training.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** AGAH's per-label maps, by hand. */
class CodeMapsTest {

  @Test
  void featureMapIsTheNormalisedMeanOfEachLabelsFeatures() {
    // 3 items, 3 labels, e = 2; label 3 has no items
    float[] labels = {1, 0, 0, 1, 1, 0, 0, 1, 0};
    float[] image = {1, 0, 3, 0, 0, 2};
    float[] text = {1, 0, 1, 0, 0, 0};
    float[] map = CodeMaps.featureMap(image, text, labels, 3, 2);
    // label 1: items 1, 2 → image mean (2, 0), text mean (1, 0) → (1.5, 0) → (1, 0)
    // label 2: items 2, 3 → image mean (1.5, 1), text mean (0.5, 0) → (1, 0.5) → (2, 1)/√5
    assertArrayEquals(new float[] {1, 0, (float) (2 / Math.sqrt(5)), (float) (1 / Math.sqrt(5)), 0, 0}, map, 1e-6f);
  }

  @Test
  void oneBitCodeMapFollowsTheClosedForm() {
    // c = 1, l = 1: no other bits, so M = sign(Q) = sign(2 (Lᵀ(U + V) + M)); both items carry the label
    float[] labels = {1, 1};
    // U = (+, +), V = (+, −): Lᵀ(U + V) = 2; old M = −1 → Q = 2 (2 − 1) > 0
    assertArrayEquals(new float[] {1}, CodeMaps.update(new float[] {-1}, new float[] {0.3f, 0.8f},
        new float[] {0.1f, -0.5f}, labels, 1, 1));
    // U = (−, −), V = (−, +): Lᵀ(U + V) = −2; old M = +1 → Q = 2 (−2 + 1) < 0
    assertArrayEquals(new float[] {-1}, CodeMaps.update(new float[] {1}, new float[] {-0.3f, -0.8f},
        new float[] {-0.1f, 0.5f}, labels, 1, 1));
  }

  @Test
  void twoBitsUseTheOtherBitsTerms() {
    // c = 1, l = 2, one item with the label, U = V = (+, +), old M = (+, +):
    // Q = 2·2 (1·(2, 2) + (1, 1)) = (12, 12). Bit 1: rest = M₂ (UᵀU₂₁ + VᵀV₂₁ + M₂M₁) = 1 (1 + 1 + 1) = 3 → 12 − 6 > 0.
    // Bit 2 likewise with the new M₁ = +1 → +1.
    assertArrayEquals(new float[] {1, 1}, CodeMaps.update(new float[] {1, 1}, new float[] {1, 1},
        new float[] {1, 1}, new float[] {1}, 1, 2));
    // old M = (−, −), U = V = (+, −): Q = 4 ((2, −2) + (−1, −1)) = (4, −12);
    // bit 1: rest = M₂ (U₂U₁ + V₂V₁ + M₂M₁) = −1 (−1 − 1 + 1) = 1 → 4 − 2 > 0 → +1;
    // bit 2: rest = M₁ (U₁U₂ + V₁V₂ + M₁M₂) with the new M₁ = +1: 1 (−1 − 1 − 1) = −3 → −12 + 6 < 0 → −1
    assertArrayEquals(new float[] {1, -1}, CodeMaps.update(new float[] {-1, -1}, new float[] {1, -1},
        new float[] {1, -1}, new float[] {1}, 1, 2));
  }
}
