package org.bicmr.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.bicmr.codes.HashCode;
import org.junit.jupiter.api.Test;

/**
 * The bundle shipped in the jar loads from the class path, passes every check, and encodes sentences and pictures: any
 * words (the sentence encoder, not a tag vocabulary), codes that are the signs of the nets' outputs, and sentences
 * about the same thing nearer to each other than to sentences about something else.
 */
class DefaultBundleTest {

  @Test
  void theDefaultBundleLoadsAndEncodes() throws Exception {
    try (ModelBundle b = ModelBundle.loadDefault(new InferenceOptions(InferenceDevice.CPU, 1))) {
      assertEquals("bicmr-default", b.name());
      assertEquals(64, b.bits());
      assertTrue(b.hasSentenceEncoder(), "texts go through the packaged sentence encoder");
      assertEquals(384, b.textDim(), "all-MiniLM-L6-v2's width");
      assertTrue(b.hasImageExtractor(), "pictures go through the bundled extractor");
      assertEquals(480, b.imageDim(), "CenterNet's MobileNetV3 backbone, 480 channels");
      assertTrue(b.metrics().has("TQI_S") && b.metrics().has("IQT_G"), "the manifest carries the evaluation: "
          + b.metrics());
      HashEncoder e = b.encoder();

      List<String> sentences = List.of("a red apple on a table", "a green apple, a fruit to eat",
          "a fire engine with its ladder", "a police car with flashing lights", "a sleeping cat", "a puppy dog",
          "it is raining", "a snowy mountain", "a birthday cake with candles", "a sad face with a tear");
      List<HashCode> codes = e.encodeTexts(sentences);
      float[][] outputs = e.textOutputs(sentences);
      for (int i = 0; i < sentences.size(); i++) {
        assertEquals(64, codes.get(i).bits());
        assertEquals(HashCode.fromSigns(outputs[i]), codes.get(i), sentences.get(i));
      }
      assertEquals(codes.get(0), e.encodeText("a red apple on a table"), "the same text, the same code");
      // the emoji groups these sentences belong to, by hand (food, travel and places, animals, faces): the codes
      // are trained on groups and subgroups, and measured to separate the groups but not always the subgroups ("a
      // fire engine" and "it is raining", both travel and places, share one; EXPERIMENTS.md), so sentences of
      // different groups never share a code
      int[] topic = {0, 0, 1, 1, 2, 2, 1, 1, 0, 3};
      for (int i = 0; i < sentences.size(); i++) {
        for (int j = i + 1; j < sentences.size(); j++) {
          if (topic[i] != topic[j]) {
            assertTrue(!codes.get(i).equals(codes.get(j)), "\"" + sentences.get(i) + "\" and \"" + sentences.get(j)
                + "\" share the code " + codes.get(i).toHex());
          }
        }
      }
      // pairs about the same thing are nearer than the same sentences to the other topics' sentences
      int[][] pairs = {{0, 1}, {2, 3}, {4, 5}};
      for (int[] p : pairs) {
        int near = codes.get(p[0]).distance(codes.get(p[1]));
        double far = 0;
        int n = 0;
        for (int j = 0; j < sentences.size(); j++) {
          if (j != p[0] && j != p[1] && j / 2 != p[0] / 2) {
            far += codes.get(p[0]).distance(codes.get(j));
            n++;
          }
        }
        far /= n;
        assertTrue(near < far, "\"" + sentences.get(p[0]) + "\" is " + near + " bits from \"" + sentences.get(p[1])
            + "\", " + far + " on average from the other topics");
      }

      // pictures: a drawn picture encodes through the extractor and the image net, as the signs of its outputs
      byte[] png = picture(Color.RED);
      HashCode red = e.encodeImageBytes(png);
      assertEquals(64, red.bits());
      float[][] features = e.imageFeatures(List.of(png));
      assertEquals(480, features[0].length);
      assertEquals(HashCode.fromSigns(e.imageOutputs(List.of(features[0]))[0]), red);
      assertEquals(red, e.encodeImageBytes(png), "the same picture, the same code");
    }
  }

  private static byte[] picture(Color color) throws Exception {
    BufferedImage image = new BufferedImage(160, 160, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 160, 160);
    g.setColor(color);
    g.fillOval(30, 40, 100, 90);
    g.setColor(new Color(90, 60, 20));
    g.fillRect(76, 20, 8, 25);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }
}
