package org.bicmr.opensearch;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's code memory on a real node with a small heap (run by {@code src/test/real-node/run.sh}): several
 * indices hold more codes than {@code bicmr.codes.cache.limit}; every index is searched in turn, then all at once.
 * Each search either answers exactly (its distances equal a brute-force scan over the indexed codes) or is refused
 * with a 429 from the {@code bicmr_codes} breaker that names its limit and the bytes asked; an index whose array alone
 * exceeds the limit is refused until the limit is raised at run time; a malformed limit is refused naming the setting.
 * Afterwards {@code _plugins/bicmr/stats} must show evictions, no more bytes held than the limit and the breaker's
 * trips, and the node must still answer. Codes are not stored here: each index's codes are regenerated from its seed.
 *
 * <p>Arguments: base URL, indices, documents per index, bits, documents of the oversized index (0: none).
 */
public final class RealNodeMemory {
  private static final int K = 10;
  private static final int BULK_BYTES = 4 << 20;

  private static RealNodeHttp node;
  /** Refusals by OpenSearch's parent breaker (the heap as a whole), not by {@code bicmr_codes}. */
  private static final AtomicInteger refusedByParent = new AtomicInteger();
  /** GET requests (stats, health) retried after a 429. */
  private static final AtomicInteger parentRetries = new AtomicInteger();
  private static int bits;
  private static int words;

  private RealNodeMemory() {}

  public static void main(String[] args) throws Exception {
    node = new RealNodeHttp(args[0]);
    int indices = Integer.parseInt(args[1]);
    int docs = Integer.parseInt(args[2]);
    bits = Integer.parseInt(args[3]);
    words = bits / 64;
    int oversized = Integer.parseInt(args[4]);
    long start = System.nanoTime();

    String heapAtStart = heap();
    JsonObject before = nodeStats();
    long limit = before.getAsJsonObject("codes").get("limit_in_bytes").getAsLong();
    for (int i = 0; i < indices; i++) {
      index("mem" + i, i, docs);
    }
    if (oversized > 0) {
      index("mem_big", indices, oversized);
    }
    call("POST", "/mem*/_refresh", null, 200);
    double indexed = (System.nanoTime() - start) / 1e9;
    long codeBytes = (long) (indices * (long) docs + oversized) * bits / 8;
    System.out.printf(Locale.ROOT, "memory: %d indices of %,d %d-bit codes%s (%.1f MB of codes), limit %,d bytes, "
        + "indexed in %.1f s; heap at start %s, after indexing %s%n", indices, docs, bits,
        oversized > 0 ? " + one of " + oversized : "", codeBytes / 1e6, limit, indexed, heapAtStart, heap());

    AtomicInteger ok = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    SplittableRandom random = new SplittableRandom(3);
    for (int round = 0; round < 3; round++) { // in turn: each search's array evicts an idle one
      for (int i = 0; i < indices; i++) {
        search("mem" + i, i, docs, random.nextLong(), ok, refused, limit);
      }
    }
    int inTurn = ok.get();
    // in turn, bicmr_codes always finds room by eviction; OpenSearch's parent breaker may still refuse a search when
    // the heap as a whole is nearly full (garbage included), which is a clean 429 too
    check(inTurn + refusedByParent.get() == 3 * indices, "every search in turn answers (evictions make room) unless "
        + "the parent breaker refuses it: " + inTurn + " of " + 3 * indices + " ok, " + refused.get() + " refused, "
        + refusedByParent.get() + " by the parent breaker; " + nodeStats());
    JsonObject afterTurn = nodeStats().getAsJsonObject("codes");
    check(afterTurn.get("in_use_in_bytes").getAsLong() == 0, "no search holds an array after it ends: " + afterTurn);
    ExecutorService pool = Executors.newFixedThreadPool(indices);
    try {
      for (int round = 0; round < 2; round++) { // all at once: arrays in use cannot be evicted
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < indices; i++) {
          int index = i;
          long seed = random.nextLong();
          futures.add(pool.submit(() -> {
            search("mem" + index, index, docs, seed, ok, refused, limit);
            return null;
          }));
        }
        for (Future<?> f : futures) {
          f.get();
        }
      }
    } finally {
      pool.shutdown();
    }
    JsonObject searched = nodeStats().getAsJsonObject("codes"); // before the limit changes at run time
    long heldAfterSearches = searched.get("held_in_bytes").getAsLong();
    check(heldAfterSearches > 0 && heldAfterSearches <= limit, "after the searches the node holds arrays within the "
        + "limit: " + searched);
    int tooBig = 0;
    if (oversized > 0) { // its array alone exceeds the limit: refused, until the limit is raised at run time
      int refusedBefore = refused.get();
      search("mem_big", indices, oversized, random.nextLong(), ok, refused, limit);
      check(refused.get() == refusedBefore + 1, "the index whose array exceeds the limit is refused");
      tooBig = 1;
      long raised = (long) oversized * bits / 8 * 2;
      call("PUT", "/_cluster/settings", "{\"transient\": {\"bicmr.codes.cache.limit\": \"" + raised + "b\"}}", 200);
      int okBefore = ok.get();
      search("mem_big", indices, oversized, random.nextLong(), ok, refused, raised);
      check(ok.get() == okBefore + 1, "after raising the limit to " + raised + " bytes the oversized index answers");
      call("PUT", "/_cluster/settings", "{\"transient\": {\"bicmr.codes.cache.limit\": null}}", 200);
    }
    String bad = call("PUT", "/_cluster/settings", "{\"transient\": {\"bicmr.codes.cache.limit\": \"lots\"}}", 400);
    check(bad.contains("[bicmr.codes.cache.limit] must be a percentage of the heap (0% to 100%, e.g. 10%) or a byte "
        + "size (e.g. 256mb), got [lots]"), "a malformed limit is refused naming the setting and the value: " + bad);

