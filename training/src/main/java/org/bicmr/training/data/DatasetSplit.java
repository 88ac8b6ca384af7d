package org.bicmr.training.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The paper's protocol: a seeded random query set, the retrieval database is every other item, and the training set
 * is a seeded random sample of the database (as in DCMH/SSAH code: 2,000 queries; 10,000 training pairs for
 * MIRFlickr-25K, 4,000 for NUS-WIDE-10.5K). Index arrays are sorted ascending, so database index order (the tie
 * order of the evaluation) is item order. Saved with a model so its numbers can be reproduced.
 *
 * <p>Model selection holds out {@code validation}, a seeded sample of the training items (never of the queries): the
 * nets learn from the others ({@link #fit()}) and the validation items rank them to choose an epoch or a setting.
 * Empty when nothing is selected (and in splits written before validation existed).
 */
public record DatasetSplit(long seed, int size, int[] query, int[] train, int[] database, int[] validation) {

  public DatasetSplit {
    validation = validation == null ? new int[0] : validation;
  }

  @Override
  public int[] validation() {
    return validation == null ? new int[0] : validation; // Gson bypasses the constructor for older split.json files
  }

  /** Splits {@code size} items: {@code queries} queries, {@code training} training items drawn from the rest. */
  public static DatasetSplit random(int size, int queries, int training, long seed) {
    if (queries < 1 || queries >= size) {
      throw new IllegalArgumentException("split: queries must be between 1 and " + (size - 1) + " (items − 1), got " + queries);
    }
    if (training < 1 || training > size - queries) {
      throw new IllegalArgumentException("split: training items must be between 1 and " + (size - queries)
          + " (items − queries), got " + training);
    }
    int[] order = permutation(size, new SplittableRandom(seed));
    int[] query = Arrays.copyOfRange(order, 0, queries);
    int[] database = Arrays.copyOfRange(order, queries, size);
    int[] train = Arrays.copyOfRange(database, 0, training); // database is already a random order
    Arrays.sort(query);
    Arrays.sort(database);
    Arrays.sort(train);
    return new DatasetSplit(seed, size, query, train, database, new int[0]);
  }

  /**
   * This split with {@code count} of the training items held out for validation, a sample seeded by the split's seed.
   *
   * @throws IllegalArgumentException unless 0 ≤ count &lt; the number of training items
   */
  public DatasetSplit withValidation(int count) {
    if (count < 0 || count >= train.length) {
      throw new IllegalArgumentException("validation: items held out of the " + train.length
          + " training items must be between 0 and " + (train.length - 1) + ", got " + count);
    }
    int[] order = permutation(train.length, new SplittableRandom(seed ^ 0x5DEECE66DL));
    int[] held = new int[count];
    for (int i = 0; i < count; i++) {
      held[i] = train[order[i]];
    }
    Arrays.sort(held);
    return new DatasetSplit(seed, size, query, train, database, held);
  }

  /**
   * This split with whole split groups of the training items held out for validation, in an order seeded by the
   * split's seed, until they hold at least {@code count} items ({@code groups}: each item's split group).
   */
  public DatasetSplit withValidation(int count, int[] groups) {
    if (groups == null) {
      return withValidation(count);
    }
    if (count < 0 || count >= train.length) {
      throw new IllegalArgumentException("validation: items held out of the " + train.length
          + " training items must be between 0 and " + (train.length - 1) + ", got " + count);
    }
    java.util.Map<Integer, java.util.List<Integer>> members = new java.util.TreeMap<>();
    for (int i : train) {
      members.computeIfAbsent(groups[i], g -> new java.util.ArrayList<>()).add(i);
    }
    Integer[] ids = members.keySet().toArray(Integer[]::new);
    int[] order = permutation(ids.length, new SplittableRandom(seed ^ 0x5DEECE66DL));
    java.util.List<Integer> held = new java.util.ArrayList<>();
    for (int o : order) {
      if (held.size() >= count) {
        break;
      }
      held.addAll(members.get(ids[o]));
    }
    if (held.size() >= train.length) {
      throw new IllegalArgumentException("validation: holding out " + count + " items in whole split groups leaves "
          + "no training item (" + ids.length + " groups)");
    }
    return new DatasetSplit(seed, size, query, train, database,
        held.stream().mapToInt(Integer::intValue).sorted().toArray());
  }

  /** This split with every training item trained on: no validation items. */
  public DatasetSplit withoutValidation() {
    return new DatasetSplit(seed, size, query, train, database, new int[0]);
  }

  /** The training items the nets learn from: the training items less the validation items, ascending. */
  public int[] fit() {
    int[] held = validation();
    if (held.length == 0) {
      return train.clone();
    }
    return Arrays.stream(train).filter(i -> Arrays.binarySearch(held, i) < 0).toArray();
  }

  /**
   * Splits {@code groups.length} items so that the items of one split group fall on one side: the groups in a seeded
   * order are given to the queries until they hold at least {@code queries} items, the rest form the database, and the
   * training items are the database's groups in the same order until they hold at least {@code training} items.
   * Sizes are therefore whole groups: up to one group's size more than asked.
   */
  public static DatasetSplit grouped(int[] groups, int queries, int training, long seed) {
    int size = groups.length;
    if (queries < 1 || queries >= size) {
      throw new IllegalArgumentException("split: queries must be between 1 and " + (size - 1) + " (items − 1), got " + queries);
    }
    java.util.Map<Integer, java.util.List<Integer>> members = new java.util.TreeMap<>();
    for (int i = 0; i < size; i++) {
      members.computeIfAbsent(groups[i], g -> new java.util.ArrayList<>()).add(i);
    }
    Integer[] ids = members.keySet().toArray(Integer[]::new);
    int[] order = permutation(ids.length, new SplittableRandom(seed));
    java.util.List<Integer> query = new java.util.ArrayList<>();
    java.util.List<Integer> database = new java.util.ArrayList<>();
    java.util.List<Integer> train = new java.util.ArrayList<>();
    for (int o : order) {
      java.util.List<Integer> items = members.get(ids[o]);
      if (query.size() < queries) {
        query.addAll(items);
      } else {
        database.addAll(items);
        if (train.size() < training) {
          train.addAll(items);
        }
      }
    }
    if (database.isEmpty() || train.size() < Math.min(training, database.size())) {
      throw new IllegalArgumentException("split: " + queries + " queries and " + training + " training items do not "
          + "fit " + size + " items in " + ids.length + " split groups");
    }
    int[] q = query.stream().mapToInt(Integer::intValue).sorted().toArray();
    int[] d = database.stream().mapToInt(Integer::intValue).sorted().toArray();
    int[] t = train.stream().mapToInt(Integer::intValue).sorted().toArray();
    return new DatasetSplit(seed, size, q, t, d, new int[0]);
  }

  /** A seeded uniform permutation of 0..n-1 (Fisher–Yates). */
  public static int[] permutation(int n, SplittableRandom random) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
