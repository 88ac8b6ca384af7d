package org.bicmr.training.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * n paired items for cross-modal hashing: for each item an image feature vector, a text vector (bag of words), a
 * multi-hot label vector and, optionally, a relevance group (two items are relevant under the judgements "G" when
 * they are in the same group, e.g. share their main topic). Matrices are row-major {@code float[]}s, item i's row at
 * {@code i * dim}. Immutable: the arrays are not copied, so callers must not change them after building.
 */
public final class PairedDataset {
  private final String name;
  private final int size;
  private final int imageDim;
  private final float[] image;
  private final int textDim;
  private final float[] text;
  private final int labelCount;
  private final float[] labels;
  private final int[] relevanceGroups;
  private final List<String> vocabulary;
  private final List<String> labelNames;
  private final int[] splitGroups;
  private final List<String> texts;

  private PairedDataset(Builder b) {
    this.name = Objects.requireNonNull(b.name, "name");
    this.size = b.size;
    this.imageDim = b.imageDim;
    this.image = b.image;
    this.textDim = b.textDim;
    this.text = b.text;
    this.labelCount = b.labelCount;
    this.labels = b.labels;
    this.relevanceGroups = b.relevanceGroups;
    this.vocabulary = b.vocabulary == null ? null : List.copyOf(b.vocabulary);
    this.labelNames = b.labelNames == null ? null : List.copyOf(b.labelNames);
    this.splitGroups = b.splitGroups;
    this.texts = b.texts == null ? null : List.copyOf(b.texts);
  }

  /** A builder; {@code size} is the number of items every part must have. */
  public static Builder builder(String name, int size) {
    return new Builder(name, size);
  }

  public String name() {
    return name;
  }

  /** The number of items, n. */
  public int size() {
    return size;
  }

  public int imageDim() {
    return imageDim;
  }

  public int textDim() {
    return textDim;
  }

  public int labelCount() {
    return labelCount;
  }

  /** Row-major n × imageDim image features (shared, do not modify). */
  public float[] image() {
    return image;
  }

  /** Row-major n × textDim text vectors (shared, do not modify). */
  public float[] text() {
    return text;
  }

  /** Row-major n × labelCount multi-hot labels, 0 or 1 (shared, do not modify). */
  public float[] labels() {
    return labels;
  }

  /** The relevance group of each item, or null when the dataset has no judgements. */
  public int[] relevanceGroups() {
    return relevanceGroups;
  }

  public boolean hasJudgements() {
    return relevanceGroups != null;
  }

  /**
   * The split group of each item, or null: items of one split group (e.g. every style of one emoji) must fall on the
   * same side of a split, or the queries would find their own other drawings.
   */
  public int[] splitGroups() {
    return splitGroups;
  }

  /** Each item's text as written (when its text vector is a sentence encoding of it), or null. */
  public List<String> texts() {
    return texts;
  }

  /** Text vector position n's word, or null when unknown. */
  public List<String> vocabulary() {
    return vocabulary;
  }

  /** Label names, or null when unknown. */
  public List<String> labelNames() {
    return labelNames;
  }

  /** Item {@code i}'s label {@code c}. */
  public boolean hasLabel(int i, int c) {
    return labels[i * labelCount + c] != 0f;
  }

  /** True when items i and j share at least one label (relevance "S"). */
  public boolean shareLabel(int i, int j) {
    for (int c = 0; c < labelCount; c++) {
      if (labels[i * labelCount + c] != 0f && labels[j * labelCount + c] != 0f) {
        return true;
      }
    }
    return false;
  }

  /** Item {@code i}'s image features (a copy). */
  public float[] imageRow(int i) {
    return java.util.Arrays.copyOfRange(image, i * imageDim, (i + 1) * imageDim);
  }

  /**
   * Item {@code i}'s text written out: the text itself when the dataset keeps it ({@link #texts()}, a sentence
   * encoding), else the vocabulary words of its bag of words, space-separated.
   */
  public String words(int i) {
    if (texts != null) {
      return texts.get(i);
    }
    if (vocabulary == null || vocabulary.isEmpty()) {
      throw new IllegalStateException(name + " has no vocabulary and no texts: its texts cannot be written out");
    }
    StringBuilder s = new StringBuilder();
    for (int w = 0; w < textDim; w++) {
      if (text[i * textDim + w] != 0f) {
        s.append(s.isEmpty() ? "" : " ").append(vocabulary.get(w));
      }
    }
    return s.toString();
  }

  /** Item {@code i}'s labels by name (by number when the dataset has no names). */
  public List<String> labelsOf(int i) {
    List<String> out = new java.util.ArrayList<>();
    for (int c = 0; c < labelCount; c++) {
      if (hasLabel(i, c)) {
        out.add(labelNames == null || labelNames.isEmpty() ? Integer.toString(c) : labelNames.get(c));
      }
    }
    return out;
  }

