package org.bicmr.training.images.pictures;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.bicmr.training.data.AtomicFile;

/**
 * Makes a picture catalog of the emoji image sets on npm that may be redistributed, each emoji drawn in every style:
 * Google's Noto Emoji and Twitter's Twemoji as 64-pixel PNGs ({@code emoji-datasource-google} and {@code -twitter}),
 * OpenMoji's colour SVGs ({@code openmoji}) and Microsoft's Fluent UI emoji in three styles, flat, modern (colour)
 * and high contrast, as SVGs ({@code fluentui-emoji}); SVGs are drawn at {@link #SVG_SIZE} pixels. Apple's and
 * Facebook's sets are left out: their licences do not allow reuse.
 *
 * <p>Each emoji of {@code emojibase-data} (English) except the components (skin tones, hair) and the regional
 * indicator letters is one split group: its text is its name and keywords ("grinning face: face, grin"), its labels
 * its group and subgroup (e.g. {@code smileys-emotion}, {@code face-smiling}), its relevance group the subgroup. A
 * style without a drawing of an emoji is counted as skipped. The packages are read from {@code root}, as {@code
 * bin/fetch-emoji} extracts them: {@code <root>/<package>/package/...}.
 */
public final class EmojiImporter {
  /** The pixels an SVG drawing is drawn at. */
  public static final int SVG_SIZE = 128;

  /** One style of drawing: where its files are and how they are named. */
  enum Style {
    GOOGLE("emoji/google", "emoji-datasource-google", "package/img/google/64", false),
    TWITTER("emoji/twitter", "emoji-datasource-twitter", "package/img/twitter/64", false),
    OPENMOJI("emoji/openmoji", "openmoji", "package/color/svg", true),
    FLUENT_FLAT("emoji/fluent-flat", "fluentui-emoji", "package/icons/flat", true),
    FLUENT_MODERN("emoji/fluent-modern", "fluentui-emoji", "package/icons/modern", true),
    FLUENT_HIGH_CONTRAST("emoji/fluent-high-contrast", "fluentui-emoji", "package/icons/high-contrast", true);

    final String source;
    final String pkg;
    final String folder;
    final boolean svg;

    Style(String source, String pkg, String folder, boolean svg) {
      this.source = source;
      this.pkg = pkg;
      this.folder = folder;
      this.svg = svg;
    }
  }

  /** The packages read, their versions and licences. */
  public static final List<PictureCatalog.Licence> LICENCES = List.of(
      new PictureCatalog.Licence("texts and labels", "npm emojibase-data 17.0.0 (en/data.json, en/messages.json)",
          "MIT"),
      new PictureCatalog.Licence(Style.GOOGLE.source, "npm emoji-datasource-google 16.0.0 (Noto Emoji images)",
          "Apache-2.0 (images, Google Noto Emoji); the package MIT"),
      new PictureCatalog.Licence(Style.TWITTER.source, "npm emoji-datasource-twitter 16.0.0 (Twemoji images)",
          "CC-BY 4.0 (graphics, Twitter, Inc. and contributors): credit Twemoji; the package MIT"),
      new PictureCatalog.Licence(Style.OPENMOJI.source, "npm openmoji 17.0.0 (color/svg)",
          "CC-BY-SA 4.0 (OpenMoji, HfG Schwäbisch Gmünd): credit OpenMoji, share alike"),
      new PictureCatalog.Licence("emoji/fluent-*", "npm fluentui-emoji 1.3.0 (icons: flat, modern, high-contrast)",
          "MIT (Microsoft Fluent UI Emoji)"));

  private EmojiImporter() {}

  /** What an import made: the items, and what was left out by reason. */
  public record Result(List<PictureItem> items, Map<String, Integer> skipped) {}

  /** Imports the emoji of {@code root}'s packages into a picture catalog in {@code out}. */
  public static Result importTo(Path root, Path out) throws IOException {
    Result r = items(root, out);
    PictureCatalog.write(out, "emoji", r.items(), r.skipped(), LICENCES);
    return r;
  }

  /** The emoji of {@code root}'s packages as items in every style, their pictures written under {@code out}. */
  public static Result items(Path root, Path out) throws IOException {
    return items(root, out, STYLES, 0);
  }

  /** Every style's name, as {@code items} takes them: google, twitter, openmoji, fluent-flat, fluent-modern, ... */
  public static final List<String> STYLES = java.util.Arrays.stream(Style.values())
      .map(s -> s.source.substring("emoji/".length())).toList();

