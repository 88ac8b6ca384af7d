package org.bicmr.training.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Options for {@code bicmr train} given to a command that trains several methods ({@code bicmr experiment},
 * {@code bicmr bench epochs}) as {@code --train-option all=...} for every method and {@code --train-option
 * METHOD=...} for one, each value whitespace-separated arguments.
 */
final class GridTrainOptions {
  /** The methods {@code bicmr train --method} knows. */
  static final List<String> METHODS = List.of("bicmr", "dcmh", "prdh", "ssah", "agah", "linear", "simhash");
  /** Bi-CMR's other variants as grid methods: {@code bicmr-paper} is {@code --method bicmr --variant paper}. */
  static final List<String> VARIANTS = List.of("bicmr-paper", "bicmr-released");
  /** Every name a grid accepts as a method. */
  static final List<String> GRID_METHODS = java.util.stream.Stream.concat(METHODS.stream(), VARIANTS.stream())
      .toList();

  /** The {@code --method} of a grid method: {@code bicmr} for Bi-CMR's variants. */
  static String base(String gridMethod) {
    return VARIANTS.contains(gridMethod) ? "bicmr" : gridMethod;
  }

  /** The arguments that select a grid method: its {@code --method}, and its {@code --variant} for a variant. */
  static List<String> select(String gridMethod) {
    List<String> args = new ArrayList<>(List.of("--method", base(gridMethod)));
    if (VARIANTS.contains(gridMethod)) {
      args.addAll(List.of("--variant", gridMethod.substring("bicmr-".length())));
    }
    return args;
  }

  private GridTrainOptions() {}

  /** Refuses a key that is neither {@code all} nor a method. */
  static void check(Map<String, String> options) {
    for (String key : options.keySet()) {
      if (key.equals("all") == false && GRID_METHODS.contains(key) == false) {
        throw new IllegalArgumentException("--train-option " + key + "=...: expected all or a method ("
            + String.join(", ", GRID_METHODS) + ") before the '='");
      }
    }
  }

  /** The arguments for {@code method}: those for all methods, then its own (a variant's only under its own name). */
  static List<String> of(Map<String, String> options, String method) {
    List<String> args = new ArrayList<>();
    for (String key : method.equals("all") ? List.of("all") : List.of("all", method)) {
      String value = options.get(key);
      if (value != null && value.isBlank() == false) {
        args.addAll(Arrays.asList(value.trim().split("\\s+")));
      }
    }
    return args;
  }
}
