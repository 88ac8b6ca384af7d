package org.bicmr.training.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import org.bicmr.codes.HashCode;
import org.bicmr.onnx.HashEncoder;
import org.bicmr.onnx.ModelBundle;
import org.bicmr.training.app.Progress;
import org.bicmr.training.demo.ImageFolder;
import org.bicmr.training.demo.ItemIndex;
import org.bicmr.training.demo.ThumbnailPage;

/**
 * {@code bicmr demo --openclipart <dir> --bundle <bundle>}: the drawings of a directory (their bytes, through the
 * bundle's image feature extractor and image net, {@link HashEncoder#encodeImageBytes}) indexed into Lucene, then text
 * queries (given, or typed one a line with {@code --interactive}) answered with their top images on an HTML page of
 * thumbnails, {@code clipart.html}. Images the JDK cannot decode are skipped and counted.
 */
final class ClipartDemo {
  /** Images read and encoded together. */
  static final int BATCH = 64;

  private final Path images;
  private final Path bundlePath;
  private final Path out;
  private final int limit;
  private final int top;
  private final boolean quiet;
  private final Map<Integer, String> thumbnails = new HashMap<>();

  ClipartDemo(Path images, Path bundlePath, Path out, int limit, int top, boolean quiet) {
    this.images = images;
    this.bundlePath = bundlePath;
    this.out = out;
    this.limit = limit;
    this.top = top;
    this.quiet = quiet;
  }

  /** Indexes the drawings, runs {@code texts} and then, if {@code interactive}, every line of standard input. */
  Path run(List<String> texts, boolean interactive) throws IOException {
    long start = System.nanoTime();
    if (bundlePath == null) {
      throw new IllegalArgumentException("--bundle: give a model bundle with an image feature extractor (made with "
          + "'bicmr export --image-extractor'); --openclipart needs one");
    }
    try (ModelBundle bundle = ModelBundle.load(bundlePath)) {
      if (!bundle.hasImageExtractor()) {
        throw new IllegalArgumentException("--bundle: " + bundlePath + " has no image feature extractor "
            + "(image.extractor); export one with 'bicmr export --image-extractor <onnx>'");
      }
      HashEncoder encoder = bundle.encoder();
      List<ImageFolder.Drawing> drawings = ImageFolder.scan(images, limit);
      System.out.println("drawings: " + drawings.size() + " under " + images + " (limit " + limit + ")");
      List<ImageFolder.Drawing> indexed = new ArrayList<>();
      List<HashCode> codes = new ArrayList<>();
      List<String> skipped = new ArrayList<>();
      encode(encoder, drawings, indexed, codes, skipped);
      if (indexed.isEmpty()) {
        throw new IllegalArgumentException("--openclipart: none of the " + drawings.size() + " images under " + images
            + " could be encoded: " + skipped.subList(0, Math.min(3, skipped.size())));
      }
      Path index = out.resolve("index");
      ItemIndex.writeImages(index, codes);
      double indexSeconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(Locale.ROOT, "indexed %d images into %s in %.1f s (%d skipped)%n", indexed.size(), index,
          indexSeconds, skipped.size());
      skipped.stream().limit(5).forEach(s -> System.out.println("  skipped " + s));

      List<String> facts = List.of(
          indexed.size() + " images from " + images.toAbsolutePath() + " indexed in " + String.format(Locale.ROOT,
              "%.1f", indexSeconds) + " s" + (skipped.isEmpty() ? "" : "; " + skipped.size() + " skipped (not a "
              + "decodable PNG or JPEG within the bundle's limits, e.g. " + skipped.get(0) + ")"),
          "bundle " + bundle.name() + " " + bundle.version() + " (" + bundle.bits() + " bits, trained on "
              + bundle.trainedOn() + "), ONNX Runtime on " + bundle.device(),
          "each image: bytes → ImagePreprocessor → image feature extractor → image hash net → code; each text: "
              + "bag of words → text hash net → code; top " + top + " by Hamming distance (Lucene "
              + "HammingDistanceQuery)");
      Path page = out.resolve("clipart.html");
      List<ThumbnailPage.Query> queries = new ArrayList<>();
      try (ItemIndex items = ItemIndex.open(index)) {
        for (String text : texts) {
          queries.add(query(encoder, items, indexed, text));
        }
        ThumbnailPage.write(page, "Bi-CMR Search: text → drawings", facts, queries);
        if (interactive) {
          BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
          System.out.println("type a few words (an empty line or end of input stops):");
          String line;
          while ((line = in.readLine()) != null && !line.isBlank()) {
            queries.add(query(encoder, items, indexed, line.strip()));
            ThumbnailPage.write(page, "Bi-CMR Search: text → drawings", facts, queries);
            System.out.println("page updated: " + page.toAbsolutePath());
          }
        }
      }
      System.out.println("page: " + page.toAbsolutePath());
      return page;
    }
  }