    JsonObject after = nodeStats();
    JsonObject codes = after.getAsJsonObject("codes");
    JsonObject breaker = after.getAsJsonObject("breaker");
    long evictions = codes.get("evictions").getAsLong() - before.getAsJsonObject("codes").get("evictions").getAsLong();
    long held = codes.get("held_in_bytes").getAsLong();
    long tripped = breaker.get("tripped").getAsLong() - before.getAsJsonObject("breaker").get("tripped").getAsLong();
    check(codes.get("limit_in_bytes").getAsLong() == limit, "the limit is back to the node's: " + codes);
    check(evictions > 0, "arrays were evicted: " + codes);
    check(held <= limit, "bytes held " + held + " ≤ limit " + limit);
    check(breaker.get("estimated_size_in_bytes").getAsLong() == held, "the breaker holds what the cache holds: "
        + after);
    // every search bicmr_codes refused tripped it at least once (a search loading several segments at once may trip
    // it for each)
    check(tripped >= refused.get() - refusedByParent.get(), "the breaker counted its trips: " + breaker + ", "
        + refused.get() + " refused, " + refusedByParent.get() + " of them by the parent breaker");
    JsonObject health = json(call("GET", "/_cluster/health", null, 200));
    check(!health.get("status").getAsString().equals("red"), "the node still answers: " + health);
    search("mem0", 0, docs, 1, ok, refused, limit);
    System.out.printf(Locale.ROOT, "memory: %d searches answered exactly, %d refused with 429 (%d by the parent "
        + "breaker; %d in turn, %d at once, %d too big), %d evictions, %d loads, %,d bytes held after the searches "
        + "(%,d at the end) ≤ limit %,d, breaker tripped %d, %d reads retried after a 429, heap %s, %.1f s; "
        + "stats: %s%n",
        ok.get(), refused.get(), refusedByParent.get(), 3 * indices - inTurn,
        refused.get() - tooBig - (3 * indices - inTurn), tooBig,
        evictions, codes.get("loads").getAsLong() - before.getAsJsonObject("codes").get("loads").getAsLong(),
        heldAfterSearches, held, limit, tripped, parentRetries.get(), heap(), (System.nanoTime() - start) / 1e9, after);
  }

  /** The word j of document d's code in the index with {@code seed}, regenerated in order. */
  private static final class Codes {
    private final SplittableRandom random;

    Codes(int seed) {
      random = new SplittableRandom(1000 + seed);
    }

    long[] next() {
      long[] w = new long[words];
      for (int j = 0; j < words; j++) {
        w[j] = random.nextLong();
      }
      return w;
    }
  }

  private static String hex(long[] w) {
    StringBuilder s = new StringBuilder(words * 16);
    for (long x : w) {
      s.append(String.format(Locale.ROOT, "%016x", x));
    }
    return s.toString();
  }

  private static void index(String name, int seed, int docs) throws Exception {
    call("PUT", "/" + name, "{\"settings\": {\"number_of_shards\": 1, \"number_of_replicas\": 0, "
        + "\"refresh_interval\": -1}, \"mappings\": {\"_source\": {\"enabled\": false}, \"properties\": "
        + "{\"code\": {\"type\": \"bicmr_code\", \"bits\": " + bits + "}}}}", 200);
    Codes codes = new Codes(seed);
    StringBuilder bulk = new StringBuilder();
    for (int d = 0; d < docs; d++) {
      bulk.append("{\"index\": {\"_index\": \"").append(name).append("\", \"_id\": \"").append(d).append("\"}}\n")
          .append("{\"code\": \"").append(hex(codes.next())).append("\"}\n");
      if (bulk.length() > BULK_BYTES || d == docs - 1) {
        JsonObject result = json(call("POST", "/_bulk", bulk.toString(), 200));
        check(!result.get("errors").getAsBoolean(), "bulk into " + name + ": " + result.toString().substring(0, 300));
        bulk.setLength(0);
      }
    }
  }

  /**
   * A top-{@value #K} search of an index for a code near one of its own: 200 with distances equal to a brute-force
   * scan, or 429 from the {@code bicmr_codes} breaker naming its limit and the bytes asked.
   */
  private static void search(String name, int seed, int docs, long querySeed, AtomicInteger ok, AtomicInteger refused,
      long limit) throws Exception {
    SplittableRandom random = new SplittableRandom(querySeed);
    int target = random.nextInt(docs);
    Codes codes = new Codes(seed);
    long[] query = null;
    for (int d = 0; d <= target; d++) {
      query = codes.next();
    }
    for (int f = 0; f < 5; f++) {
      int bit = random.nextInt(bits);
      query[bit >>> 6] ^= 1L << (63 - (bit & 63));
    }
    HttpResponse<String> r = node.send("POST", "/" + name + "/_search", "{\"size\": " + K + ", \"query\": "
        + "{\"bicmr_hamming\": {\"code\": {\"code\": \"" + hex(query) + "\", \"k\": " + K + "}}}}");
    if (r.statusCode() == 429) {
      String body = r.body();
      check(body.contains("circuit_breaking_exception"), "a 429 is a breaker's: " + body);
      if (body.contains("[parent] Data too large")) {
        refusedByParent.incrementAndGet(); // the heap as a whole, whatever asked for it
      } else {
        check(body.contains("[bicmr_codes] Data too large, data for [bicmr codes of field [code] in segment [")
            && body.contains(" bytes asked]") && body.contains("which is larger than the limit of [" + limit + "/"),
            "a refusal names the breaker, the limit and the bytes asked: " + body);
      }
      refused.incrementAndGet();
      return;
    }
    check(r.statusCode() == 200, "search " + name + " → " + r.statusCode() + " " + r.body());
    JsonObject response = json(r.body());
    check(response.getAsJsonObject("_shards").get("failed").getAsInt() == 0, "no shard failed: " + r.body());
    // brute force over the regenerated codes: the K smallest distances, and each hit's own distance
    int[] distances = new int[docs];
    Codes all = new Codes(seed);
    for (int d = 0; d < docs; d++) {
      distances[d] = distance(all.next(), query);
    }
    int[] sorted = distances.clone();
    java.util.Arrays.sort(sorted);
    JsonArray hits = response.getAsJsonObject("hits").getAsJsonArray("hits");
    check(hits.size() == Math.min(K, docs), name + ": " + hits.size() + " hits");
    for (int h = 0; h < hits.size(); h++) {
      JsonObject hit = hits.get(h).getAsJsonObject();
      int d = Math.round(1f / hit.get("_score").getAsFloat() - 1f);
      check(d == sorted[h], name + " hit " + h + ": distance " + d + ", brute force " + sorted[h]);
      check(distances[Integer.parseInt(hit.get("_id").getAsString())] == d, name + " hit " + h + " ("
          + hit.get("_id") + ") has the distance its score says");
    }
    ok.incrementAndGet();
  }

  private static int distance(long[] a, long[] b) {
    int d = 0;
    for (int j = 0; j < a.length; j++) {
      d += Long.bitCount(a[j] ^ b[j]);
    }
    return d;
  }

  /** The node's heap: used of max, in MB. */
  private static String heap() throws Exception {
    JsonObject nodes = json(call("GET", "/_nodes/stats/jvm", null, 200)).getAsJsonObject("nodes");
    JsonObject mem = nodes.entrySet().iterator().next().getValue().getAsJsonObject().getAsJsonObject("jvm")
        .getAsJsonObject("mem");
    return String.format(Locale.ROOT, "%.0f of %.0f MB", mem.get("heap_used_in_bytes").getAsLong() / 1e6,
        mem.get("heap_max_in_bytes").getAsLong() / 1e6);
  }

  /** The only node's entry of {@code _plugins/bicmr/stats}. */
  private static JsonObject nodeStats() throws Exception {
    JsonObject nodes = json(call("GET", "/_plugins/bicmr/stats", null, 200)).getAsJsonObject("nodes");
    check(nodes.size() == 1, "one node: " + nodes);
    for (var e : nodes.entrySet()) {
      return e.getValue().getAsJsonObject();
    }
    throw new AssertionError();
  }

  private static String call(String method, String path, String body, int status) throws Exception {
    HttpResponse<String> r = node.send(method, path, body);
    // a read the parent breaker refuses while the heap is nearly full (garbage included) is retried a few times
    for (int retry = 0; retry < 10 && r.statusCode() == 429 && method.equals("GET"); retry++) {
      parentRetries.incrementAndGet();
      Thread.sleep(1000);
      r = node.send(method, path, body);
    }
    check(r.statusCode() == status, method + " " + path + " → " + r.statusCode() + " " + r.body());
    return r.body();
  }

  private static JsonObject json(String body) {
    JsonElement e = JsonParser.parseString(body);
    return e.getAsJsonObject();
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      System.err.println("FAILED: " + what);
      System.exit(1);
    }
  }
}
