package org.bicmr.training.images.clipart;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bicmr.training.data.AtomicFile;

/**
 * A catalog on disk: {@code catalog.json} (format, roots, options, vocabulary, labels with their counts, leaf groups,
 * what was left out and why) and {@code items.jsonl} (one JSON object a line, item i on line i + 1: {@code png},
 * {@code paths}, {@code title}, {@code keywords}, {@code description}, {@code labels}, {@code leaf}).
 */
final class CatalogFiles {
  static final String CATALOG = "catalog.json";
  static final String ITEMS = "items.jsonl";
  private static final int FORMAT = 1;
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
  private static final Gson LINE = new GsonBuilder().disableHtmlEscaping().create();

  private CatalogFiles() {}

  static void write(ClipartCatalog c, Path dir) throws IOException {
    StringBuilder lines = new StringBuilder();
    for (ClipartItem item : c.items()) {
      JsonObject o = new JsonObject();
      o.addProperty("png", item.png());
      o.add("paths", LINE.toJsonTree(item.paths()));
      o.addProperty("title", item.title());
      o.add("keywords", LINE.toJsonTree(item.keywords()));
      o.addProperty("description", item.description());
      o.add("labels", LINE.toJsonTree(item.labels()));
      o.addProperty("leaf", item.leaf());
      lines.append(LINE.toJson(o)).append('\n');
    }
    JsonObject meta = new JsonObject();
    meta.addProperty("format", FORMAT);
    meta.addProperty("png_root", c.pngRoot().toString());
    meta.addProperty("svg_root", c.svgRoot().toString());
    JsonObject options = new JsonObject();
    options.addProperty("min_leaf_size", c.options().minLeafSize());
    options.addProperty("vocabulary_min_count", c.options().vocabularyMinCount());
    options.add("dropped_folders", GSON.toJsonTree(c.options().droppedFolders()));
    options.addProperty("max_pixels", c.options().maxPixels());
    meta.add("options", options);
    meta.addProperty("items", c.items().size());
    meta.addProperty("tokenizer", "lowercase-whitespace, edge punctuation stripped");
    meta.add("labels", GSON.toJsonTree(c.labelCounts()));
    meta.add("leaves", GSON.toJsonTree(c.leaves()));
    JsonObject skipped = new JsonObject();
    c.skipped().ordered().forEach((reason, e) -> skipped.add(reason, GSON.toJsonTree(e)));
    meta.add("skipped", skipped);
    meta.add("vocabulary", GSON.toJsonTree(c.vocabulary()));
    Files.createDirectories(dir);
    AtomicFile.write(dir.resolve(ITEMS), lines.toString().getBytes(StandardCharsets.UTF_8));
    AtomicFile.write(dir.resolve(CATALOG), GSON.toJson(meta).getBytes(StandardCharsets.UTF_8));
  }

  static ClipartCatalog read(Path dir) throws IOException {
    Path file = dir.resolve(CATALOG);
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "not a clip-art catalog (no " + CATALOG + "); build one "
          + "with 'bicmr clipart-dataset'");
    }
    JsonObject meta;
    try {
      meta = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    } catch (JsonParseException | IllegalStateException e) {
      throw new IOException(file + ": not a JSON object (" + e.getMessage() + ")", e);
    }
    if (!meta.has("format") || meta.get("format").getAsInt() != FORMAT) {
      throw new IOException(file + ": \"format\" is " + meta.get("format") + ", expected " + FORMAT);
    }
    JsonObject o = object(file, meta, "options");
    ClipartCatalog.Options options = new ClipartCatalog.Options(integer(file, o, "min_leaf_size"),
        integer(file, o, "vocabulary_min_count"), strings(file, o, "dropped_folders"), o.get("max_pixels").getAsLong());
    List<ClipartItem> items = items(dir.resolve(ITEMS));
    int expected = integer(file, meta, "items");
    if (items.size() != expected) {
      throw new IOException(dir.resolve(ITEMS) + ": " + items.size() + " items, but " + CATALOG + " says \"items\": "
          + expected);
    }
    Map<String, SkipCounts.Entry> skipped = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> e : object(file, meta, "skipped").entrySet()) {
      skipped.put(e.getKey(), GSON.fromJson(e.getValue(), SkipCounts.Entry.class));
    }
    ClipartCatalog c = new ClipartCatalog(Path.of(string(file, meta, "png_root")),
        Path.of(string(file, meta, "svg_root")), options, items, strings(file, meta, "vocabulary"),
        SkipCounts.of(skipped));
    List<String> leaves = strings(file, meta, "leaves");
    if (!leaves.equals(c.leaves())) {
      throw new IOException(file + ": \"leaves\" lists " + leaves.size() + " groups, but the items of " + ITEMS
          + " have " + c.leaves().size());
    }
    return c;
  }

  private static List<ClipartItem> items(Path file) throws IOException {
    List<ClipartItem> items = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String where = file + " line " + (i + 1);
      try {
        JsonObject o = JsonParser.parseString(lines.get(i)).getAsJsonObject();
        Path at = Path.of(where);
        items.add(new ClipartItem(string(at, o, "png"), strings(at, o, "paths"), string(at, o, "title"),
            strings(at, o, "keywords"), string(at, o, "description"), strings(at, o, "labels"),
            string(at, o, "leaf")));
      } catch (JsonParseException | IllegalStateException e) {
        throw new IOException(where + ": not a JSON object (" + e.getMessage() + ")", e);
      }
    }
    return items;
  }

  private static JsonObject object(Path file, JsonObject o, String field) throws IOException {
    JsonElement v = o.get(field);
    if (v == null || !v.isJsonObject()) {
      throw new IOException(file + ": \"" + field + "\" is " + v + ", expected an object");
    }
    return v.getAsJsonObject();
  }

  private static String string(Path file, JsonObject o, String field) throws IOException {
    JsonElement v = o.get(field);
    if (v == null || !v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
      throw new IOException(file + ": \"" + field + "\" is " + v + ", expected a string");
    }
    return v.getAsString();
  }

  private static int integer(Path file, JsonObject o, String field) throws IOException {
    JsonElement v = o.get(field);
    if (v == null || !v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()) {
      throw new IOException(file + ": \"" + field + "\" is " + v + ", expected a number");
    }
    return v.getAsInt();
  }

  private static List<String> strings(Path file, JsonObject o, String field) throws IOException {
    JsonElement v = o.get(field);
    if (v == null || !v.isJsonArray()) {
      throw new IOException(file + ": \"" + field + "\" is " + v + ", expected an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonElement e : (JsonArray) v) {
      if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
        throw new IOException(file + ": \"" + field + "\" has " + e + ", expected strings");
      }
      out.add(e.getAsString());
    }
    return out;
  }
}
