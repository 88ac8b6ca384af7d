package org.bicmr.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading bundles: what is checked, and that every failure names the bundle and the field. */
class ModelBundleTest {
  private static final InferenceOptions CPU = new InferenceOptions(InferenceDevice.CPU, 1);

  @Test
  void loadsADirectoryAndDescribesIt(@TempDir Path tmp) throws Exception {
    try (ModelBundle b = ModelBundle.load(TinyBundle.copy(tmp.resolve("tiny")), CPU)) {
      assertEquals("tiny", b.name());
      assertEquals("1", b.version());
      assertEquals(16, b.bits());
      assertEquals(6, b.imageDim());
      assertEquals(12, b.textDim());
      assertEquals("random-test-model", b.trainedOn());
      assertEquals("6 random numbers (test fixture)", b.imageFeature());
      assertEquals(InferenceDevice.CPU, b.device());
      assertEquals(16, b.encoder().bits());
    }
  }

  @Test
  void loadsAZipWithOrWithoutATopFolder(@TempDir Path tmp) throws Exception {
    Path dir = TinyBundle.copy(tmp.resolve("tiny"));
    for (String prefix : List.of("", "tiny/")) {
      Path zip = zip(dir, tmp.resolve("b" + prefix.length() + ".zip"), prefix);
      try (ModelBundle b = ModelBundle.load(zip, CPU)) {
        assertEquals("tiny", b.name());
        assertEquals(HashEncoderTest.expectedCode(0), b.encoder().encodeText("Sunset beach"));
      }
    }
  }

  @Test
  void aZipEntryOutsideTheBundleIsRefused(@TempDir Path tmp) throws Exception {
    Path zip = tmp.resolve("evil.zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new ZipEntry("../manifest.json"));
      out.write(new byte[] {'{', '}'});
      out.closeEntry();
    }
    assertMessage(zip, "zip entry \"../manifest.json\" points outside the bundle");
  }