  /** The items at {@code indices}, in that order (copies of their rows). */
  public PairedDataset subset(int[] indices) {
    Builder b = builder(name, indices.length)
        .image(imageDim, rows(image, imageDim, indices))
        .text(textDim, rows(text, textDim, indices))
        .labels(labelCount, rows(labels, labelCount, indices))
        .vocabulary(vocabulary)
        .labelNames(labelNames);
    if (splitGroups != null) {
      int[] split = new int[indices.length];
      for (int i = 0; i < indices.length; i++) {
        split[i] = splitGroups[indices[i]];
      }
      b.splitGroups(split);
    }
    if (texts != null) {
      List<String> picked = new java.util.ArrayList<>(indices.length);
      for (int i : indices) {
        picked.add(texts.get(i));
      }
      b.texts(picked);
    }
    if (relevanceGroups != null) {
      int[] groups = new int[indices.length];
      for (int i = 0; i < indices.length; i++) {
        groups[i] = relevanceGroups[indices[i]];
      }
      b.relevanceGroups(groups);
    }
    return b.build();
  }

  /** Copies the rows at {@code indices} of a row-major matrix with {@code dim} columns. */
  public static float[] rows(float[] matrix, int dim, int[] indices) {
    if (matrix == null) {
      return null;
    }
    float[] out = new float[indices.length * dim];
    for (int i = 0; i < indices.length; i++) {
      System.arraycopy(matrix, indices[i] * dim, out, i * dim, dim);
    }
    return out;
  }

  @Override
  public String toString() {
    return name + ": " + size + " items, image " + imageDim + "-d, text " + textDim + "-d, " + labelCount + " labels"
        + (relevanceGroups == null ? "" : ", judgements");
  }

  /** Collects and checks the parts of a {@link PairedDataset}. */
  public static final class Builder {
    private final String name;
    private final int size;
    private int imageDim;
    private float[] image;
    private int textDim;
    private float[] text;
    private int labelCount;
    private float[] labels;
    private int[] relevanceGroups;
    private List<String> vocabulary;
    private List<String> labelNames;
    private int[] splitGroups;
    private List<String> texts;

    private Builder(String name, int size) {
      if (size < 1) {
        throw new IllegalArgumentException("dataset \"" + name + "\": the number of items must be at least 1, got " + size);
      }
      this.name = name;
      this.size = size;
    }

    public Builder image(int dim, float[] rows) {
      this.imageDim = dim;
      this.image = check("image features", dim, rows);
      return this;
    }

    public Builder text(int dim, float[] rows) {
      this.textDim = dim;
      this.text = check("text vectors", dim, rows);
      return this;
    }

    public Builder labels(int count, float[] rows) {
      this.labelCount = count;
      this.labels = check("labels", count, rows);
      return this;
    }

    public Builder relevanceGroups(int[] groups) {
      if (groups != null && groups.length != size) {
        throw new IllegalArgumentException("dataset \"" + name + "\": relevance groups has " + groups.length
            + " items, expected " + size);
      }
      this.relevanceGroups = groups;
      return this;
    }

    public Builder splitGroups(int[] groups) {
      if (groups != null && groups.length != size) {
        throw new IllegalArgumentException("dataset \"" + name + "\": split groups has " + groups.length
            + " items, expected " + size);
      }
      this.splitGroups = groups;
      return this;
    }

    public Builder texts(List<String> written) {
      if (written != null && written.size() != size) {
        throw new IllegalArgumentException("dataset \"" + name + "\": " + written.size() + " texts, expected " + size);
      }
      this.texts = written;
      return this;
    }

    public Builder vocabulary(List<String> words) {
      this.vocabulary = words;
      return this;
    }

    public Builder labelNames(List<String> names) {
      this.labelNames = names;
      return this;
    }

    private float[] check(String what, int dim, float[] rows) {
      if (rows == null) {
        return null;
      }
      if (dim < 1) {
        throw new IllegalArgumentException("dataset \"" + name + "\": " + what + " dimension must be at least 1, got " + dim);
      }
      if ((long) dim * size != rows.length) {
        throw new IllegalArgumentException("dataset \"" + name + "\": " + what + " has " + rows.length
            + " values, expected " + size + " items × " + dim + " = " + (long) dim * size);
      }
      for (int i = 0; i < rows.length; i++) {
        if (Float.isFinite(rows[i]) == false) {
          throw new IllegalArgumentException("dataset \"" + name + "\": " + what + " of item " + i / dim + ", column "
              + i % dim + " is " + rows[i] + ", expected a finite number");
        }
      }
      return rows;
    }

    public PairedDataset build() {
      if (image == null || text == null || labels == null) {
        throw new IllegalArgumentException("dataset \"" + name + "\" needs image features, text vectors and labels; missing: "
            + (image == null ? "image " : "") + (text == null ? "text " : "") + (labels == null ? "labels" : ""));
      }
      if (vocabulary != null && vocabulary.size() != textDim) {
        throw new IllegalArgumentException("dataset \"" + name + "\": vocabulary has " + vocabulary.size()
            + " words, expected the text dimension " + textDim);
      }
      if (labelNames != null && labelNames.size() != labelCount) {
        throw new IllegalArgumentException("dataset \"" + name + "\": " + labelNames.size() + " label names, expected "
            + labelCount);
      }
      return new PairedDataset(this);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PairedDataset d && size == d.size && imageDim == d.imageDim && textDim == d.textDim
        && labelCount == d.labelCount && Arrays.equals(image, d.image) && Arrays.equals(text, d.text)
        && Arrays.equals(labels, d.labels) && Arrays.equals(relevanceGroups, d.relevanceGroups);
  }

  @Override
  public int hashCode() {
    return Objects.hash(size, imageDim, textDim, labelCount, Arrays.hashCode(labels));
  }
}
