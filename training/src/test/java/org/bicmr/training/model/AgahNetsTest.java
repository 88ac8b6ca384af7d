package org.bicmr.training.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.Test;

/**
 * AGAH's hash functions: the hash nets split at their last hidden layer give the whole net's outputs, the label
 * attention by hand, and the saved functions (nets, λ, feature map) read back to the same outputs.
 */
class AgahNetsTest {
  private static final NetShape SHAPE = new NetShape(8, 6, 5, 6, NetShape.Output.TANH);

  @Test
  void hiddenLayerThenHashLayerIsTheWholeNet() {
    try (NDManager m = NDManager.newBaseManager()) {
      HashNets nets = new HashNets(SHAPE, 4, 7, 3L, m, DataType.FLOAT32);
      NDArray image = m.randomNormal(new ai.djl.ndarray.types.Shape(3, 4));
      NDArray text = m.randomNormal(new ai.djl.ndarray.types.Shape(3, 7));
      assertArrayEquals(nets.image(image, false).toFloatArray(),
          nets.imageCodes(nets.imageFeatures(image, false), false).toFloatArray(), 1e-6f);
      assertArrayEquals(nets.text(text, false).toFloatArray(),
          nets.textCodes(nets.textFeatures(text, false), false).toFloatArray(), 1e-6f);
      assertEquals(6, nets.imageFeatures(image, false).getShape().get(1));
    }
  }

  @Test
  void attentionMixesTheFeaturesWithTheLabelMapByHand() {
    try (NDManager m = NDManager.newBaseManager()) {
      AgahNets agah = new AgahNets(new HashNets(new NetShape(8, 2, 2, 2, NetShape.Output.TANH), 3, 3, 1L, m,
          DataType.FLOAT32), 2, 0.8, m);
      agah.setFeatureMap(new float[] {1, 0, 0, 1});
      // f = (1, 0): weights σ(5 f·M_c) = (σ(5), σ(0) = ½); attention = (σ(5), ½) / (σ(5) + ½)
      double s = 1 / (1 + Math.exp(-5));
      double[] expected = {0.8 + 0.2 * s / (s + 0.5), 0.2 * 0.5 / (s + 0.5)};
      float[] actual = agah.attend(m.create(new float[][] {{1, 0}})).toFloatArray();
      assertEquals(expected[0], actual[0], 1e-6);
      assertEquals(expected[1], actual[1], 1e-6);
    }
  }

  @Test
  void savedHashFunctionsReadBackToTheSameOutputs() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      AgahNets agah = new AgahNets(new HashNets(SHAPE, 4, 7, 3L, m, DataType.FLOAT32), 3, 0.7, m);
      float[] map = new float[3 * 6];
      for (int i = 0; i < map.length; i++) {
        map[i] = (float) Math.sin(i);
      }
      agah.setFeatureMap(map);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        agah.save(out);
      }
      AgahNets read = AgahNets.load(SHAPE, 4, 7, m,
          new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
      NDArray image = m.randomNormal(new ai.djl.ndarray.types.Shape(3, 4));
      NDArray text = m.randomNormal(new ai.djl.ndarray.types.Shape(3, 7));
      assertArrayEquals(agah.imageHash(image).toFloatArray(), read.imageHash(image).toFloatArray(), 0);
      assertArrayEquals(agah.textHash(text).toFloatArray(), read.textHash(text).toFloatArray(), 0);
      // the attention matters: without the map (λ = 1) the codes differ
      AgahNets plain = new AgahNets(read.nets(), 3, 1, m);
      assertEquals(false, java.util.Arrays.equals(plain.imageHash(image).toFloatArray(),
          read.imageHash(image).toFloatArray()));
    }
  }
}
