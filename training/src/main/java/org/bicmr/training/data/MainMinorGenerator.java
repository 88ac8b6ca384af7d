package org.bicmr.training.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The synthetic "main versus minor semantics" benchmark (DESIGN §6), grounded in real MIRFlickr-25K annotations.
 *
 * <p>Topics are MIRFlickr-25K's 24 labels. From the real data it estimates each label's frequency (the prior of an
 * item's main topic and of its minor topics), a background distribution over the 1,386 common tags (their overall
 * frequency: "explore", "nikon", "2008" are everywhere) and each label's own distribution over them: the tag–label
 * co-occurrence in excess of what independence predicts (each item's tags shared among its labels), plus additive
 * smoothing — so "sunset" gets sunset, tramonto, dusk. Each generated item then has one main topic and a few minor
 * ones; its labels name all of them (as annotators do); its text is a binary bag of real tags, each drawn from the
 * background with probability {@code background} and otherwise from a topic of the mixture, weighted towards the main
 * topic; its image is a synthetic noisy view of the same
 * mixture (per-topic random prototype vectors plus Gaussian noise — no real image features exist here); its relevance
 * group (judgement G) is its main topic. Label overlap S and main-topic relevance G therefore disagree the way the
 * paper's Figure 1 describes. Everything is seeded.
 */
public final class MainMinorGenerator {
  /** The 24 MIRFlickr-25K labels, in the column order of {@code mir_label.txt} / {@code LAll}. */
  public static final List<String> LABELS = List.of("animals", "baby", "bird", "car", "clouds", "dog", "female",
      "flower", "food", "indoor", "lake", "male", "night", "people", "plant_life", "portrait", "river", "sea", "sky",
      "structures", "sunset", "transport", "tree", "water");

  /**
   * Every knob of the generator.
   *
   * @param items number of items
   * @param imageDim dimension of the synthetic image features
   * @param minorMin fewest minor topics per item
   * @param minorMax most minor topics per item
   * @param mainWeight mixture weight of the main topic (the minor topics share the rest equally)
   * @param tagsMin fewest tag draws per text
   * @param tagsMax most tag draws per text
   * @param imageNoise standard deviation of the Gaussian noise added to the image mixture of unit-variance prototypes
   * @param smoothing pseudo-count added to every (label, tag) excess co-occurrence
   * @param background probability that a tag is drawn from the background rather than from a topic
   * @param seed seeds everything
   */
  public record Parameters(int items, int imageDim, int minorMin, int minorMax, double mainWeight, int tagsMin,
      int tagsMax, double imageNoise, double smoothing, double background, long seed) {
    public Parameters {
      positive("items", items);
      positive("imageDim", imageDim);
      positive("tagsMin", tagsMin);
      if (minorMin < 0 || minorMax < minorMin || minorMax > LABELS.size() - 1) {
        throw new IllegalArgumentException("minor topics: need 0 <= min <= max <= " + (LABELS.size() - 1) + ", got "
            + minorMin + ".." + minorMax);
      }
      if (tagsMax < tagsMin) {
        throw new IllegalArgumentException("tags: need min <= max, got " + tagsMin + ".." + tagsMax);
      }
      if (mainWeight <= 0 || mainWeight > 1) {
        throw new IllegalArgumentException("mainWeight must be in (0, 1], got " + mainWeight);
      }
      if (background < 0 || background >= 1) {
        throw new IllegalArgumentException("background must be in [0, 1), got " + background);
      }
      if (imageNoise < 0 || smoothing <= 0) {
        throw new IllegalArgumentException("imageNoise must be >= 0 and smoothing > 0, got " + imageNoise + " and "
            + smoothing);
      }
    }

    private static void positive(String name, int value) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be at least 1, got " + value);
      }
    }

    /** Sized like MIRFlickr-25K: 20,015 items, 4,096-d images; about 3.5 labels and 5 distinct tags an item. */
    public static Parameters defaults() {
      return new Parameters(20_015, 4096, 1, 4, 0.6, 3, 8, 2.0, 0.1, 0.3, 42L);
    }

    /** A small preset for tests and demos: 1,500 items, 256-d images. */
    public static Parameters small() {
      return new Parameters(1500, 256, 1, 4, 0.6, 3, 8, 2.0, 0.1, 0.3, 42L);
    }
  }

  /** A generated dataset and the tags of each item's text, as words. */
  public record Generated(PairedDataset dataset, List<List<String>> tags, int[] mainTopics) {}

  private final List<String> vocabulary;
  private final double[] labelPrior;
  private final double[] backgroundCdf;
  /** Cumulative tag distribution of each label, for sampling. */
  private final double[][] tagCdf;
  /** The tag distribution of each label (for tests and reports). */
  private final double[][] tagDistribution;

  private MainMinorGenerator(List<String> vocabulary, double[] labelPrior, double[] background,
      double[][] tagDistribution) {
    this.vocabulary = List.copyOf(vocabulary);
    this.labelPrior = labelPrior;
    this.backgroundCdf = cumulative(background);
    this.tagDistribution = tagDistribution;
    this.tagCdf = new double[tagDistribution.length][];
    for (int t = 0; t < tagDistribution.length; t++) {
      tagCdf[t] = cumulative(tagDistribution[t]);
    }
  }

  /**
   * Estimates the topics from MIRFlickr-25K's {@code txt_database.txt}, {@code common_tags.txt} and
   * {@code mir_label.txt} in {@code mirflickrDir}.
   */
  public static MainMinorGenerator fromMirFlickr(Path mirflickrDir, double smoothing) throws IOException {
    TagFiles.TextCorpus corpus = TagFiles.corpus(mirflickrDir.resolve("txt_database.txt"),
        mirflickrDir.resolve("common_tags.txt"), mirflickrDir.resolve("mir_label.txt"));
    List<String> vocabulary = corpus.vocabulary();
    NumericMatrix bow = corpus.bagOfWords();
    NumericMatrix labelRows = corpus.labels();
    int labels = LABELS.size();
    if (labelRows.cols() != labels) {
      throw new IOException(labelRows.source() + ": " + labelRows.cols() + " labels an item, expected " + labels);
    }
    double[] prior = new double[labels];
    double[][] counts = new double[labels][vocabulary.size()];
    double[] tagCounts = new double[vocabulary.size()];
    int annotated = 0;
    for (int item = 0; item < bow.rows(); item++) {
      List<Integer> on = new ArrayList<>();
      for (int c = 0; c < labels; c++) {
        if (labelRows.get(item, c) != 0) {
          on.add(c);
          prior[c]++;
        }
      }
      if (on.isEmpty()) {
        continue;
      }
      annotated++;
      for (int w = 0; w < vocabulary.size(); w++) {
        if (bow.get(item, w) != 0) {
          tagCounts[w]++;
          for (int c : on) {
            counts[c][w] += 1.0 / on.size(); // an item's tags are shared among its labels
          }
        }
      }
    }
    // each label's own tags: co-occurrence beyond independence (share of the label's items times the tag's count)
    double shares = 0;
    for (double v : prior) {
      shares += v;
    }
    for (int c = 0; c < labels; c++) {
      double labelShare = prior[c] / shares;
      for (int w = 0; w < vocabulary.size(); w++) {
        counts[c][w] = Math.max(0, counts[c][w] - labelShare * tagCounts[w]) + smoothing;
      }
      normalize(counts[c]);
    }
    if (annotated == 0) {
      throw new IOException(mirflickrDir.resolve("mir_label.txt") + ": no item has a label");
    }
    normalize(prior);
    normalize(tagCounts);
    return new MainMinorGenerator(vocabulary, prior, tagCounts, counts);
  }

  /** The tag vocabulary (BoW position n is word n). */
  public List<String> vocabulary() {
    return vocabulary;
  }

  /** The label's own tag distribution (excess co-occurrence) as estimated from the real data. */
  public double[] tagDistribution(int label) {
    return tagDistribution[label].clone();
  }

  /** Generates a dataset. */
  public Generated generate(Parameters p) {
    SplittableRandom random = new SplittableRandom(p.seed());
    int labels = LABELS.size();
    int vocab = vocabulary.size();
    float[][] prototypes = new float[labels][p.imageDim()];
    for (float[] prototype : prototypes) {
      for (int j = 0; j < prototype.length; j++) {
        prototype[j] = (float) gaussian(random);
      }
    }
    double[] priorCdf = cumulative(labelPrior);
    float[] image = new float[p.items() * p.imageDim()];
    float[] text = new float[p.items() * vocab];
    float[] y = new float[p.items() * labels];
    int[] main = new int[p.items()];
    List<List<String>> tags = new ArrayList<>(p.items());
    for (int i = 0; i < p.items(); i++) {
      int m = sample(priorCdf, random);
      main[i] = m;
      int minorCount = p.minorMin() + random.nextInt(p.minorMax() - p.minorMin() + 1);
      int[] topics = new int[1 + minorCount];
      topics[0] = m;
      for (int k = 1; k < topics.length; k++) {
        topics[k] = sampleExcluding(priorCdf, topics, k, random);
      }
      double[] weights = new double[topics.length];
      weights[0] = minorCount == 0 ? 1 : p.mainWeight();
      for (int k = 1; k < topics.length; k++) {
        weights[k] = (1 - p.mainWeight()) / minorCount;
      }
      for (int topic : topics) {
        y[i * labels + topic] = 1f;
      }
      List<String> words = new ArrayList<>();
      int draws = p.tagsMin() + random.nextInt(p.tagsMax() - p.tagsMin() + 1);
      double[] weightCdf = cumulative(weights);
      for (int d = 0; d < draws; d++) {
        int w = random.nextDouble() < p.background()
            ? sample(backgroundCdf, random)
            : sample(tagCdf[topics[sample(weightCdf, random)]], random);
        if (text[i * vocab + w] == 0f) {
          text[i * vocab + w] = 1f;
          words.add(vocabulary.get(w));
        }
      }
      tags.add(List.copyOf(words));
      int base = i * p.imageDim();
      for (int j = 0; j < p.imageDim(); j++) {
        double v = p.imageNoise() * gaussian(random);
        for (int k = 0; k < topics.length; k++) {
          v += weights[k] * prototypes[topics[k]][j];
        }
        image[base + j] = (float) v;
      }
    }
    PairedDataset dataset = PairedDataset.builder("synthetic-mirflickr-" + p.items(), p.items())
        .image(p.imageDim(), image)
        .text(vocab, text)
        .labels(labels, y)
        .relevanceGroups(main.clone())
        .vocabulary(vocabulary)
        .labelNames(LABELS)
        .build();
    return new Generated(dataset, tags, main);
  }

  private static int sampleExcluding(double[] cdf, int[] chosen, int count, SplittableRandom random) {
    while (true) { // rejection: at most 5 of 24 labels are excluded
      int t = sample(cdf, random);
      boolean taken = false;
      for (int k = 0; k < count; k++) {
        taken |= chosen[k] == t;
      }
      if (taken == false) {
        return t;
      }
    }
  }

  private static int sample(double[] cdf, SplittableRandom random) {
    double u = random.nextDouble() * cdf[cdf.length - 1];
    int i = Arrays.binarySearch(cdf, u);
    i = i >= 0 ? i + 1 : -1 - i;
    return Math.min(i, cdf.length - 1);
  }

  private static double[] cumulative(double[] weights) {
    double[] cdf = new double[weights.length];
    double sum = 0;
    for (int i = 0; i < weights.length; i++) {
      sum += weights[i];
      cdf[i] = sum;
    }
    return cdf;
  }

  private static void normalize(double[] row) {
    double sum = 0;
    for (double v : row) {
      sum += v;
    }
    for (int i = 0; i < row.length; i++) {
      row[i] /= sum;
    }
  }

  private static double gaussian(SplittableRandom random) {
    // Box–Muller; SplittableRandom has no nextGaussian on Java 21
    double u = 1 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
