package org.bicmr.opensearch;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One {@code bicmr_hamming} query of the soak: what was asked (field, input, model, k, radius, filter group), when it
 * ran and what it answered (hit ids and the distances their scores give, 1/(1+d)); {@link #check} compares the answer
 * with a brute force over the documents that exist at the end, given which were certainly searchable when it ran.
 */
final class SoakQuery {
  /** The kinds of query: which field and input. */
  enum Kind {
    /** A text through the default model, on {@code sentence_code}. */
    TEXT("sentence_code"),
    /** A code, on {@code sentence_code}. */
    CODE("sentence_code"),
    /** Image features through the tiny model, on {@code image_code} (the model is replaced during the soak). */
    IMAGE("image_code"),
    /** A text through the tiny model, on {@code tag_code} (the model is replaced during the soak). */
    TAGS("tag_code");

    final String field;

    Kind(String field) {
      this.field = field;
    }
  }

  /** The documents at the end: id, group, the three codes (as longs: at most 64 bits) and when acknowledged. */
  record Corpus(String[] ids, int[] groups, long[] sentence, long[] tag, long[] image, long[] ackedAt) {
    long[] codes(Kind kind) {
      return switch (kind) {
        case TEXT, CODE -> sentence;
        case IMAGE -> image;
        case TAGS -> tag;
      };
    }
  }

  final Kind kind;
  final String text;
  final float[] features;
  final String code;
  final int k;
  /** The largest distance, or -1 for none. */
  final int radius;
  /** The filter's group, or -1 for none. */
  final int group;
  long start;
  long end;
  String node;
  /** Hit ids and distances, in the order returned; null when the query failed. */
  List<String> ids;
  List<Integer> distances;
  long totalHits;
  String failure;

  SoakQuery(Kind kind, String text, float[] features, String code, int k, int radius, int group) {
    this.kind = kind;
    this.text = text;
    this.features = features;
    this.code = code;
    this.k = k;
    this.radius = radius;
    this.group = group;
  }

  /** The request body; {@code size} is k, or 10,000 for a radius alone. */
  String body() {
    StringBuilder q = new StringBuilder("{");
    if (text != null) {
      q.append("\"text\": \"").append(text).append("\", \"model\": \"")
          .append(kind == Kind.TEXT ? "bicmr-default" : "tiny").append('"');
    } else if (features != null) {
      q.append("\"image_features\": ").append(RealNodeHttp.array(features)).append(", \"model\": \"tiny\"");
    } else {
      q.append("\"code\": \"").append(code).append('"');
    }
    if (k > 0) {
      q.append(", \"k\": ").append(k);
    }
    if (radius >= 0) {
      q.append(", \"max_distance\": ").append(radius);
    }
    if (group >= 0) {
      q.append(", \"filter\": {\"term\": {\"group\": \"g").append(group).append("\"}}");
    }
    q.append('}');
    int size = k > 0 ? k : 10_000;
    return "{\"size\": " + size + ", \"_source\": false, \"track_total_hits\": true, \"query\": {\"bicmr_hamming\": {\""
        + kind.field + "\": " + q + "}}}";
  }

  /**
   * Checks the answer against a brute force with {@code queryCode} over {@code corpus}: documents acknowledged before
   * {@code visibleFrom} were certainly searchable ({@link Long#MAX_VALUE}: every document of the corpus was), every
   * document of the corpus possibly. Each hit must exist, pass
   * the filter and radius, and carry its true distance; distances must not decrease; every certainly searchable
   * document strictly nearer than the k-th distance (every one within the radius, when fewer than k came back) must
   * be among the hits. At the end, with everything searchable, this is the brute force's answer exactly: the same
   * distances, and the same documents strictly inside the k-th distance (ties at it make ids ambiguous).
   *
   * @return null when the answer agrees, else what is wrong
   */
  String check(Corpus corpus, Map<String, Integer> index, long queryCode, long visibleFrom) {
    long[] codes = corpus.codes(kind);
    int limit = k > 0 ? k : Integer.MAX_VALUE;
    if (ids.size() > limit) {
      return "more hits than k: " + ids.size();
    }
    if (k <= 0 && totalHits > ids.size()) {
      return "a radius query matched " + totalHits + " documents, more than it returned (" + ids.size() + ")";
    }
    Set<String> returned = new HashSet<>();
    int previous = -1;
    for (int i = 0; i < ids.size(); i++) {
      Integer doc = index.get(ids.get(i));
      if (doc == null) {
        return "hit " + ids.get(i) + " is not a document of the index";
      }
      int d = Long.bitCount(codes[doc] ^ queryCode);
      if (d != distances.get(i)) {
        return "hit " + ids.get(i) + " at distance " + distances.get(i) + ", its code is at " + d;
      }
      if (group >= 0 && corpus.groups()[doc] != group) {
        return "hit " + ids.get(i) + " is in group " + corpus.groups()[doc] + ", the filter asks for " + group;
      }
      if (radius >= 0 && d > radius) {
        return "hit " + ids.get(i) + " at distance " + d + " beyond max_distance " + radius;
      }
      if (d < previous) {
        return "distances not in order: " + distances;
      }
      previous = d;
      returned.add(ids.get(i));
    }
    boolean full = ids.size() == limit;
    int kth = full ? distances.get(distances.size() - 1) : Integer.MAX_VALUE;
    List<String> missing = new ArrayList<>();
    for (int doc = 0; doc < codes.length; doc++) {
      boolean searchable = visibleFrom == Long.MAX_VALUE || corpus.ackedAt()[doc] < visibleFrom;
      if (!searchable || (group >= 0 && corpus.groups()[doc] != group)) {
        continue;
      }
      int d = Long.bitCount(codes[doc] ^ queryCode);
      if ((radius < 0 || d <= radius) && d < kth && !returned.contains(corpus.ids()[doc])) {
        missing.add(corpus.ids()[doc] + "@" + d);
        if (missing.size() == 5) {
          break;
        }
      }
    }
    if (!missing.isEmpty()) {
      return "searchable documents nearer than the answer's " + (full ? "k-th distance " + kth : "last hit")
          + " are missing: " + missing + " (answer " + distances + ")";
    }
    return null;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s query on %s via %s: %s", kind, kind.field, node, body());
  }
}