  /**
   * The emoji of {@code root}'s packages as items in the given {@code styles} (names of {@link #STYLES}), at most
   * {@code limit} emoji (0: all) spread evenly over emojibase's order; only their pictures are drawn, under {@code out}.
   */
  public static Result items(Path root, Path out, List<String> styles, int limit) throws IOException {
    for (String name : styles) {
      if (!STYLES.contains(name)) {
        throw new IllegalArgumentException("emoji style [" + name + "] does not exist; the styles are " + STYLES);
      }
    }
    if (limit < 0) {
      throw new IllegalArgumentException("the emoji limit must be 0 (all) or more, got " + limit);
    }
    List<Style> chosen = java.util.Arrays.stream(Style.values())
        .filter(s -> styles.contains(s.source.substring("emoji/".length()))).toList();
    Path data = root.resolve("emojibase-data/package/en");
    JsonArray emojis = JsonParser.parseString(Files.readString(data.resolve("data.json"), StandardCharsets.UTF_8))
        .getAsJsonArray();
    JsonObject messages = JsonParser.parseString(Files.readString(data.resolve("messages.json"),
        StandardCharsets.UTF_8)).getAsJsonObject();
    Map<Integer, String> groups = keys(messages.getAsJsonArray("groups"));
    Map<Integer, String> subgroups = keys(messages.getAsJsonArray("subgroups"));
    Map<Style, Map<String, Path>> files = new HashMap<>();
    for (Style s : chosen) {
      files.put(s, index(root.resolve(s.pkg).resolve(s.folder), s));
    }
    List<PictureItem> items = new ArrayList<>();
    Map<String, Integer> skipped = new TreeMap<>();
    List<JsonObject> usable = new ArrayList<>();
    for (JsonElement e : emojis) {
      JsonObject emoji = e.getAsJsonObject();
      if (!emoji.has("group")) {
        skipped.merge("emoji without a group (regional indicator letters)", 1, Integer::sum);
      } else if ("component".equals(groups.get(emoji.get("group").getAsInt()))) {
        skipped.merge("component emoji (skin tones, hair styles)", 1, Integer::sum);
      } else {
        usable.add(emoji);
      }
    }
    int every = limit == 0 ? 1 : Math.max(1, (usable.size() + limit - 1) / limit);
    for (int i = 0; i < usable.size(); i += every) {
      JsonObject emoji = usable.get(i);
      String group = groups.get(emoji.get("group").getAsInt());
      String subgroup = subgroups.get(emoji.get("subgroup").getAsInt());
      String hexcode = emoji.get("hexcode").getAsString();
      String label = emoji.get("label").getAsString();
      String text = text(label, emoji.getAsJsonArray("tags"));
      for (Style style : chosen) {
        Path file = find(files.get(style), style, hexcode, label);
        if (file == null) {
          skipped.merge(style.source + ": no drawing of the emoji", 1, Integer::sum);
          continue;
        }
        String image = "images/" + style.source.substring("emoji/".length()) + "/" + hexcode + ".png";
        Path target = out.resolve(image);
        if (!Files.isRegularFile(target)) {
          byte[] bytes = Files.readAllBytes(file);
          try {
            byte[] png = style.svg ? SvgRaster.png(file.getFileName().toString(), bytes, SVG_SIZE) : bytes;
            Files.createDirectories(target.getParent());
            AtomicFile.write(target, png);
          } catch (IllegalArgumentException ex) {
            skipped.merge(style.source + ": SVG Batik cannot draw", 1, Integer::sum);
            continue;
          }
        }
        items.add(new PictureItem(image, text, List.of(group, subgroup), subgroup, "emoji:" + hexcode,
            style.source));
      }
    }
    return new Result(items, skipped);
  }

  /** "name: keyword, keyword" (keywords that merely repeat the name left out). */
  static String text(String label, JsonArray tags) {
    List<String> keywords = new ArrayList<>();
    if (tags != null) {
      for (JsonElement t : tags) {
        String k = t.getAsString();
        if (!k.equalsIgnoreCase(label) && !keywords.contains(k)) {
          keywords.add(k);
        }
      }
    }
    return keywords.isEmpty() ? label : label + ": " + String.join(", ", keywords);
  }

  private static Map<Integer, String> keys(JsonArray entries) {
    Map<Integer, String> out = new HashMap<>();
    for (JsonElement e : entries) {
      JsonObject o = e.getAsJsonObject();
      out.put(o.get("order").getAsInt(), o.get("key").getAsString());
    }
    return out;
  }

  /** The drawings of one style by their file name without extension (upper-cased for code-point names). */
  private static Map<String, Path> index(Path folder, Style style) throws IOException {
    if (!Files.isDirectory(folder)) {
      throw new java.nio.file.NoSuchFileException(folder.toString(), null, "the " + style.source + " drawings are not "
          + "there; fetch them with bin/fetch-emoji");
    }
    Map<String, Path> out = new HashMap<>();
    try (var files = Files.list(folder)) {
      for (Path p : files.toList()) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
          String key = name.substring(0, dot);
          out.put(style.pkg.equals("fluentui-emoji") ? key : codePoints(key), p);
        }
      }
    }
    return out;
  }

  /** A code-point file name as a key: upper case, variation selector 16 left out ("2764-fe0f" → "2764"). */
  static String codePoints(String name) {
    StringBuilder s = new StringBuilder();
    for (String part : name.toUpperCase(Locale.ROOT).split("-")) {
      if (!part.equals("FE0F")) {
        s.append(s.isEmpty() ? "" : "-").append(part);
      }
    }
    return s.toString();
  }

  private static Path find(Map<String, Path> files, Style style, String hexcode, String label) {
    if (!style.pkg.equals("fluentui-emoji")) {
      return files.get(codePoints(hexcode));
    }
    String slug = slug(label);
    Path p = files.get(slug);
    return p != null ? p : files.get(slug + "-default");
  }

  /** Fluent UI's file name of an emoji name: lower case, letters, digits, '#' and '*' kept, other runs → '-'. */
  static String slug(String label) {
    String s = label.toLowerCase(Locale.ROOT).replaceAll("[’'.,:!“”()]", "");
    return s.replaceAll("[^a-z0-9#*]+", "-").replaceAll("^-+|-+$", "");
  }
}
