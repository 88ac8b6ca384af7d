package org.bicmr.training.images.pictures;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import org.apache.batik.transcoder.TranscoderException;
import org.apache.batik.transcoder.TranscoderInput;
import org.apache.batik.transcoder.TranscoderOutput;
import org.apache.batik.transcoder.image.ImageTranscoder;

/**
 * Draws an SVG drawing as a PNG of a given size with Apache Batik: the drawing scaled to fit {@code size}×{@code size}
 * with its aspect ratio, transparency kept (the image pipeline composites it on white). External resources are not
 * fetched: a drawing is read from its own bytes only.
 */
final class SvgRaster {
  private SvgRaster() {}

  /** The PNG bytes of {@code svg} drawn at {@code size} pixels; {@code name} names the drawing in errors. */
  static byte[] png(String name, byte[] svg, int size) {
    BufferedImage[] image = new BufferedImage[1];
    ImageTranscoder transcoder = new ImageTranscoder() {
      @Override
      public BufferedImage createImage(int w, int h) {
        return new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
      }

      @Override
      public void writeImage(BufferedImage img, TranscoderOutput out) {
        image[0] = img;
      }
    };
    transcoder.addTranscodingHint(ImageTranscoder.KEY_WIDTH, (float) size);
    transcoder.addTranscodingHint(ImageTranscoder.KEY_HEIGHT, (float) size);
    transcoder.addTranscodingHint(ImageTranscoder.KEY_ALLOW_EXTERNAL_RESOURCES, Boolean.FALSE);
    try {
      TranscoderInput input = new TranscoderInput(new ByteArrayInputStream(svg));
      input.setURI("file:///" + name.replaceAll("[^A-Za-z0-9._-]", "_")); // a base for relative references, never read
      transcoder.transcode(input, null);
    } catch (TranscoderException | RuntimeException e) {
      throw new IllegalArgumentException(name + ": not an SVG drawing Batik can draw: " + e.getMessage(), e);
    }
    if (image[0] == null) {
      throw new IllegalArgumentException(name + ": Batik drew nothing");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image[0], "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