  private void encode(HashEncoder encoder, List<ImageFolder.Drawing> drawings, List<ImageFolder.Drawing> indexed,
      List<HashCode> codes, List<String> skipped) throws IOException {
    try (ProgressBar bar = quiet ? null : Progress.bar("encode", drawings.size())) {
      for (int from = 0; from < drawings.size(); from += BATCH) {
        List<ImageFolder.Drawing> batch = drawings.subList(from, Math.min(drawings.size(), from + BATCH));
        List<byte[]> bytes = new ArrayList<>(batch.size());
        for (ImageFolder.Drawing d : batch) {
          bytes.add(Files.readAllBytes(d.file()));
        }
        try {
          codes.addAll(encoder.encodeImageBytes(bytes));
          indexed.addAll(batch);
        } catch (IllegalArgumentException e) { // a bad image in the batch: encode one by one, skip the bad ones
          for (int i = 0; i < batch.size(); i++) {
            try {
              codes.add(encoder.encodeImageBytes(bytes.get(i)));
              indexed.add(batch.get(i));
            } catch (IllegalArgumentException bad) {
              skipped.add(batch.get(i).file() + ": " + bad.getMessage());
            }
          }
        }
        if (bar != null) {
          bar.stepTo(from + batch.size());
        }
      }
    }
  }

  private ThumbnailPage.Query query(HashEncoder encoder, ItemIndex items, List<ImageFolder.Drawing> drawings,
      String text) throws IOException {
    HashCode code;
    try {
      code = encoder.encodeText(text);
    } catch (IllegalArgumentException e) {
      System.out.println("\"" + text + "\": " + e.getMessage());
      return new ThumbnailPage.Query(text, List.of(), e.getMessage());
    }
    List<ThumbnailPage.Hit> hits = new ArrayList<>();
    System.out.println("\"" + text + "\" (code " + code.toHex() + "):");
    int rank = 1;
    for (ItemIndex.Hit hit : items.search(ItemIndex.IMAGE_CODE, code, top)) {
      ImageFolder.Drawing d = drawings.get(hit.item());
      hits.add(new ThumbnailPage.Hit(thumbnail(hit.item(), d), d.text(), images.relativize(d.file()).toString(),
          hit.distance()));
      System.out.printf(Locale.ROOT, "  %d. d=%2d  %s  (%s)%n", rank++, hit.distance(), d.text(),
          images.relativize(d.file()));
    }
    return new ThumbnailPage.Query(text, hits, null);
  }

  private String thumbnail(int item, ImageFolder.Drawing d) throws IOException {
    String name = thumbnails.get(item);
    if (name == null) {
      name = item + ".png";
      if (!ThumbnailPage.thumbnail(d.file(), out.resolve("thumbs").resolve(name))) {
        throw new IllegalStateException("the JDK cannot decode " + d.file() + " for a thumbnail, yet it was encoded");
      }
      thumbnails.put(item, name);
    }
    return name;
  }
}
