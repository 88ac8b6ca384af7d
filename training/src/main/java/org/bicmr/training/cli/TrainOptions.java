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
final class TrainOptions {
  /** The methods {@code bicmr train --method} knows. */
  static final List<String> METHODS = List.of("bicmr", "dcmh", "prdh", "ssah", "agah");

  private TrainOptions() {}

  /** Refuses a key that is neither {@code all} nor a method. */
  static void check(Map<String, String> options) {
    for (String key : options.keySet()) {
      if (key.equals("all") == false && METHODS.contains(key) == false) {
        throw new IllegalArgumentException("--train-option " + key + "=...: expected all or a method ("
            + String.join(", ", METHODS) + ") before the '='");
      }
    }
  }

  /** The arguments for {@code method}: those for all methods, then its own. */
  static List<String> of(Map<String, String> options, String method) {
    List<String> args = new ArrayList<>();
    for (String key : List.of("all", method)) {
      String value = options.get(key);
      if (value != null && value.isBlank() == false) {
        args.addAll(Arrays.asList(value.trim().split("\\s+")));
      }
    }
    return args;
  }
}