  @Test
  void zipEntriesThatAreAbsoluteOrClimbOutAreRefused(@TempDir Path tmp) throws Exception {
    for (String evil : List.of("/etc/manifest.json", "tiny/../../manifest.json", "tiny\\manifest.json",
        "C:/manifest.json")) {
      Path zip = tmp.resolve("evil" + evil.hashCode() + ".zip");
      try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
        out.putNextEntry(new ZipEntry("tiny/vocab.txt"));
        out.closeEntry();
        out.putNextEntry(new ZipEntry(evil));
        out.closeEntry();
      }
      assertMessage(zip, "zip entry \"" + evil + "\" points outside the bundle");
    }
  }

  @Test
  void aTopFolderWithDotsInItsNameIsNotAnEscape(@TempDir Path tmp) throws Exception {
    Path zip = zip(TinyBundle.copy(tmp.resolve("tiny")), tmp.resolve("v1..2.zip"), "v1..2/");
    try (ModelBundle b = ModelBundle.load(zip, CPU)) {
      assertEquals("tiny", b.name());
    }
  }

  @Test
  void aZipEntryIsNeverReadPastTheSizeItDeclares(@TempDir Path tmp) throws Exception {
    Path zip = zip(TinyBundle.copy(tmp.resolve("tiny")), tmp.resolve("lying.zip"), "");
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(zip)).order(ByteOrder.LITTLE_ENDIAN);
    // the end record (the last 22 bytes: no comment) gives where the central directory starts; its first header is
    // manifest.json's, with the uncompressed size at offset 24
    int central = bytes.getInt(bytes.capacity() - 22 + 16);
    assertEquals(0x02014b50, bytes.getInt(central), "a central directory header");
    bytes.putInt(central + 24, 10);
    Files.write(zip, bytes.array());
    assertMessage(zip, "zip entry manifest.json declares 10 bytes but holds more");
  }

  @Test
  void filesTheManifestDoesNotNameAreNeverRead(@TempDir Path tmp) throws Exception {
    Path dir = TinyBundle.copy(tmp.resolve("tiny"));
    try (RandomAccessFile checkpoint = new RandomAccessFile(dir.resolve("checkpoint.bin").toFile(), "rw")) {
      checkpoint.setLength(3L << 30); // sparse: 3 GB that take no disk, more than one array can hold
    }
    Files.createDirectory(dir.resolve("notes"));
    try (ModelBundle b = ModelBundle.load(dir, CPU)) {
      assertEquals(HashEncoderTest.expectedCode(0), b.encoder().encodeText("Sunset beach"));
    }
  }

  @Test
  void aChangedFileIsRefusedByItsChecksum(@TempDir Path tmp) throws Exception {
    Path dir = TinyBundle.copy(tmp.resolve("tiny"));
    byte[] model = Files.readAllBytes(dir.resolve("text.onnx"));
    model[model.length - 5] ^= 1;
    Files.write(dir.resolve("text.onnx"), model);
    InvalidBundleException e = assertThrows(InvalidBundleException.class, () -> ModelBundle.load(dir, CPU));
    assertTrue(e.getMessage().startsWith("bundle " + dir + ": text.onnx does not match its checksum (sha256.text.onnx is "
        + "501d9d14"), e.getMessage());
    assertTrue(e.getMessage().endsWith("the file is corrupt or was changed"), e.getMessage());
  }

  @Test
  void manifestFieldsAreChecked(@TempDir Path tmp) throws Exception {
    assertEdit(tmp, "a", m -> m.remove("bits"), "manifest.json has no bits");
    assertEdit(tmp, "b", m -> m.addProperty("bits", 12), "bits: a code length must be a multiple of 8 between 8 and 4096 bits, got 12");
    assertEdit(tmp, "c", m -> m.addProperty("format", 2), "format is 2, this version reads format 1");
    assertEdit(tmp, "d", m -> m.addProperty("name", "../x"), "name \"../x\" must match [a-z0-9][a-z0-9_.-]*");
    assertEdit(tmp, "e", m -> m.getAsJsonObject("text").addProperty("tokenizer", "bert"),
        "text.tokenizer is \"bert\", this version knows \"lowercase-whitespace\"");
    assertEdit(tmp, "f", m -> m.getAsJsonObject("image").addProperty("dim", "six"),
        "image.dim is \"six\", expected an integer");
    assertEdit(tmp, "g", m -> m.getAsJsonObject("image").addProperty("file", "../image.onnx"),
        "image.file must be a plain file name in the bundle, got \"../image.onnx\"");
    assertEdit(tmp, "h", m -> m.getAsJsonObject("sha256").remove("vocab.txt"), "sha256 has no checksum for vocab.txt");
    assertEdit(tmp, "i", m -> m.getAsJsonObject("text").addProperty("file", "other.onnx"),
        "text.file names other.onnx, which the bundle does not have");
  }

  @Test
  void graphNamesAndShapesMustMatchTheManifest(@TempDir Path tmp) throws Exception {
    assertEdit(tmp, "a", m -> m.getAsJsonObject("image").addProperty("input", "pixels"),
        "image.input is \"pixels\" but the graph has [features]");
    assertEdit(tmp, "b", m -> m.getAsJsonObject("text").addProperty("output", "codes"),
        "text.output is \"codes\" but the graph has [hash]");
    assertEdit(tmp, "c", m -> m.getAsJsonObject("image").addProperty("dim", 7),
        "image.input \"features\" has shape [-1, 6], expected [batch, 7] with a dynamic batch dimension (-1)");
    // both nets give 16 outputs: a manifest that says 24 bits is refused at the image net's output
    assertEdit(tmp, "d", m -> m.addProperty("bits", 24),
        "image.output \"hash\" has shape [-1, 16], expected [batch, 24] with a dynamic batch dimension (-1)");
  }

  @Test
  void theVocabularyMustFitTheTextNet(@TempDir Path tmp) throws Exception {
    Path dir = TinyBundle.copy(tmp.resolve("short"));
    List<String> lines = Files.readAllLines(dir.resolve("vocab.txt"));
    TinyBundle.replace(dir, "vocab.txt", String.join("\n", lines.subList(0, 11)).getBytes());
    assertMessage(dir, "text.dim is 12 but vocab.txt has 11 tokens");

    Path twice = TinyBundle.copy(tmp.resolve("twice"));
    lines.set(11, "sunset");
    TinyBundle.replace(twice, "vocab.txt", String.join("\n", lines).getBytes());
    assertMessage(twice, "vocab.txt: vocabulary: token \"sunset\" appears twice (lines 1 and 12)");

    Path bom = TinyBundle.copy(tmp.resolve("bom"));
    TinyBundle.replace(bom, "vocab.txt", ("\uFEFF" + Files.readString(bom.resolve("vocab.txt"))).getBytes(
        StandardCharsets.UTF_8));
    assertMessage(bom, "vocab.txt starts with a byte-order mark (U+FEFF); expected UTF-8 without one, or the first "
        + "token could never match");
  }

  @Test
  void aGraphThatIsNotOnnxIsRefused(@TempDir Path tmp) throws Exception {
    Path dir = TinyBundle.copy(tmp.resolve("tiny"));
    TinyBundle.replace(dir, "image.onnx", "not a model".getBytes());
    InvalidBundleException e = assertThrows(InvalidBundleException.class, () -> ModelBundle.load(dir, CPU));
    assertTrue(e.getMessage().startsWith("bundle " + dir + ": image.file image.onnx is not a model ONNX Runtime can "
        + "run: "), e.getMessage());
  }

  @Test
  void missingBundlesAndBrokenManifestsAreClearErrors(@TempDir Path tmp) throws Exception {
    var missing = assertThrows(NoSuchFileException.class, () -> ModelBundle.load(tmp.resolve("nothing"), CPU));
    assertTrue(missing.getMessage().contains("no model bundle here"), missing.getMessage());
    Path dir = TinyBundle.copy(tmp.resolve("tiny"));
    Files.writeString(dir.resolve("manifest.json"), "{\"format\": 1,");
    InvalidBundleException e = assertThrows(InvalidBundleException.class, () -> ModelBundle.load(dir, CPU));
    assertTrue(e.getMessage().startsWith("bundle " + dir + ": manifest.json is not valid JSON"), e.getMessage());
    Files.delete(dir.resolve("manifest.json"));
    assertMessage(dir, "manifest names manifest.json, which the bundle does not have");
  }

  @Test
  void autoFallsBackToCpuWithoutCudaAndForcedCudaIsAnError(@TempDir Path tmp) throws Exception {
    Path dir = TinyBundle.copy(tmp.resolve("tiny"));
    try (ModelBundle b = ModelBundle.load(dir, InferenceOptions.DEFAULT)) {
      assertEquals(InferenceDevice.CPU, b.device(), "this build and machine have no CUDA");
      assertEquals(HashEncoderTest.expectedCode(0), b.encoder().encodeText("Sunset beach"));
    }
    var e = assertThrows(IllegalStateException.class,
        () -> ModelBundle.load(dir, new InferenceOptions(InferenceDevice.CUDA, 0)));
    assertTrue(e.getMessage().startsWith("device: cuda was requested but ONNX Runtime cannot use CUDA: "),
        e.getMessage());
    assertEquals(InferenceDevice.CUDA, InferenceDevice.parse("device", " CUDA "));
    var bad = assertThrows(IllegalArgumentException.class, () -> InferenceDevice.parse("bicmr.inference.device", "gpu"));
    assertEquals("bicmr.inference.device: expected one of auto, cpu, cuda, got \"gpu\"", bad.getMessage());
  }

  @Test
  void aClosedBundleRefusesToEncode(@TempDir Path tmp) throws Exception {
    ModelBundle b = ModelBundle.load(TinyBundle.copy(tmp.resolve("tiny")), CPU);
    HashEncoder encoder = b.encoder();
    b.close();
    b.close(); // twice is fine
    var e = assertThrows(IllegalStateException.class, () -> encoder.encodeText("dog"));
    assertEquals("the model bundle is closed", e.getMessage());
  }

  /** Zips the tiny bundle's files from {@code dir}, each entry named {@code prefix + file}. */
  private static Path zip(Path dir, Path zip, String prefix) throws IOException {
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      for (String f : TinyBundle.FILES) {
        out.putNextEntry(new ZipEntry(prefix + f));
        out.write(Files.readAllBytes(dir.resolve(f)));
        out.closeEntry();
      }
    }
    return zip;
  }

  private static void assertEdit(Path tmp, String name, java.util.function.Consumer<JsonObject> edit, String message)
      throws IOException {
    assertMessage(TinyBundle.withManifest(tmp.resolve(name), edit), message);
  }

  private static void assertMessage(Path bundle, String message) {
    InvalidBundleException e = assertThrows(InvalidBundleException.class, () -> ModelBundle.load(bundle, CPU));
    assertEquals("bundle " + bundle + ": " + message, e.getMessage());
  }
}
