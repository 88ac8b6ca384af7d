package org.bicmr.training.images.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TF.js layers model read from the scripts nsfwjs ships, from model.json with binary shards, and out of an npm
 * tarball: the same layers, inputs, outputs and weights each way.
 */
class TfjsModelTest {
  private static TinyKeras tiny() {
    return new TinyKeras(4, 4, 1)
        .layer("Conv2D", "conv", "{filters: 2, kernel_size: [1, 1], strides: [1, 1], padding: 'valid', "
            + "activation: 'linear', use_bias: true}")
        .weight("conv/kernel", new int[] {1, 1, 1, 2}, 0.5f, -2f)
        .random("conv/bias", new Random(1), -1, 1, 2);
  }

  @Test
  void readsTheScriptsNsfwjsShips() throws IOException {
    TfjsModel m = tiny().read();
    assertEquals(List.of("input_1", "conv"), m.layers().stream().map(KerasLayer::name).toList());
    assertEquals(List.of("input_1"), m.inputs());
    assertEquals(List.of("conv"), m.outputs());
    assertEquals(List.of("input_1"), m.layer("conv").inputs());
    assertEquals("valid", m.layer("conv").config().get("padding").getAsString());
    assertEquals(true, m.layer("conv").config().get("use_bias").getAsBoolean());
    assertArrayEquals(new float[] {0.5f, -2f}, m.weight("conv", "kernel").values());
    assertArrayEquals(new int[] {1, 1, 1, 2}, m.weight("conv", "kernel").shape());
    assertEquals(2, m.weight("conv", "bias").size());
  }

  @Test
  void readsModelJsonWithBinaryShards() throws IOException {
    TinyKeras k = tiny();
    Map<String, byte[]> scripts = k.files();
    String literal = new String(scripts.get("model.min.js"), StandardCharsets.UTF_8);
    String json = JsLiteral.parse(literal, literal.indexOf("a.exports=") + 10).value().toString();
    byte[] shard = TfjsModel.shardOfScript("s", scripts.get("group1-shard1of1.min.js"));
    TfjsModel fromJson = TfjsModel.read("model.json", name -> switch (name) {
      case "model.json" -> json.getBytes(StandardCharsets.UTF_8);
      case "group1-shard1of1" -> shard;
      default -> throw new NoSuchFileException(name);
    });
    TfjsModel fromScripts = k.read();
    assertEquals(fromScripts.layers(), fromJson.layers());
    assertArrayEquals(fromScripts.weight("conv", "bias").values(), fromJson.weight("conv", "bias").values());
  }

  @Test
  void readsAnNpmTarballAndItsDirectory(@TempDir Path dir) throws IOException {
    Map<String, byte[]> files = tiny().files();
    Path tgz = dir.resolve("tiny-1.0.0.tgz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tgz))) {
      tarEntry(out, "package/package.json", "{}".getBytes(StandardCharsets.UTF_8));
      for (var e : files.entrySet()) {
        tarEntry(out, "package/dist/models/tiny/" + e.getKey(), e.getValue());
      }
      tarEntry(out, "package/dist/models/tiny/deeper/ignored.js", new byte[700]);
      out.write(new byte[1024]);
    }
    Path extracted = dir.resolve("x/package/dist/models/tiny");
    Files.createDirectories(extracted);
    for (var e : files.entrySet()) {
      Files.write(extracted.resolve(e.getKey()), e.getValue());
    }
    for (Path source : List.of(tgz, dir.resolve("x"), dir.resolve("x/package"))) {
      TfjsModel m = TfjsModel.read("model.min.js", NpmPackage.folder(source, "dist/models/tiny"));
      assertArrayEquals(new float[] {0.5f, -2f}, m.weight("conv", "kernel").values(), source.toString());
    }
    assertThrows(NoSuchFileException.class, () -> NpmPackage.folder(tgz, "dist/models/tiny").read("nope.js"));
    assertEquals(tgz + ": the tarball has no files under package/dist/models/other/", assertThrows(
        IllegalArgumentException.class, () -> NpmPackage.folder(tgz, "dist/models/other")).getMessage());
  }

  /** One ustar entry: a 512-byte header (name, octal size, checksum) and the data padded to 512 bytes. */
  private static void tarEntry(OutputStream out, String name, byte[] data) throws IOException {
    byte[] h = new byte[512];
    put(h, 0, name);
    put(h, 100, "0000644");
    put(h, 108, "0000000");
    put(h, 116, "0000000");
    put(h, 124, String.format("%011o", data.length));
    put(h, 136, "00000000000");
    h[156] = '0';
    put(h, 257, "ustar");
    put(h, 263, "00");
    java.util.Arrays.fill(h, 148, 156, (byte) ' ');
    int sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, String.format("%06o", sum));
    out.write(h);
    out.write(data);
    out.write(new byte[(512 - data.length % 512) % 512]);
  }

  private static void put(byte[] h, int at, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, at, b.length);
  }

  @Test
  void refusesWhatIsNotAFunctionalModel() {
    byte[] sequential = "a.exports={modelTopology:{model_config:{class_name:'Sequential',config:{layers:[]}}}}"
        .getBytes(StandardCharsets.UTF_8);
    assertEquals("model.min.js: model_config.class_name is Sequential, expected Model or Functional (a functional "
        + "Keras model)", assertThrows(IllegalArgumentException.class,
        () -> TfjsModel.read("model.min.js", name -> sequential)).getMessage());
    assertEquals("s.min.js: no exports=\"<base64>\" string in the script", assertThrows(IllegalArgumentException.class,
        () -> TfjsModel.shardOfScript("s.min.js", "module.exports=42".getBytes(StandardCharsets.UTF_8)))
        .getMessage());
    assertEquals("m.js: no object literal with a modelTopology key", assertThrows(IllegalArgumentException.class,
        () -> TfjsModel.read("m.js", name -> "var x = 1;".getBytes(StandardCharsets.UTF_8))).getMessage());
  }
}
