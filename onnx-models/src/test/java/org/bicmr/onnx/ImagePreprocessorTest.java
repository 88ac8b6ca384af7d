package org.bicmr.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The image contract on tiny images written here, against values worked out by hand: alpha on white, grey and 16-bit
 * samples as stored, palettes, aligned-corner bilinear resizing, the NCHW layout; and the errors for bytes that are
 * not a usable PNG or JPEG.
 */
class ImagePreprocessorTest {
  private static byte[] encode(BufferedImage image, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(image, format, out), "no " + format + " writer for this image type");
    return out.toByteArray();
  }

  private static float[] plane(float[] chw, int channel, int size) {
    return Arrays.copyOfRange(chw, channel * size, (channel + 1) * size);
  }

  /**
   * 2×2 RGBA: red; blue with alpha 0 (white on white); green with alpha 128 (r = b = 1 - 128/255, g = 1); opaque
   * (51, 102, 153) = (0.2, 0.4, 0.6). Resized to 3×3 with aligned corners: corners are the pixels, edge middles the
   * mean of two, the centre the mean of four.
   */
  @Test
  void compositesAlphaOnWhiteAndResizesWithAlignedCorners() throws IOException {
    BufferedImage im = new BufferedImage(2, 2, BufferedImage.TYPE_INT_ARGB);
    im.setRGB(0, 0, 0xffff0000);
    im.setRGB(1, 0, 0x000000ff);
    im.setRGB(0, 1, 0x8000ff00);
    im.setRGB(1, 1, 0xff336699);
    float[] t = new ImagePreprocessor(3, 3, 100).pixels(encode(im, "png"));
    assertEquals(27, t.length);
    float h = 1 - 128 / 255f; // red and blue of the half-transparent green
    float[][] px = {{1, 0, 0}, {1, 1, 1}, {h, 1, h}, {0.2f, 0.4f, 0.6f}}; // [pixel][channel], after compositing
    for (int ch = 0; ch < 3; ch++) {
      float a = px[0][ch];
      float b = px[1][ch];
      float c = px[2][ch];
      float d = px[3][ch];
      float[] expected = {
          a, (a + b) / 2, b,
          (a + c) / 2, (a + b + c + d) / 4, (b + d) / 2,
          c, (c + d) / 2, d};
      assertArrayEquals(expected, plane(t, ch, 9), 1e-6f, "channel " + ch);
    }
  }

  /** Grey samples are taken as stored (not through the JDK's linear-grey conversion), 16-bit ones over 65535. */
  @Test
  void greySamplesAsStoredAt8And16Bits() throws IOException {
    BufferedImage g8 = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
    g8.getRaster().setSample(0, 0, 0, 0);
    g8.getRaster().setSample(1, 0, 0, 128);
    float[] t = new ImagePreprocessor(3, 1, 100).pixels(encode(g8, "png"));
    for (int ch = 0; ch < 3; ch++) {
      assertArrayEquals(new float[] {0, 64 / 255f, 128 / 255f}, plane(t, ch, 3), 1e-6f);
    }
    BufferedImage g16 = new BufferedImage(1, 1, BufferedImage.TYPE_USHORT_GRAY);
    g16.getRaster().setSample(0, 0, 0, 1000);
    assertArrayEquals(new float[] {1000 / 65535f, 1000 / 65535f, 1000 / 65535f},
        new ImagePreprocessor(1, 1, 100).pixels(encode(g16, "png")), 1e-7f);
  }

  @Test
  void palettesWithATransparentEntry() throws IOException {
    byte[] r = {(byte) 255, 0};
    byte[] g = {0, 0};
    byte[] b = {0, (byte) 255};
    BufferedImage im = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED,
        new IndexColorModel(1, 2, r, g, b, 1)); // entry 1 transparent
    im.getRaster().setSample(0, 0, 0, 0);
    im.getRaster().setSample(1, 0, 0, 1);
    float[] t = new ImagePreprocessor(2, 1, 100).pixels(encode(im, "png"));
    assertArrayEquals(new float[] {1, 1, 0, 1, 0, 1}, t, 1e-6f); // red, then white: R plane, G plane, B plane
  }

  @Test
  void jpegOfOneColourAndTheDefaultSize() throws IOException {
    BufferedImage im = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        im.setRGB(x, y, 0x4080c0);
      }
    }
    float[] t = new ImagePreprocessor().pixels(encode(im, "jpeg"));
    assertEquals(3 * 224 * 224, t.length);
    float[] colour = {0x40 / 255f, 0x80 / 255f, 0xc0 / 255f};
    for (int i = 0; i < t.length; i++) {
      assertEquals(colour[i / (224 * 224)], t[i], 3 / 255f, "value " + i);
    }
  }

  @Test
  void anImageOfTheOutputSizeIsUnchanged() throws IOException {
    BufferedImage im = new BufferedImage(5, 4, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 5; x++) {
        im.setRGB(x, y, (x * 40) << 16 | (y * 60) << 8 | (x + y) * 20);
      }
    }
    float[] t = new ImagePreprocessor(5, 4, 100).pixels(encode(im, "png"));
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 5; x++) {
        assertEquals(x * 40 / 255f, t[y * 5 + x], 1e-6f);
        assertEquals(y * 60 / 255f, t[20 + y * 5 + x], 1e-6f);
        assertEquals((x + y) * 20 / 255f, t[40 + y * 5 + x], 1e-6f);
      }
    }
  }

  @Test
  void refusesWhatIsNotAPngOrJpeg() throws IOException {
    ImagePreprocessor p = new ImagePreprocessor();
    assertEquals("image: not a PNG or JPEG (11 bytes starting 0x68656c6c6f2c2077)", assertThrows(
        IllegalArgumentException.class, () -> p.pixels("hello, world".substring(0, 11).getBytes(
            StandardCharsets.US_ASCII))).getMessage());
    assertEquals("image: no bytes, expected a PNG or JPEG",
        assertThrows(IllegalArgumentException.class, () -> p.pixels(new byte[0])).getMessage());
    byte[] gif = encode(new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_INDEXED), "gif");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> p.pixels(gif)).getMessage()
        .startsWith("image: not a PNG or JPEG"));
  }

  @Test
  void refusesTruncatedImages() throws IOException {
    BufferedImage im = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        im.setRGB(x, y, x * 0x040000 + y * 0x0400 + (x ^ y) * 3);
      }
    }
    ImagePreprocessor p = new ImagePreprocessor();
    for (String format : new String[] {"png", "jpeg"}) {
      byte[] whole = encode(im, format);
      assertTrue(whole.length > 1000, format + " of " + whole.length + " bytes");
      for (int cut : new int[] {whole.length / 2, whole.length - 100}) {
        byte[] part = Arrays.copyOf(whole, cut);
        String m = assertThrows(IllegalArgumentException.class, () -> p.pixels(part), format + " " + cut)
            .getMessage();
        assertTrue(m.startsWith("image: " + format.toUpperCase(java.util.Locale.ROOT) + " ")
            && m.contains(" is truncated or corrupt"), m);
      }
    }
  }

  /** A PNG signature and IHDR chunk (with its CRC) claiming a size, and nothing else: the size check comes first. */
  private static byte[] pngHeader(int width, int height) {
    ByteBuffer b = ByteBuffer.allocate(8 + 25);
    b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a});
    b.putInt(13);
    int start = b.position();
    b.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(width).putInt(height)
        .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    CRC32 crc = new CRC32();
    crc.update(b.array(), start, 17);
    b.putInt((int) crc.getValue());
    return b.array();
  }

  @Test
  void refusesHugeAndEmptyImagesFromTheHeader() {
    ImagePreprocessor p = new ImagePreprocessor();
    assertEquals("image: PNG is 100000×100000 = 10000000000 pixels, more than the limit of 40000000",
        assertThrows(IllegalArgumentException.class, () -> p.pixels(pngHeader(100_000, 100_000))).getMessage());
    assertEquals("image: PNG is 3×2 = 6 pixels, more than the limit of 5",
        assertThrows(IllegalArgumentException.class, () -> new ImagePreprocessor(224, 224, 5)
            .pixels(pngHeader(3, 2))).getMessage());
    String zero = assertThrows(IllegalArgumentException.class, () -> p.pixels(pngHeader(0, 5))).getMessage();
    assertTrue(zero.startsWith("image: PNG"), zero);
  }

  @Test
  void theManifestObjectRoundTripsAndUnknownValuesAreRefused() {
    com.google.gson.JsonObject m = new ImagePreprocessor().manifest();
    assertEquals("{\"decode\":\"png,jpeg\",\"alpha\":\"white\",\"resize\":\"bilinear_align_corners\","
        + "\"scale\":\"unit\",\"layout\":\"nchw_rgb\",\"width\":224,\"height\":224,\"max_pixels\":40000000}",
        m.toString());
    ImagePreprocessor back = ImagePreprocessor.fromManifest("image.preprocessing", m);
    assertEquals(224, back.width());
    assertEquals(224, back.height());
    assertEquals(m, back.manifest());
    com.google.gson.JsonObject other = m.deepCopy();
    other.addProperty("resize", "area");
    assertEquals("image.preprocessing.resize is \"area\", expected \"bilinear_align_corners\"", assertThrows(
        IllegalArgumentException.class, () -> ImagePreprocessor.fromManifest("image.preprocessing", other))
        .getMessage());
    com.google.gson.JsonObject zero = m.deepCopy();
    zero.addProperty("width", 0);
    assertEquals("image.preprocessing.width is 0, expected a positive integer", assertThrows(
        IllegalArgumentException.class, () -> ImagePreprocessor.fromManifest("image.preprocessing", zero))
        .getMessage());
    com.google.gson.JsonObject extra = m.deepCopy();
    extra.addProperty("mean", 0.5);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ImagePreprocessor.fromManifest("p", extra))
        .getMessage().startsWith("p has an unknown field mean"));
  }

  /** TF.js' resizeBilinear with aligned corners, as nsfwjs resizes, recorded by resize-reference.js beside this test. */
  @Test
  void resizesAsTfjsDoesUpAndDown() throws IOException {
    com.google.gson.JsonObject ref;
    try (java.io.InputStream in = ImagePreprocessorTest.class.getResourceAsStream("resize-reference.json")) {
      ref = com.google.gson.JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .getAsJsonObject();
    }
    BufferedImage im = new BufferedImage(7, 5, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 5; y++) {
      for (int x = 0; x < 7; x++) {
        int[] v = new int[3];
        for (int c = 0; c < 3; c++) {
          v[c] = (37 * y + 11 * x + 5 * c) % 256;
        }
        im.setRGB(x, y, v[0] << 16 | v[1] << 8 | v[2]);
      }
    }
    byte[] png = encode(im, "png");
    for (int[] size : new int[][] {{9, 11}, {3, 4}}) {
      int h = size[0];
      int w = size[1];
      float[] t = new ImagePreprocessor(w, h, 100).pixels(png);
      com.google.gson.JsonArray expected = ref.getAsJsonArray(h + "x" + w);
      float max = 0;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          for (int c = 0; c < 3; c++) {
            max = Math.max(max, Math.abs(expected.get((y * w + x) * 3 + c).getAsFloat() - t[(c * h + y) * w + x]));
          }
        }
      }
      assertTrue(max < 1e-6, h + "×" + w + ": max |diff| from TF.js " + max);
    }
  }
}
