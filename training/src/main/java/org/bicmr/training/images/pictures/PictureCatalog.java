package org.bicmr.training.images.pictures;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bicmr.training.data.AtomicFile;

/**
 * A picture–text collection before features exist (the emoji sets, the Tux Paint stamps): a directory holding the
 * pictures as PNG files, {@code items.jsonl} (one {@link PictureItem} a line), {@code catalog.json} (what was made
 * and from what: counts by source, labels and groups with their sizes, what was left out and why) and {@code
 * LICENSES.md} (each source's licence and where it came from). {@code bicmr picture-features} turns it into a dataset.
 */
public final class PictureCatalog {
  static final String ITEMS = "items.jsonl";
  static final String CATALOG = "catalog.json";
  static final String LICENSES = "LICENSES.md";
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
  private static final Gson LINE = new GsonBuilder().disableHtmlEscaping().create();

  private PictureCatalog() {}

  /**
   * One source's licence, for {@code LICENSES.md}.
   *
   * @param source the source prefix of its items, e.g. {@code emoji/twitter}
   * @param origin the package and version it comes from
   * @param licence the licence's name and what it asks of a user
   */
  public record Licence(String source, String origin, String licence) {}

  /**
   * Writes the catalog of {@code items} (their PNGs already under {@code dir}).
   *
   * @param skipped what was left out, by reason, with counts
   */
  public static void write(Path dir, String name, List<PictureItem> items, Map<String, Integer> skipped,
      List<Licence> licences) throws IOException {
    Files.createDirectories(dir);
    StringBuilder lines = new StringBuilder();
    for (PictureItem item : items) {
      lines.append(LINE.toJson(item)).append('\n');
    }
    AtomicFile.write(dir.resolve(ITEMS), lines.toString().getBytes(StandardCharsets.UTF_8));
    JsonObject catalog = new JsonObject();
    catalog.addProperty("name", name);
    catalog.addProperty("pictures", items.size());
    catalog.addProperty("split_groups", items.stream().map(PictureItem::split).distinct().count());
    catalog.add("sources", GSON.toJsonTree(counts(items, i -> List.of(i.source()))));
    catalog.add("labels", GSON.toJsonTree(counts(items, PictureItem::labels)));
    catalog.add("groups", GSON.toJsonTree(counts(items, i -> List.of(i.group()))));
    catalog.add("skipped", GSON.toJsonTree(new TreeMap<>(skipped)));
    catalog.add("licences", GSON.toJsonTree(licences));
    AtomicFile.write(dir.resolve(CATALOG), GSON.toJson(catalog).getBytes(StandardCharsets.UTF_8));
    StringBuilder md = new StringBuilder("# Licences of the pictures and texts in this directory\n\n"
        + "| source | from | licence |\n| --- | --- | --- |\n");
    for (Licence l : licences) {
      md.append("| ").append(l.source()).append(" | ").append(l.origin()).append(" | ").append(l.licence())
          .append(" |\n");
    }
    AtomicFile.write(dir.resolve(LICENSES), md.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, Integer> counts(List<PictureItem> items,
      java.util.function.Function<PictureItem, List<String>> keys) {
    Map<String, Integer> counts = new TreeMap<>();
    for (PictureItem item : items) {
      for (String k : keys.apply(item)) {
        counts.merge(k, 1, Integer::sum);
      }
    }
    return counts;
  }

  /** The items of the catalog in {@code dir}, in order. */
  public static List<PictureItem> read(Path dir) throws IOException {
    Path file = dir.resolve(ITEMS);
    if (!Files.isRegularFile(file)) {
      throw new java.nio.file.NoSuchFileException(file.toString(), null, "not a picture catalog (no " + ITEMS
          + "); make one with 'bicmr picture-dataset'");
    }
    List<PictureItem> items = new ArrayList<>();
    int line = 0;
    for (String s : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      line++;
      if (s.isBlank()) {
        continue;
      }
      try {
        items.add(LINE.fromJson(s, PictureItem.class));
      } catch (RuntimeException e) {
        throw new IOException(file + " line " + line + ": not a picture item: " + e.getMessage(), e);
      }
    }
    return items;
  }

  /** The label names of {@code items}, sorted: the columns of the dataset's label matrix. */
  static List<String> labelNames(List<PictureItem> items) {
    TreeSet<String> names = new TreeSet<>();
    items.forEach(i -> names.addAll(i.labels()));
    return List.copyOf(names);
  }

  /** Each item's index among the distinct values of {@code key}, in first-seen order. */
  static int[] indices(List<PictureItem> items, java.util.function.Function<PictureItem, String> key) {
    Map<String, Integer> ids = new LinkedHashMap<>();
    int[] out = new int[items.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ids.computeIfAbsent(key.apply(items.get(i)), k -> ids.size());
    }
    return out;
  }
}
