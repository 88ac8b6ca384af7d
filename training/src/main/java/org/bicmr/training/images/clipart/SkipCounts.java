package org.bicmr.training.images.clipart;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What was left out and why: a count per reason and the first few examples of each, in the order first seen. */
final class SkipCounts {
  static final int EXAMPLES = 3;

  /** One reason's count and examples (what, and for parse errors the message). */
  record Entry(int count, List<String> examples) {}

  private final Map<String, Entry> entries = new LinkedHashMap<>();

  void add(String reason, String example) {
    Entry e = entries.getOrDefault(reason, new Entry(0, List.of()));
    List<String> examples = new ArrayList<>(e.examples());
    if (examples.size() < EXAMPLES) {
      examples.add(example);
    }
    entries.put(reason, new Entry(e.count() + 1, List.copyOf(examples)));
  }

  Map<String, Entry> entries() {
    return Map.copyOf(entries);
  }

  /** The reasons in the order first seen, with counts and examples. */
  LinkedHashMap<String, Entry> ordered() {
    return new LinkedHashMap<>(entries);
  }

  int count(String reason) {
    Entry e = entries.get(reason);
    return e == null ? 0 : e.count();
  }

  static SkipCounts of(Map<String, Entry> entries) {
    SkipCounts s = new SkipCounts();
    if (entries != null) {
      s.entries.putAll(entries);
    }
    return s;
  }
}
