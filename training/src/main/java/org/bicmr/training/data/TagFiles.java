package org.bicmr.training.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The plain-text files of the tag datasets (MIRFlickr-25K's {@code txt_database.txt}, {@code common_tags.txt},
 * {@code mir_label.txt}; NUS-WIDE-10.5K's {@code txt_10500.txt}, {@code TagList1k.txt}, {@code label_10500.txt}):
 * one item a line, whitespace-separated.
 */
public final class TagFiles {
  private TagFiles() {}

  /** The vocabulary: the first token of each non-empty line (a count may follow it); line n is BoW position n. */
  public static List<String> vocabulary(Path file) throws IOException {
    List<String> words = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      String word = line.split("\\s+")[0];
      Integer before = seen.putIfAbsent(word, i + 1);
      if (before != null) {
        throw new IOException(file + " line " + (i + 1) + ": \"" + word + "\" repeats line " + before
            + "; a vocabulary lists each word once");
      }
      words.add(word);
    }
    return words;
  }

  /** The tags of each item, one item a line (an empty line is an item without tags). */
  public static List<List<String>> tags(Path file) throws IOException {
    List<List<String>> items = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String stripped = line.strip();
      items.add(stripped.isEmpty() ? List.of() : List.of(stripped.split("(?U)\\s+"))); // NUS-WIDE has U+3000, U+00A0
    }
    return items;
  }

  /** Binary bag of words: row i, column w is 1 iff item i has vocabulary word w (tags outside it are ignored). */
  public static NumericMatrix bagOfWords(List<List<String>> tags, List<String> vocabulary, String source) {
    Map<String, Integer> position = new HashMap<>();
    for (int w = 0; w < vocabulary.size(); w++) {
      position.put(vocabulary.get(w), w);
    }
    float[] bow = new float[tags.size() * vocabulary.size()];
    for (int i = 0; i < tags.size(); i++) {
      for (String tag : tags.get(i)) {
        Integer w = position.get(tag);
        if (w != null) {
          bow[i * vocabulary.size() + w] = 1f;
        }
      }
    }
    return new NumericMatrix(source, tags.size(), vocabulary.size(), bow);
  }

  /** A matrix of numbers, one row a line ("0.0 1.0 ..." or "0 1 ..."); every row must have the same length. */
  public static NumericMatrix numbers(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<float[]> rows = new ArrayList<>();
    int cols = -1;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] fields = line.split("[\\s,]+");
      if (cols >= 0 && fields.length != cols) {
        throw new IOException(file + " line " + (i + 1) + ": " + fields.length + " values, expected " + cols
            + " like the lines before");
      }
      cols = fields.length;
      float[] row = new float[cols];
      for (int c = 0; c < cols; c++) {
        try {
          row[c] = Float.parseFloat(fields[c]);
        } catch (NumberFormatException e) {
          throw new IOException(file + " line " + (i + 1) + ", column " + (c + 1) + ": \"" + fields[c]
              + "\" is not a number", e);
        }
      }
      rows.add(row);
    }
    if (rows.isEmpty()) {
      throw new IOException(file + ": no rows");
    }
    float[] values = new float[rows.size() * cols];
    for (int r = 0; r < rows.size(); r++) {
      System.arraycopy(rows.get(r), 0, values, r * cols, cols);
    }
    return new NumericMatrix(file.toString(), rows.size(), cols, values);
  }

  /**
   * MIRFlickr-25K or NUS-WIDE-10.5K text side from a directory: the tags file, the vocabulary and the labels file,
   * checked to describe the same number of items.
   */
  public static TextCorpus corpus(Path tagsFile, Path vocabularyFile, Path labelsFile) throws IOException {
    List<List<String>> tags = tags(tagsFile);
    List<String> vocabulary = vocabulary(vocabularyFile);
    NumericMatrix labels = numbers(labelsFile).requireRows(tags.size(), tagsFile.toString());
    NumericMatrix bow = bagOfWords(tags, vocabulary, tagsFile + " with the vocabulary of " + vocabularyFile);
    return new TextCorpus(tags, vocabulary, bow, labels);
  }

  /** Items' tags, the vocabulary, their binary bag of words and their labels. */
  public record TextCorpus(List<List<String>> tags, List<String> vocabulary, NumericMatrix bagOfWords,
      NumericMatrix labels) {
    /** A paired dataset of this text side and the given image features (one row per item). */
    public PairedDataset withImages(String name, NumericMatrix image) {
      image.requireRows(tags.size(), labels.source());
      float[] y = labels.values();
      for (int i = 0; i < y.length; i++) {
        if (y[i] != 0f && y[i] != 1f) {
          throw new IllegalArgumentException(labels.source() + ": label of item " + i / labels.cols() + ", column "
              + i % labels.cols() + " is " + y[i] + ", expected 0 or 1");
        }
      }
      return PairedDataset.builder(name, tags.size())
          .image(image.cols(), image.values())
          .text(bagOfWords.cols(), bagOfWords.values())
          .labels(labels.cols(), Arrays.copyOf(y, y.length))
          .vocabulary(vocabulary)
          .build();
    }
  }
}
