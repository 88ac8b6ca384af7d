package org.bicmr.training.images.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Weights decoded from a shard: uint8 and uint16 dequantised as q·scale + min, float32 as stored, in order. */
class TfjsWeightsTest {
  private static JsonArray manifest(String json) {
    return JsonParser.parseString(json).getAsJsonArray();
  }

  @Test
  void dequantisesInManifestOrder() {
    ByteBuffer data = ByteBuffer.allocate(3 + 4 + 8).order(ByteOrder.LITTLE_ENDIAN);
    data.put((byte) 0).put((byte) 1).put((byte) 255); // uint8
    data.putShort((short) 2).putShort((short) 0xffff); // uint16
    data.putFloat(1.5f).putFloat(-3.25f); // float32
    Map<String, TfjsWeights.Weight> w = TfjsWeights.decode(manifest("["
        + "{name:'a/kernel',shape:[3],dtype:'float32',quantization:{min:-1,scale:0.5,dtype:'uint8'}},"
        + "{name:'b/bias',shape:[1,2],dtype:'float32',quantization:{min:0.25,scale:0.001,dtype:'uint16'}},"
        + "{name:'c/gamma',shape:[2],dtype:'float32'}]"), data.array());
    assertEquals(java.util.List.of("a/kernel", "b/bias", "c/gamma"), java.util.List.copyOf(w.keySet()));
    assertArrayEquals(new float[] {-1f, -0.5f, 126.5f}, w.get("a/kernel").values());
    assertArrayEquals(new float[] {(float) (2 * 0.001 + 0.25), (float) (65535 * 0.001 + 0.25)},
        w.get("b/bias").values());
    assertArrayEquals(new int[] {1, 2}, w.get("b/bias").shape());
    assertArrayEquals(new float[] {1.5f, -3.25f}, w.get("c/gamma").values());
  }

  @Test
  void refusesShardsOfTheWrongLength() {
    JsonArray m = manifest("[{name:'a',shape:[2,2],dtype:'float32',quantization:{min:0,scale:1,dtype:'uint8'}}]");
    assertEquals("weight a[2, 2] needs 4 bytes at offset 0 but the shards have 3 left",
        assertThrows(IllegalArgumentException.class, () -> TfjsWeights.decode(m, new byte[3])).getMessage());
    assertEquals("the shards hold 5 bytes but the manifest's weights use 4",
        assertThrows(IllegalArgumentException.class, () -> TfjsWeights.decode(m, new byte[5])).getMessage());
  }

  @Test
  void refusesOtherTypes() {
    assertEquals("weight a: quantization.dtype is float16, expected uint8 or uint16",
        assertThrows(IllegalArgumentException.class, () -> TfjsWeights.decode(manifest(
            "[{name:'a',shape:[1],dtype:'float32',quantization:{dtype:'float16'}}]"), new byte[2])).getMessage());
    assertEquals("weight a: dtype is int32, expected float32",
        assertThrows(IllegalArgumentException.class, () -> TfjsWeights.decode(manifest(
            "[{name:'a',shape:[1],dtype:'int32'}]"), new byte[4])).getMessage());
  }
}
