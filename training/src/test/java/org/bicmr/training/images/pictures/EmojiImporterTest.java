package org.bicmr.training.images.pictures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The emoji importer on a tiny tree laid out as bin/fetch-emoji extracts the packages: texts, labels, groups and
 * split groups of each emoji; every style found by its own naming (code points with or without FE0F, Fluent's
 * names); SVGs drawn at 128 pixels; what is missing counted; the catalog read back as written.
 */
class EmojiImporterTest {
  private static final String DATA = """
      [{"label":"regional indicator A","hexcode":"1F1E6","emoji":"x","type":1,"version":0},
       {"label":"red heart","hexcode":"2764","tags":["heart","love","red heart"],"emoji":"x","group":0,"subgroup":1},
       {"label":"fire engine","hexcode":"1F692","tags":["engine","fire","truck"],"emoji":"x","group":1,"subgroup":2},
       {"label":"light skin tone","hexcode":"1F3FB","emoji":"x","group":2,"subgroup":3}]""";
  private static final String MESSAGES = """
      {"groups":[{"key":"smileys-emotion","message":"smileys","order":0},
                 {"key":"travel-places","message":"travel","order":1},{"key":"component","message":"c","order":2}],
       "subgroups":[{"key":"face-smiling","message":"s","order":0},{"key":"heart","message":"h","order":1},
                    {"key":"transport-ground","message":"t","order":2},{"key":"skin-tone","message":"k","order":3}]}""";
  private static final String SVG = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 72 72'>"
      + "<circle cx='36' cy='36' r='30' fill='#d22'/></svg>";

  private static byte[] png() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(64, 64, BufferedImage.TYPE_INT_ARGB), "png", out);
    return out.toByteArray();
  }

  private static void write(Path file, byte[] bytes) throws Exception {
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
  }

  @Test
  void everyStyleOfEveryEmojiWithItsTextAndLabels(@TempDir Path tmp) throws Exception {
    Path root = tmp.resolve("packages");
    write(root.resolve("emojibase-data/package/en/data.json"), DATA.getBytes());
    write(root.resolve("emojibase-data/package/en/messages.json"), MESSAGES.getBytes());
    write(root.resolve("emoji-datasource-google/package/img/google/64/2764-fe0f.png"), png());
    write(root.resolve("emoji-datasource-google/package/img/google/64/1f692.png"), png());
    write(root.resolve("emoji-datasource-twitter/package/img/twitter/64/1f692.png"), png());
    write(root.resolve("openmoji/package/color/svg/2764.svg"), SVG.getBytes());
    write(root.resolve("openmoji/package/color/svg/1F692.svg"), SVG.getBytes());
    write(root.resolve("fluentui-emoji/package/icons/flat/red-heart.svg"), SVG.getBytes());
    write(root.resolve("fluentui-emoji/package/icons/modern/fire-engine-default.svg"), SVG.getBytes());
    Files.createDirectories(root.resolve("fluentui-emoji/package/icons/high-contrast"));
    Path out = tmp.resolve("catalog");

    EmojiImporter.Result r = EmojiImporter.importTo(root, out);
    assertEquals(7, r.items().size(), "google 2, twitter 1, openmoji 2, fluent flat 1, fluent modern 1");
    PictureItem heart = r.items().stream().filter(i -> i.source().equals("emoji/google")
        && i.split().equals("emoji:2764")).findFirst().orElseThrow();
    assertEquals("red heart: heart, love", heart.text(), "keywords that repeat the name are left out");
    assertEquals(List.of("smileys-emotion", "heart"), heart.labels());
    assertEquals("heart", heart.group());
    assertTrue(r.items().stream().anyMatch(i -> i.source().equals("emoji/fluent-modern")
        && i.text().startsWith("fire engine")), "Fluent's -default name is found");
    assertEquals(Map.of("component emoji (skin tones, hair styles)", 1,
        "emoji without a group (regional indicator letters)", 1,
        "emoji/twitter: no drawing of the emoji", 1,
        "emoji/fluent-flat: no drawing of the emoji", 1,
        "emoji/fluent-modern: no drawing of the emoji", 1,
        "emoji/fluent-high-contrast: no drawing of the emoji", 2), r.skipped());
    BufferedImage drawn = ImageIO.read(out.resolve("images/openmoji/1F692.png").toFile());
    assertEquals(EmojiImporter.SVG_SIZE, drawn.getWidth());
    assertTrue((drawn.getRGB(64, 64) >>> 24) > 0 && (drawn.getRGB(1, 1) >>> 24) == 0,
        "the drawing is opaque inside its circle, transparent outside");
    assertEquals(r.items(), PictureCatalog.read(out));
    assertTrue(Files.readString(out.resolve("LICENSES.md")).contains("CC-BY 4.0"));
  }

  @Test
  void onlyTheChosenStylesAndEmojiAreDrawn(@TempDir Path tmp) throws Exception {
    StringBuilder data = new StringBuilder("[");
    for (int i = 0; i < 10; i++) {
      data.append(i == 0 ? "" : ",").append("{\"label\":\"e").append(i).append("\",\"hexcode\":\"1F60")
          .append(i).append("\",\"emoji\":\"x\",\"group\":0,\"subgroup\":0}");
    }
    Path root = tmp.resolve("packages");
    write(root.resolve("emojibase-data/package/en/data.json"), data.append("]").toString().getBytes());
    write(root.resolve("emojibase-data/package/en/messages.json"), MESSAGES.getBytes());
    for (int i = 0; i < 10; i++) {
      write(root.resolve("emoji-datasource-google/package/img/google/64/1f60" + i + ".png"), png());
      write(root.resolve("openmoji/package/color/svg/1F60" + i + ".svg"), SVG.getBytes());
    }
    Path out = tmp.resolve("pictures");
    // 10 emoji, at most 4: every third of emojibase's order (0, 3, 6, 9); only the google style, only those drawn
    EmojiImporter.Result r = EmojiImporter.items(root, out, List.of("google"), 4);
    assertEquals(List.of("emoji:1F600", "emoji:1F603", "emoji:1F606", "emoji:1F609"),
        r.items().stream().map(PictureItem::split).toList());
    assertTrue(r.items().stream().allMatch(i -> i.source().equals("emoji/google")));
    try (var drawn = Files.walk(out)) {
      assertEquals(4, drawn.filter(Files::isRegularFile).count(), "only the chosen pictures are written");
    }
    var unknown = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> EmojiImporter.items(root, out, List.of("apple"), 0));
    assertTrue(unknown.getMessage().contains("emoji style [apple] does not exist"), unknown.getMessage());
  }
}
