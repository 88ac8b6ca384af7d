package org.bicmr.training.images.clipart;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.bicmr.onnx.TextVectorizer;

/**
 * Builds a {@link ClipartCatalog}: walks the PNG tree, groups paths by the file they lead to (its real path), leaves
 * out paths under the dropped folders, reads each path's SVG metadata, checks each PNG's header, then — until nothing
 * changes — drops the drawings of leaf folders smaller than the minimum and the drawings whose text has no vocabulary
 * word, recounting the vocabulary each time. Every drawing left out is counted under its reason.
 */
final class CatalogScan {
  private final Path pngRoot;
  private final Path svgRoot;
  private final ClipartCatalog.Options options;
  private final SkipCounts skipped = new SkipCounts();
  private final Map<Path, SvgMetadata> svgCache = new HashMap<>();

  CatalogScan(Path pngRoot, Path svgRoot, ClipartCatalog.Options options) {
    this.pngRoot = pngRoot.toAbsolutePath().normalize();
    this.svgRoot = svgRoot.toAbsolutePath().normalize();
    this.options = options;
  }

  ClipartCatalog run() throws IOException {
    for (Path dir : List.of(pngRoot, svgRoot)) {
      if (!Files.isDirectory(dir)) {
        throw new NoSuchFileException(dir.toString(), null, "not a directory (apt-get install openclipart-png "
            + "openclipart-svg puts them under /usr/share/openclipart/png and /usr/share/openclipart/svg)");
      }
    }
    List<ClipartItem> items = new ArrayList<>();
    for (Map.Entry<Path, List<String>> drawing : drawings().entrySet()) {
      ClipartItem item = item(drawing.getKey(), drawing.getValue());
      if (item != null) {
        items.add(item);
      }
    }
    List<String> vocabulary = prune(items);
    if (items.isEmpty()) {
      throw new IOException(pngRoot + ": no drawing is left (" + skipped.ordered().keySet() + ")");
    }
    return new ClipartCatalog(pngRoot, svgRoot, options, items, vocabulary, skipped);
  }

