package org.bicmr.training.images.clipart;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.bicmr.onnx.TextVectorizer;
import org.bicmr.training.data.PairedDataset;

/**
 * A paired image–text dataset made from Debian's Open Clip Art packages ({@code openclipart-png},
 * {@code openclipart-svg}; public domain), before image features exist: for each drawing its PNG, a text (the SVG
 * metadata's title and keywords), multi-hot labels (its top-level category folders — several when Debian files the
 * same drawing under several) and a relevance group (its leaf category folder: judgements "G"). Built by
 * {@link #scan}, written and read by {@link #write} / {@link #read}; {@link #dataset} pairs it with image features
 * into a {@link PairedDataset}. Texts become binary bags of words over {@link #vocabulary()}, tokenised as a model
 * bundle tokenises a query.
 */
public final class ClipartCatalog {
  /** The top-level folders left out by default: {@code special} (patterns, gradients, examples) and {@code unsorted}. */
  public static final List<String> DROPPED_FOLDERS = List.of("special", "unsorted");

  /**
   * How the catalog is built.
   *
   * @param minLeafSize drawings a leaf folder needs for its drawings to be kept (a relevance group of one judges
   *     nothing)
   * @param vocabularyMinCount drawings a token must occur in to be a vocabulary word
   * @param droppedFolders top-level folders whose drawings are left out (a drawing also filed elsewhere stays, without
   *     that label)
   * @param maxPixels the most pixels a PNG may have (checked from its header), as {@code ImagePreprocessor}'s limit
   */
  public record Options(int minLeafSize, int vocabularyMinCount, List<String> droppedFolders, long maxPixels) {
    public Options {
      if (minLeafSize < 1) {
        throw new IllegalArgumentException("min leaf size must be at least 1, got " + minLeafSize);
      }
      if (vocabularyMinCount < 1) {
        throw new IllegalArgumentException("vocabulary min count must be at least 1, got " + vocabularyMinCount);
      }
      if (maxPixels < 1) {
        throw new IllegalArgumentException("max pixels must be at least 1, got " + maxPixels);
      }
      droppedFolders = List.copyOf(droppedFolders);
    }
  }

  private final Path pngRoot;
  private final Path svgRoot;
  private final Options options;
  private final List<ClipartItem> items;
  private final List<String> vocabulary;
  private final List<String> labels;
  private final List<String> leaves;
  private final SkipCounts skipped;
  private final Map<String, Integer> positions = new HashMap<>();

  ClipartCatalog(Path pngRoot, Path svgRoot, Options options, List<ClipartItem> items, List<String> vocabulary,
      SkipCounts skipped) {
    this.pngRoot = Objects.requireNonNull(pngRoot, "pngRoot");
    this.svgRoot = Objects.requireNonNull(svgRoot, "svgRoot");
    this.options = options;
    this.items = List.copyOf(items);
    this.vocabulary = List.copyOf(vocabulary);
    this.labels = items.stream().flatMap(i -> i.labels().stream()).distinct().sorted().toList();
    this.leaves = items.stream().map(ClipartItem::leaf).distinct().sorted().toList();
    this.skipped = skipped;
    for (int i = 0; i < vocabulary.size(); i++) {
      positions.put(vocabulary.get(i), i);
    }
  }

  /** Builds the catalog of the drawings under {@code pngRoot}, with metadata from the SVGs at the same paths. */
  public static ClipartCatalog scan(Path pngRoot, Path svgRoot, Options options) throws IOException {
    return new CatalogScan(pngRoot, svgRoot, options).run();
  }

  /** Writes {@code catalog.json} and {@code items.jsonl} into {@code dir} (created if needed), each atomically. */
  public void write(Path dir) throws IOException {
    CatalogFiles.write(this, dir);
  }

  /** Reads a catalog written by {@link #write}; a bad file is an error naming it and the field. */
  public static ClipartCatalog read(Path dir) throws IOException {
    return CatalogFiles.read(dir);
  }

  public Path pngRoot() {
    return pngRoot;
  }

  public Path svgRoot() {
    return svgRoot;
  }

  public Options options() {
    return options;
  }

  /** The drawings, in path order of their PNG. */
  public List<ClipartItem> items() {
    return items;
  }

  /** The text vector's words, sorted. */
  public List<String> vocabulary() {
    return vocabulary;
  }

  /** The label names (top-level category folders), sorted. */
  public List<String> labels() {
    return labels;
  }

  /** The leaf category folders, sorted: relevance group g is {@code leaves().get(g)}. */
  public List<String> leaves() {
    return leaves;
  }

  SkipCounts skipped() {
    return skipped;
  }

  /** The PNG file of item {@code i}. */
  public Path file(int i) {
    return pngRoot.resolve(items.get(i).png());
  }

  /** Item {@code i}'s binary bag of words over the vocabulary. */
  float[] bagOfWords(int i) {
    float[] bow = new float[vocabulary.size()];
    for (String token : TextVectorizer.tokens(items.get(i).text())) {
      Integer p = positions.get(token);
      if (p != null) {
        bow[p] = 1f;
      }
    }
    return bow;
  }

  /**
   * The dataset of the items {@code rows} (in that order) with their image features: row r of {@code image} (row-major,
   * {@code imageDim} columns) belongs to item {@code rows[r]}.
   */
  public PairedDataset dataset(String name, int[] rows, float[] image, int imageDim) {
    int n = rows.length;
    float[] text = new float[n * vocabulary.size()];
    float[] multiHot = new float[n * labels.size()];
    int[] groups = new int[n];
    for (int r = 0; r < n; r++) {
      ClipartItem item = items.get(rows[r]);
      System.arraycopy(bagOfWords(rows[r]), 0, text, r * vocabulary.size(), vocabulary.size());
      for (String label : item.labels()) {
        multiHot[r * labels.size() + labels.indexOf(label)] = 1f;
      }
      groups[r] = leaves.indexOf(item.leaf());
    }
    return PairedDataset.builder(name, n).image(imageDim, image).text(vocabulary.size(), text)
        .labels(labels.size(), multiHot).relevanceGroups(groups).vocabulary(vocabulary).labelNames(labels).build();
  }

  /** How many items carry each label. */
  public Map<String, Integer> labelCounts() {
    Map<String, Integer> counts = new TreeMap<>();
    for (ClipartItem item : items) {
      for (String label : item.labels()) {
        counts.merge(label, 1, Integer::sum);
      }
    }
    return counts;
  }

  /** A few lines for the command line and the experiment log: sizes, labels, groups and what was left out. */
  public String summary() {
    int multi = (int) items.stream().filter(i -> i.labels().size() > 1).count();
    int linked = (int) items.stream().filter(i -> i.paths().size() > 1).count();
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
        "%d drawings (%d reached through more than one path, %d with several labels), vocabulary %d words "
            + "(in at least %d drawings), %d labels, %d leaf groups (at least %d drawings each)%n",
        items.size(), linked, multi, vocabulary.size(), options.vocabularyMinCount(), labels.size(), leaves.size(),
        options.minLeafSize()));
    s.append("labels:");
    labelCounts().forEach((label, count) -> s.append(' ').append(label).append(' ').append(count));
    s.append(String.format(Locale.ROOT, "%nleft out:"));
    if (skipped.entries().isEmpty()) {
      s.append(" nothing");
    }
    List<String> lines = new ArrayList<>();
    skipped.ordered().forEach((reason, e) -> lines.add(String.format(Locale.ROOT, "%n  %d %s (e.g. %s)", e.count(),
        reason, String.join("; ", e.examples()))));
    lines.forEach(s::append);
    return s.toString();
  }
}
