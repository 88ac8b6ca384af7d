package org.bicmr.onnx;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Small encoded images for tests: seeded random blocks of colour, and PNG headers claiming any size. */
final class TestImages {
  private TestImages() {}

  /** A {@code width × height} image of 4 × 4 blocks of seeded random colours, encoded as {@code format}. */
  static byte[] blocks(int width, int height, long seed, String format) {
    Random random = new Random(seed);
    int[] colours = new int[16];
    for (int i = 0; i < colours.length; i++) {
      colours[i] = random.nextInt(0x1000000);
    }
    BufferedImage im = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        im.setRGB(x, y, colours[(y * 4 / height) * 4 + x * 4 / width]);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(im, format, out)) {
        throw new IllegalStateException("no " + format + " writer");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A PNG signature and IHDR chunk (with its CRC) claiming a size, and nothing else. */
  static byte[] pngHeader(int width, int height) {
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
}