  /** Each PNG file (by real path) and the paths below the root that lead to it, in path order. */
  private Map<Path, List<String>> drawings() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(pngRoot)) {
      files = walk.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")).sorted().toList();
    }
    Map<Path, List<String>> byFile = new LinkedHashMap<>();
    for (Path f : files) {
      String relative = pngRoot.relativize(f).toString();
      if (!Files.isRegularFile(f)) {
        skipped.add("PNG paths that are broken links or not files", relative);
        continue;
      }
      byFile.computeIfAbsent(f.toRealPath(), k -> new ArrayList<>()).add(relative);
    }
    return byFile;
  }

  /** The item of one file, or null (counted) when it is left out. */
  private ClipartItem item(Path real, List<String> all) throws IOException {
    List<String> kept = new ArrayList<>();
    for (String p : all) {
      int slash = p.indexOf('/');
      if (slash > 0 && !options.droppedFolders().contains(p.substring(0, slash))) {
        kept.add(p);
      }
    }
    if (kept.isEmpty()) {
      skipped.add("drawings only in dropped folders " + options.droppedFolders() + " or outside any category folder",
          all.get(0));
      return null;
    }
    String realRelative = real.startsWith(pngRoot.toRealPath()) ? pngRoot.toRealPath().relativize(real).toString() : null;
    String png = kept.contains(realRelative) ? realRelative : kept.get(0);
    String title = "";
    String description = "";
    Set<String> keywords = new LinkedHashSet<>();
    boolean read = false;
    List<String> order = new ArrayList<>(kept);
    order.remove(png);
    order.add(0, png); // the file's own SVG first: its title wins
    for (String p : order) {
      SvgMetadata m = metadata(p);
      if (m == null) {
        continue;
      }
      read = true;
      if (title.isEmpty()) {
        title = m.title();
      }
      if (description.isEmpty()) {
        description = m.description();
      }
      keywords.addAll(m.keywords());
    }
    if (!read) {
      skipped.add("drawings without a readable SVG", png);
      return null;
    }
    if (title.isEmpty() && keywords.isEmpty()) {
      skipped.add("drawings whose SVG has no title and no keywords", png);
      return null;
    }
    Problem size = pixelProblem(pngRoot.resolve(png));
    if (size != null) {
      skipped.add("drawings whose PNG " + size.reason(), png + ": " + size.detail());
      return null;
    }
    Set<String> labels = new TreeSet<>();
    for (String p : kept) {
      labels.add(p.substring(0, p.indexOf('/')));
    }
    String leaf = png.substring(0, png.lastIndexOf('/'));
    return new ClipartItem(png, kept, title, new ArrayList<>(keywords), description, new ArrayList<>(labels), leaf);
  }

  /** The metadata of the SVG at PNG path {@code png}, or null (counted) when it is missing or unreadable. */
  private SvgMetadata metadata(String png) throws IOException {
    Path svg = svgRoot.resolve(png.substring(0, png.length() - 4) + ".svg");
    if (!Files.isRegularFile(svg)) {
      skipped.add("PNG paths without an SVG", png);
      return null;
    }
    Path real = svg.toRealPath();
    if (svgCache.containsKey(real)) {
      return svgCache.get(real);
    }
    SvgMetadata m;
    try (InputStream in = Files.newInputStream(real)) {
      m = SvgMetadata.read(in);
    } catch (IOException e) {
      skipped.add("SVG files that are not well-formed XML", svgRoot.relativize(svg) + ": " + e.getMessage());
      m = null;
    }
    svgCache.put(real, m);
    return m;
  }

  /** What is wrong with a PNG's header: a reason (counted) and this file's detail. */
  private record Problem(String reason, String detail) {}

  /** Null when the PNG's header is readable and within the pixel limit. */
  private Problem pixelProblem(Path png) {
    try (ImageInputStream in = ImageIO.createImageInputStream(png.toFile())) {
      Iterator<ImageReader> readers = in == null ? Collections.emptyIterator() : ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        return new Problem("is not an image the JDK reads", "no image reader");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        long w = reader.getWidth(0);
        long h = reader.getHeight(0);
        if (w * h > options.maxPixels()) {
          return new Problem("has more than " + options.maxPixels() + " pixels", w + "×" + h);
        }
        return null;
      } finally {
        reader.dispose();
      }
    } catch (IOException e) {
      return new Problem("header is unreadable", String.valueOf(e.getMessage()));
    }
  }

  /** Drops small leaves and wordless texts until stable; returns the vocabulary of what is left. */
  private List<String> prune(List<ClipartItem> items) {
    while (true) {
      Map<String, Integer> leafSize = new HashMap<>();
      items.forEach(i -> leafSize.merge(i.leaf(), 1, Integer::sum));
      boolean changed = items.removeIf(i -> {
        if (leafSize.get(i.leaf()) < options.minLeafSize()) {
          skipped.add("drawings in leaf folders with fewer than " + options.minLeafSize() + " drawings", i.png());
          return true;
        }
        return false;
      });
      List<String> vocabulary = vocabulary(items);
      Set<String> words = new HashSet<>(vocabulary);
      changed |= items.removeIf(i -> {
        if (TextVectorizer.tokens(i.text()).stream().noneMatch(words::contains)) {
          skipped.add("drawings whose text has no vocabulary word", i.png() + ": \"" + i.text() + "\"");
          return true;
        }
        return false;
      });
      if (!changed) {
        return vocabulary;
      }
    }
  }

  /** The tokens in at least {@code vocabularyMinCount} items' texts, sorted. */
  private List<String> vocabulary(List<ClipartItem> items) {
    Map<String, Integer> documents = new TreeMap<>();
    for (ClipartItem item : items) {
      for (String token : new HashSet<>(TextVectorizer.tokens(item.text()))) {
        documents.merge(token, 1, Integer::sum);
      }
    }
    List<String> out = new ArrayList<>();
    documents.forEach((token, count) -> {
      if (count >= options.vocabularyMinCount()) {
        out.add(token);
      }
    });
    return out;
  }
}
