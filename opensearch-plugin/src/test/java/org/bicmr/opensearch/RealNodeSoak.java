package org.bicmr.opensearch;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bicmr.codes.HashCode;
import org.bicmr.onnx.HashEncoder;
import org.bicmr.onnx.InferenceDevice;
import org.bicmr.onnx.InferenceOptions;
import org.bicmr.onnx.ModelBundle;

/**
 * The soak of {@code src/test/real-node/soak.sh} on a real two-node cluster: concurrent bulk ingest through the
 * {@code bicmr_hash} pipeline and {@code bicmr_hamming} queries for the given time, with the node that is not the
 * cluster manager killed (SIGKILL) at a fifth of it and restarted, and the {@code tiny} bundle replaced on both nodes
 * and reloaded at 60% (or once the cluster is green again, if later; the workers go on 15 s after the reload); then
 * every acknowledged document must be there with codes of one model per bulk, every query's answer must agree with a
 * brute force (old or new model), no error may occur outside the killed node's absence, and each node's heap after a
 * forced GC must be back near its start. Prints the figures; exits non-zero on a failed check.
 */
public final class RealNodeSoak {
  private static final List<String> WORDS = List.of("sunset", "beach", "sea", "dog", "puppy", "cat", "snow",
      "mountain", "night", "city", "lights", "flower", "macro", "baby", "car", "portrait", "girl", "clouds", "sky",
      "tree", "lake", "river", "food", "bird");
  private static final List<String> TAGS = List.of("sunset", "beach", "sea", "dog", "cat", "night", "城市", "tree",
      "sky", "blue");
  private static final int GROUPS = 10;
  private static final int BULK = 100;
  private static final int BASE_DOCS = 2_000;
  private static final int K = 10;
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final RealNodeHttp[] nodes;
  private final String[] names = {"soak-1", "soak-2"};
  private final AtomicBoolean[] up = {new AtomicBoolean(true), new AtomicBoolean(true)};
  private final Path work;
  private final SoakLedger ledger = new SoakLedger();
  private final List<SoakQuery> queries = Collections.synchronizedList(new ArrayList<>());
  private final AtomicBoolean stop = new AtomicBoolean();
  /** When the main thread stops the workers (nanoTime): the given time, or later if the restart took long. */
  private volatile long deadline;
  /** The killed node's absence: from just before the kill until the cluster is green again (nanoTime). */
  private volatile long downFrom = Long.MAX_VALUE;
  private volatile long downUntil = Long.MAX_VALUE;
  /** The reload: from the call until its answer (nanoTime). */
  private volatile long reloadFrom = Long.MAX_VALUE;
  private volatile long reloadUntil = Long.MAX_VALUE;

  private RealNodeSoak(String node1, String node2, Path work) {
    this.nodes = new RealNodeHttp[] {new RealNodeHttp(node1), new RealNodeHttp(node2)};
    this.work = work;
  }

  public static void main(String[] args) throws Exception {
    int seconds = Integer.parseInt(args[2]);
    new RealNodeSoak(args[0], args[1], Path.of(args[3])).run(seconds);
  }

  private void run(int seconds) throws Exception {
    long begin = System.nanoTime();
    setUp();
    Map<String, Long> heapStart = heaps();
    System.out.println("soak: heap after the base load and a full GC: " + mb(heapStart));

    long concurrentFrom = System.nanoTime();
    deadline = concurrentFrom + seconds * 1_000_000_000L;
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      int worker = w;
      workers.add(worker("ingest-" + w, () -> ingest(worker)));
      workers.add(worker("query-" + w, () -> query(worker)));
    }
    workers.add(worker("refresh", this::refresh));
    try {
      sleepUntil(concurrentFrom + seconds * 200_000_000L);
      killAndRestart();
      sleepUntil(Math.max(System.nanoTime() + 5_000_000_000L, concurrentFrom + seconds * 600_000_000L));
      replaceTheModel();
      // queries and ingest go on for a while with the new model, however long the restart took
      deadline = Math.max(deadline, reloadUntil + 15_000_000_000L);
    } finally {
      sleepUntil(deadline);
      stop.set(true);
      for (Thread t : workers) {
        t.join(TIMEOUT.toMillis() * 2);
        check(!t.isAlive(), "worker " + t.getName() + " ended");
      }
    }
    long concurrentTo = System.nanoTime();
    checkEverything(concurrentFrom, concurrentTo, heapStart, begin);
  }

  /** A worker thread, started; what it throws is recorded as an error. */
  private Thread worker(String name, ThrowingRunnable body) {
    Thread t = new Thread(() -> {
      try {
        body.run();
      } catch (Exception | Error e) {
        ledger.error("worker " + name + " stopped: " + e);
      }
    }, name);
    t.start();
    return t;
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  // --- setting up ---------------------------------------------------------------------------------------------------

  private void setUp() throws Exception {
    JsonObject models = json(call(0, "GET", "/_plugins/bicmr/models", null, 200));
    check(models.getAsJsonObject("models").getAsJsonObject("tiny").get("version").getAsString().equals("1"),
        "the tiny bundle, version 1, is served: " + models);
    call(0, "PUT", "/soak", "{\"settings\": {\"number_of_shards\": 3, \"number_of_replicas\": 1}, \"mappings\": "
        + "{\"properties\": {\"group\": {\"type\": \"keyword\"}, \"caption\": {\"type\": \"keyword\", \"index\": false}, "
        + "\"tags\": {\"type\": \"keyword\", \"index\": false}, \"features\": {\"type\": \"float\", \"index\": false}, "
        + "\"sentence_code\": {\"type\": \"bicmr_code\", \"bits\": 64, \"model\": \"bicmr-default\"}, "
        + "\"tag_code\": {\"type\": \"bicmr_code\", \"bits\": 16, \"model\": \"tiny\"}, "
        + "\"image_code\": {\"type\": \"bicmr_code\", \"bits\": 16, \"model\": \"tiny\"}}}}", 200);
    call(0, "PUT", "/_ingest/pipeline/soak", "{\"processors\": ["
        + "{\"bicmr_hash\": {\"model\": \"bicmr-default\", \"field\": \"caption\", \"target_field\": \"sentence_code\", "
        + "\"batch_size\": " + BULK + "}}, "
        + "{\"bicmr_hash\": {\"model\": \"tiny\", \"field\": \"tags\", \"target_field\": \"tag_code\", \"batch_size\": "
        + BULK + "}}, "
        + "{\"bicmr_hash\": {\"model\": \"tiny\", \"modality\": \"image\", \"field\": \"features\", \"target_field\": "
        + "\"image_code\", \"batch_size\": " + BULK + "}}]}", 200);
    call(0, "GET", "/_cluster/health/soak?wait_for_status=green&timeout=60s", null, 200);
    Random random = new Random(1);
    for (int i = 0; i < BASE_DOCS / BULK; i++) {
      bulk(0, "base", random, i, false);
    }
    long refreshStart = System.nanoTime();
    call(0, "POST", "/soak/_refresh", null, 200);
    ledger.refreshes.add(new SoakLedger.Refresh(refreshStart, System.nanoTime()));
    check(ledger.errors.isEmpty(), "the base load: " + ledger.errors);
    check(ledger.acked.size() == BASE_DOCS, "base documents acknowledged: " + ledger.acked.size());
    System.out.println("soak: index soak (3 primaries, 1 replica) on 2 nodes, " + BASE_DOCS + " base documents");
  }

  // --- the workers --------------------------------------------------------------------------------------------------

  private void ingest(int worker) {
    Random random = new Random(100 + worker);
    int seq = 0;
    while (!stop.get()) { // stopped by the main thread at the deadline, which a slow restart moves later
      bulk(pick(random), "w" + worker, random, seq++, true);
    }
  }

  /** Sends one bulk of {@link #BULK} new documents through the pipeline to node {@code n}; records what came back. */
  private void bulk(int n, String prefix, Random random, int seq, boolean live) {
    int bulkId = ledger.newBulk();
    List<String> ids = new ArrayList<>();
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < BULK; i++) {
      String id = prefix + "-" + seq + "-" + i;
      String caption = WORDS.get(random.nextInt(WORDS.size())) + " " + WORDS.get(random.nextInt(WORDS.size())) + " "
          + WORDS.get(random.nextInt(WORDS.size()));
      String tags = TAGS.get(random.nextInt(TAGS.size())) + " " + TAGS.get(random.nextInt(TAGS.size()));
      float[] features = new float[6];
      for (int j = 0; j < features.length; j++) {
        features[j] = (float) random.nextGaussian();
      }
      int group = random.nextInt(GROUPS);
      ledger.sent.put(id, new SoakLedger.Doc(id, group, caption, tags, features, bulkId));
      ids.add(id);
      body.append("{\"index\": {\"_index\": \"soak\", \"_id\": \"").append(id).append("\"}}\n")
          .append("{\"group\": \"g").append(group).append("\", \"caption\": \"").append(caption)
          .append("\", \"tags\": \"").append(tags).append("\", \"features\": ").append(RealNodeHttp.array(features))
          .append("}\n");
    }
    long sent = System.nanoTime();
    boolean allAcked = false;
    try {
      HttpResponse<String> response = nodes[n].send("POST", "/_bulk?pipeline=soak", body.toString(), TIMEOUT);
      long answered = System.nanoTime();
      if (response.statusCode() != 200) {
        ledger.error("bulk to " + names[n] + ": " + response.statusCode() + " " + cut(response.body()));
      } else {
        allAcked = true;
        for (JsonElement item : json(response.body()).getAsJsonArray("items")) {
          JsonObject index = item.getAsJsonObject().getAsJsonObject("index");
          int status = index.get("status").getAsInt();
          String id = index.get("_id").getAsString();
          if (status == 200 || status == 201) {
            ledger.acked.put(id, answered);
            ledger.replicated.put(id, index.getAsJsonObject("_shards").get("successful").getAsInt() == 2);
          } else {
            allAcked = false;
            ledger.error("bulk item " + id + " via " + names[n] + ": " + status + " " + cut(index.toString()));
          }
        }
      }
      ledger.bulks.add(new SoakLedger.Bulk(bulkId, ids, sent, answered, allAcked));
    } catch (Exception e) {
      ledger.error("bulk to " + names[n] + ": " + e);
      ledger.bulks.add(new SoakLedger.Bulk(bulkId, ids, sent, System.nanoTime(), false));
    }
    if (!live && !allAcked) {
      throw new IllegalStateException("a base bulk failed: " + ledger.errors);
    }
  }

  private void query(int worker) {
    Random random = new Random(200 + worker);
    while (!stop.get()) { // stopped by the main thread at the deadline, which a slow restart moves later
      SoakQuery q = randomQuery(random);
      int n = pick(random);
      q.node = names[n];
      q.start = System.nanoTime();
      try {
        HttpResponse<String> response = nodes[n].send("POST", "/soak/_search", q.body(), TIMEOUT);
        q.end = System.nanoTime();
        JsonObject answer = json(response.body());
        if (response.statusCode() != 200) {
          q.failure = response.statusCode() + " " + cut(response.body());
        } else if (answer.getAsJsonObject("_shards").get("failed").getAsInt() > 0 || answer.get("timed_out")
            .getAsBoolean()) {
          q.failure = "partial: " + cut(answer.getAsJsonObject("_shards").toString());
        } else {
          List<String> ids = new ArrayList<>();
          List<Integer> distances = new ArrayList<>();
          JsonObject hits = answer.getAsJsonObject("hits");
          for (JsonElement hit : hits.getAsJsonArray("hits")) {
            ids.add(hit.getAsJsonObject().get("_id").getAsString());
            distances.add(Math.round(1 / hit.getAsJsonObject().get("_score").getAsFloat() - 1));
          }
          q.ids = ids;
          q.distances = distances;
          q.totalHits = hits.getAsJsonObject("total").get("value").getAsLong();
        }
      } catch (Exception e) {
        q.end = System.nanoTime();
        q.failure = e.toString();
      }
      if (q.failure != null) {
        ledger.error("query via " + q.node + ": " + q.failure + " — " + q.body());
      }
      queries.add(q);
    }
  }

  private static SoakQuery randomQuery(Random random) {
    int group = random.nextBoolean() ? random.nextInt(GROUPS) : -1;
    String words = WORDS.get(random.nextInt(WORDS.size())) + " " + WORDS.get(random.nextInt(WORDS.size()));
    float[] features = new float[6];
    for (int j = 0; j < features.length; j++) {
      features[j] = (float) random.nextGaussian();
    }
    return switch (random.nextInt(7)) {
      case 0 -> new SoakQuery(SoakQuery.Kind.TEXT, words, null, null, K, -1, group);
      case 1 -> new SoakQuery(SoakQuery.Kind.TEXT, words, null, null, 0, 8, random.nextInt(GROUPS)); // radius
      case 2 -> new SoakQuery(SoakQuery.Kind.TEXT, words, null, null, K, 12, group); // top k within a radius
      case 3 -> {
        byte[] code = new byte[8];
        random.nextBytes(code);
        yield new SoakQuery(SoakQuery.Kind.CODE, null, null, HashCode.fromBytes(code).toHex(), K, -1, group);
      }
      case 4 -> new SoakQuery(SoakQuery.Kind.IMAGE, null, features, null, K, -1, group);
      case 5 -> new SoakQuery(SoakQuery.Kind.IMAGE, null, features, null, 0, 2, random.nextInt(GROUPS));
      default -> new SoakQuery(SoakQuery.Kind.TAGS, TAGS.get(random.nextInt(TAGS.size())) + " "
          + TAGS.get(random.nextInt(TAGS.size())), null, null, K, -1, random.nextInt(GROUPS));
    };
  }

  private void refresh() throws InterruptedException {
    Random random = new Random(300);
    while (!stop.get()) { // stopped by the main thread at the deadline, which a slow restart moves later
      Thread.sleep(1000);
      int n = pick(random);
      long start = System.nanoTime();
      try {
        HttpResponse<String> response = nodes[n].send("POST", "/soak/_refresh", null, TIMEOUT);
        if (response.statusCode() == 200 && json(response.body()).getAsJsonObject("_shards").get("failed")
            .getAsInt() == 0) {
          ledger.refreshes.add(new SoakLedger.Refresh(start, System.nanoTime()));
        } else {
          ledger.error("refresh via " + names[n] + ": " + response.statusCode() + " " + cut(response.body()));
        }
      } catch (Exception e) {
        ledger.error("refresh via " + names[n] + ": " + e);
      }
    }
  }

  /** A node that is up (not killed and not restarting), at random. */
  private int pick(Random random) {
    int n = random.nextInt(2);
    return up[n].get() ? n : 1 - n;
  }

  // --- the kill and the reload --------------------------------------------------------------------------------------

  /** Kills the node that is not the cluster manager mid-ingest, restarts it, waits until the cluster is green. */
  private void killAndRestart() throws Exception {
    String manager = json("{\"a\": " + call(0, "GET", "/_cat/cluster_manager?format=json", null, 200) + "}")
        .getAsJsonArray("a").get(0).getAsJsonObject().get("node").getAsString();
    int victim = manager.equals(names[0]) ? 1 : 0;
    int survivor = 1 - victim;
    String voting = call(survivor, "GET", "/_cluster/state/metadata?filter_path=metadata.cluster_coordination."
        + "last_committed_config", null, 200);
    System.out.println("soak: cluster manager " + manager + ", voting configuration " + voting + "; killing "
        + names[victim] + " (kill -9) mid-ingest");
    downFrom = System.nanoTime();
    node("kill", victim);
    up[victim].set(false); // requests in flight to it fail; new ones go to the survivor
    Thread.sleep(5_000);
    node("start", victim);
    long startBy = System.nanoTime() + 240_000_000_000L;
    while (System.nanoTime() < startBy && !health(survivor, "wait_for_nodes=2&wait_for_status=green&timeout=5s")) {
      Thread.sleep(500);
    }
    check(health(survivor, "wait_for_nodes=2&wait_for_status=green&timeout=5s"), names[victim]
        + " restarted and the cluster is green again");
    up[victim].set(true);
    downUntil = System.nanoTime();
    System.out.printf(Locale.ROOT, "soak: %s back, cluster green, %.1f s after the kill%n", names[victim],
        (downUntil - downFrom) / 1e9);
  }

  private boolean health(int n, String params) {
    try {
      HttpResponse<String> r = nodes[n].send("GET", "/_cluster/health/soak?" + params, null, TIMEOUT);
      return r.statusCode() == 200 && r.body().contains("\"status\":\"green\"")
          && r.body().contains("\"number_of_nodes\":2");
    } catch (Exception e) {
      return false;
    }
  }

  private void node(String what, int n) throws Exception {
    Process p = new ProcessBuilder("bash", work.resolve("node.sh").toString(), what, String.valueOf(n + 1))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    check(p.waitFor() == 0, "node.sh " + what + " " + (n + 1) + ": " + out);
  }

  /**
   * Puts tiny-bundle-v2 in place of {@code tiny} in both nodes' models directories (copied under a hidden name, the
   * old directory renamed away, the new one renamed into place) and calls the reload, while queries and ingest run.
   */
  private void replaceTheModel() throws Exception {
    for (int n = 1; n <= 2; n++) {
      Path models = work.resolve("config" + n).resolve("bicmr").resolve("models");
      Path staging = models.resolve(".tiny.new");
      Files.createDirectories(staging);
      try (var files = Files.list(work.resolve("tiny-v2"))) {
        for (Path f : files.toList()) {
          Files.copy(f, staging.resolve(f.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      Files.move(models.resolve("tiny"), models.resolve(".tiny.old"), StandardCopyOption.ATOMIC_MOVE);
      Files.move(staging, models.resolve("tiny"), StandardCopyOption.ATOMIC_MOVE);
      try (var old = Files.walk(models.resolve(".tiny.old"))) {
        for (Path p : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    reloadFrom = System.nanoTime();
    JsonObject reload = json(call(0, "POST", "/_plugins/bicmr/models/_reload", null, 200));
    reloadUntil = System.nanoTime();
    check(reload.getAsJsonObject("_nodes").get("successful").getAsInt() == 2, "reloaded on both nodes: " + reload);
    for (var node : reload.getAsJsonObject("nodes").entrySet()) {
      JsonObject tiny = node.getValue().getAsJsonObject().getAsJsonObject("models").getAsJsonObject("tiny");
      check(tiny.get("version").getAsString().equals("2") && tiny.get("status").getAsString().equals("loaded"),
          "tiny version 2 loaded on " + node.getValue().getAsJsonObject().get("name") + ": " + reload);
    }
    System.out.printf(Locale.ROOT, "soak: tiny replaced by version 2 on both nodes and reloaded in %.0f ms while "
        + "queries ran: %s%n", (reloadUntil - reloadFrom) / 1e6, reload);
  }

  // --- the checks ---------------------------------------------------------------------------------------------------

  private void checkEverything(long from, long to, Map<String, Long> heapStart, long begin) throws Exception {
    check(health(0, "wait_for_nodes=2&wait_for_status=green&timeout=60s"), "the cluster is green at the end");
    call(0, "POST", "/soak/_refresh", null, 200);
    InferenceOptions cpu = new InferenceOptions(InferenceDevice.CPU, 1);
    Path fixtures = Path.of("onnx-models/src/test/resources/org/bicmr/onnx");
    try (ModelBundle sentence = ModelBundle.loadDefault(cpu);
        ModelBundle v1 = ModelBundle.load(fixtures.resolve("tiny-bundle"), cpu);
        ModelBundle v2 = ModelBundle.load(fixtures.resolve("tiny-bundle-v2"), cpu)) {
      SoakQuery.Corpus corpus = fetchAll();
      Map<String, Integer> index = new HashMap<>();
      for (int i = 0; i < corpus.ids().length; i++) {
        index.put(corpus.ids()[i], i);
      }
      // no acknowledged document lost; nothing the soak did not send
      List<String> lost = new ArrayList<>();
      for (String id : ledger.acked.keySet()) {
        if (!index.containsKey(id)) {
          lost.add(id);
        }
      }
      for (String id : corpus.ids()) {
        check(ledger.sent.containsKey(id), "document " + id + " was sent by the soak");
      }
      long replicated = ledger.replicated.values().stream().filter(b -> b).count();
      int unacked = corpus.ids().length - (ledger.acked.size() - lost.size());
      System.out.printf(Locale.ROOT, "soak: %d documents in the index; %d acknowledged (%d by both copies, %d by the "
          + "primary alone while a node was away), %d lost; %d present without an acknowledgement (in flight at the "
          + "kill)%n", corpus.ids().length, ledger.acked.size(), replicated, ledger.acked.size() - replicated,
          lost.size(), unacked);
      check(lost.isEmpty(), "acknowledged documents lost: " + lost.subList(0, Math.min(10, lost.size())));

      int[] docVersions = checkDocumentCodes(corpus, index, sentence.encoder(), v1.encoder(), v2.encoder());
      int[] queryVersions = checkQueries(corpus, index, sentence.encoder(), v1.encoder(), v2.encoder());
      int exact = finalQueries(corpus, index, sentence.encoder(), v2.encoder());

      // errors: none outside the killed node's absence
      List<String> outside = new ArrayList<>();
      int inside = 0;
      synchronized (ledger.errors) {
        for (SoakLedger.Error e : ledger.errors) {
          if (e.time() >= downFrom && e.time() <= downUntil) {
            inside++;
          } else {
            outside.add(e.what());
          }
        }
      }
      Map<String, Long> heapEnd = heaps();
      report(from, to, corpus.ids().length, inside, outside, heapStart, heapEnd, docVersions, queryVersions, exact,
          begin);
      check(outside.isEmpty(), outside.size() + " errors outside the killed node's absence: "
          + outside.subList(0, Math.min(10, outside.size())));
      for (String node : heapStart.keySet()) {
        long bound = heapStart.get(node) * 3 / 2 + (32L << 20);
        check(heapEnd.get(node) <= bound, "heap of " + node + " after the soak and a full GC: " + mb(heapEnd.get(node))
            + ", more than 1.5 × its start + 32 MB = " + mb(bound));
      }
    }
  }

  /** Every document of the index: id, group and codes, through a scroll (bounded by the number sent). */
  private SoakQuery.Corpus fetchAll() throws Exception {
    List<String> ids = new ArrayList<>();
    List<int[]> groups = new ArrayList<>();
    List<long[]> codes = new ArrayList<>();
    JsonObject page = json(call(0, "POST", "/soak/_search?scroll=2m", "{\"size\": 5000, \"sort\": [\"_doc\"], "
        + "\"_source\": [\"group\", \"sentence_code\", \"tag_code\", \"image_code\"]}", 200));
    int pages = ledger.sent.size() / 5000 + 2;
    for (int p = 0; p < pages; p++) {
      JsonArray hits = page.getAsJsonObject("hits").getAsJsonArray("hits");
      if (hits.isEmpty()) {
        break;
      }
      for (JsonElement h : hits) {
        JsonObject hit = h.getAsJsonObject();
        JsonObject source = hit.getAsJsonObject("_source");
        ids.add(hit.get("_id").getAsString());
        groups.add(new int[] {Integer.parseInt(source.get("group").getAsString().substring(1))});
        codes.add(new long[] {Long.parseUnsignedLong(source.get("sentence_code").getAsString(), 16),
            Long.parseLong(source.get("tag_code").getAsString(), 16),
            Long.parseLong(source.get("image_code").getAsString(), 16)});
      }
      page = json(call(0, "POST", "/_search/scroll", "{\"scroll\": \"2m\", \"scroll_id\": \""
          + page.get("_scroll_id").getAsString() + "\"}", 200));
    }
    call(0, "DELETE", "/_search/scroll", "{\"scroll_id\": \"" + page.get("_scroll_id").getAsString() + "\"}", 200);
    int n = ids.size();
    int[] group = new int[n];
    long[] sentence = new long[n];
    long[] tag = new long[n];
    long[] image = new long[n];
    long[] ackedAt = new long[n];
    for (int i = 0; i < n; i++) {
      group[i] = groups.get(i)[0];
      sentence[i] = codes.get(i)[0];
      tag[i] = codes.get(i)[1];
      image[i] = codes.get(i)[2];
      ackedAt[i] = ledger.acked.getOrDefault(ids.get(i), Long.MAX_VALUE);
    }
    return new SoakQuery.Corpus(ids.toArray(new String[0]), group, sentence, tag, image, ackedAt);
  }

  /**
   * Each document's tiny codes (tags and image) come from version 1 or version 2, the same for all documents of a
   * bulk (version 1 for bulks answered before the reload, version 2 for bulks sent after it); its sentence code is the
   * default model's (checked on a sample of 1,000). Returns the bulks by version: 1, 2, either.
   */
  private int[] checkDocumentCodes(SoakQuery.Corpus corpus, Map<String, Integer> index, HashEncoder sentence,
      HashEncoder v1, HashEncoder v2) {
    Map<Integer, List<String>> byBulk = new HashMap<>();
    for (String id : corpus.ids()) {
      byBulk.computeIfAbsent(ledger.sent.get(id).bulk(), b -> new ArrayList<>()).add(id);
    }
    Map<Integer, SoakLedger.Bulk> bulks = new HashMap<>();
    synchronized (ledger.bulks) {
      for (SoakLedger.Bulk b : ledger.bulks) {
        bulks.put(b.id(), b);
      }
    }
    int[] versions = new int[3];
    for (var e : byBulk.entrySet()) {
      boolean one = true;
      boolean two = true;
      for (String id : e.getValue()) {
        SoakLedger.Doc doc = ledger.sent.get(id);
        int i = index.get(id);
        long tag = corpus.tag()[i];
        long image = corpus.image()[i];
        boolean isOne = tag == code(v1.encodeText(doc.tags())) && image == code(v1.encodeImage(doc.features()));
        boolean isTwo = tag == code(v2.encodeText(doc.tags())) && image == code(v2.encodeImage(doc.features()));
        check(isOne || isTwo, "document " + id + ": tag and image codes of one tiny version");
        one &= isOne;
        two &= isTwo;
      }
      check(one || two, "bulk " + e.getKey() + ": all its documents encoded by one tiny version");
      SoakLedger.Bulk b = bulks.get(e.getKey());
      if (b.answered() < reloadFrom) {
        check(one, "bulk " + e.getKey() + " answered before the reload: version 1");
      }
      if (b.sent() > reloadUntil) {
        check(two, "bulk " + e.getKey() + " sent after the reload: version 2");
      }
      versions[one && two ? 2 : one ? 0 : 1]++;
    }
    Random random = new Random(5);
    List<String> sample = new ArrayList<>();
    for (int s = 0; s < 1000; s++) {
      sample.add(corpus.ids()[random.nextInt(corpus.ids().length)]);
    }
    List<HashCode> expected = sentence.encodeTexts(sample.stream().map(id -> ledger.sent.get(id).caption()).toList());
    for (int s = 0; s < sample.size(); s++) {
      check(corpus.sentence()[index.get(sample.get(s))] == code(expected.get(s)), "document " + sample.get(s)
          + ": its sentence code is the default model's");
    }
    return versions;
  }

  /**
   * Every query that answered, against the brute force over what was certainly searchable when it ran; text and
   * image queries of the tiny model with version 1's or version 2's code, entirely. Returns the tiny queries answered
   * by version 1 alone, by version 2 alone, by either (the same answer).
   */
  private int[] checkQueries(SoakQuery.Corpus corpus, Map<String, Integer> index, HashEncoder sentence,
      HashEncoder v1, HashEncoder v2) {
    Map<String, Long> sentenceCodes = new ConcurrentHashMap<>();
    int checked = 0;
    int[] versions = new int[3];
    List<SoakQuery> all;
    synchronized (queries) {
      all = new ArrayList<>(queries);
    }
    for (SoakQuery q : all) {
      if (q.ids == null) {
        continue;
      }
      long visible = ledger.visibleBefore(q.start);
      switch (q.kind) {
        case TEXT, CODE -> {
          long code = q.kind == SoakQuery.Kind.CODE ? Long.parseUnsignedLong(q.code, 16)
              : sentenceCodes.computeIfAbsent(q.text, t -> code(sentence.encodeText(t)));
          String wrong = q.check(corpus, index, code, visible);
          check(wrong == null, q + ": " + wrong);
        }
        case IMAGE, TAGS -> {
          long one = code(q.kind == SoakQuery.Kind.TAGS ? v1.encodeText(q.text) : v1.encodeImage(q.features));
          long two = code(q.kind == SoakQuery.Kind.TAGS ? v2.encodeText(q.text) : v2.encodeImage(q.features));
          String wrongOne = q.check(corpus, index, one, visible);
          String wrongTwo = q.check(corpus, index, two, visible);
          check(wrongOne == null || wrongTwo == null, q + ": neither version 1 (" + wrongOne + ") nor version 2 ("
              + wrongTwo + ")");
          if (q.end < reloadFrom) {
            check(wrongOne == null, q + " answered before the reload: version 1: " + wrongOne);
          }
          if (q.start > reloadUntil) {
            check(wrongTwo == null, q + " sent after the reload: version 2: " + wrongTwo);
          }
          versions[wrongOne == null && wrongTwo == null ? 2 : wrongOne == null ? 0 : 1]++;
        }
      }
      checked++;
    }
    System.out.printf(Locale.ROOT, "soak: %d of %d queries answered and agree with the brute force over what was "
        + "searchable; tiny queries by version 1 alone %d, by version 2 alone %d, alike %d%n", checked, all.size(),
        versions[0], versions[1], versions[2]);
    return versions;
  }

  /** After the soak, with everything searchable: 200 queries of every kind equal the brute force exactly. */
  private int finalQueries(SoakQuery.Corpus corpus, Map<String, Integer> index, HashEncoder sentence, HashEncoder v2)
      throws Exception {
    Random random = new Random(400);
    for (int i = 0; i < 200; i++) {
      SoakQuery q = randomQuery(random);
      q.node = names[i % 2];
      JsonObject answer = json(call(i % 2, "POST", "/soak/_search", q.body(), 200));
      check(answer.getAsJsonObject("_shards").get("failed").getAsInt() == 0, "final query: no shard failed");
      q.ids = new ArrayList<>();
      q.distances = new ArrayList<>();
      for (JsonElement hit : answer.getAsJsonObject("hits").getAsJsonArray("hits")) {
        q.ids.add(hit.getAsJsonObject().get("_id").getAsString());
        q.distances.add(Math.round(1 / hit.getAsJsonObject().get("_score").getAsFloat() - 1));
      }
      q.totalHits = answer.getAsJsonObject("hits").getAsJsonObject("total").get("value").getAsLong();
      long code = switch (q.kind) {
        case TEXT -> code(sentence.encodeText(q.text));
        case CODE -> Long.parseUnsignedLong(q.code, 16);
        case TAGS -> code(v2.encodeText(q.text));
        case IMAGE -> code(v2.encodeImage(q.features));
      };
      String wrong = q.check(corpus, index, code, Long.MAX_VALUE);
      check(wrong == null, "final " + q + ": " + wrong);
    }
    System.out.println("soak: after the soak, 200 queries of every kind equal the brute force exactly");
    return 200;
  }

  // --- figures --------------------------------------------------------------------------------------------------------

  private void report(long from, long to, int docs, int errorsInside, List<String> errorsOutside,
      Map<String, Long> heapStart, Map<String, Long> heapEnd, int[] docVersions, int[] queryVersions, int exact,
      long begin) {
    double seconds = (to - from) / 1e9;
    long liveAcked = ledger.acked.size() - BASE_DOCS;
    List<Long> latencies = new ArrayList<>();
    Map<SoakQuery.Kind, Integer> byKind = new java.util.EnumMap<>(SoakQuery.Kind.class);
    int answered = 0;
    synchronized (queries) {
      for (SoakQuery q : queries) {
        if (q.ids != null) {
          latencies.add(q.end - q.start);
          byKind.merge(q.kind, 1, Integer::sum);
          answered++;
        }
      }
    }
    Collections.sort(latencies);
    System.out.println();
    System.out.println("=== soak figures ===");
    System.out.printf(Locale.ROOT, "concurrent phase: %.1f s (2 ingest workers, bulks of %d; 2 query workers; a "
        + "refresh a second)%n", seconds, BULK);
    System.out.printf(Locale.ROOT, "ingest: %d documents acknowledged, %.0f docs/s through the 3-processor pipeline "
        + "(%d base documents before)%n", liveAcked, liveAcked / seconds, BASE_DOCS);
    System.out.printf(Locale.ROOT, "queries: %d answered (%s), %.1f/s; HTTP p50 %.1f ms, p99 %.1f ms; all agree with "
        + "the brute force; %d more exact after the soak%n", answered, byKind, answered / seconds,
        percentile(latencies, 0.50) / 1e6, percentile(latencies, 0.99) / 1e6, exact);
    System.out.printf(Locale.ROOT, "kill -9 of a node mid-ingest: away %.1f s until green; %d requests or items failed "
        + "in that time (not acknowledged, so none of them counts as lost)%n", (downUntil - downFrom) / 1e9,
        errorsInside);
    System.out.printf(Locale.ROOT, "model reload while queries ran: bulks by tiny version 1 / 2 / either: %s; queries "
        + "%s%n", Arrays.toString(docVersions), Arrays.toString(queryVersions));
    System.out.printf(Locale.ROOT, "errors outside the node's absence: %d; documents in the index %d, acknowledged "
        + "documents lost 0%n", errorsOutside.size(), docs);
    System.out.println("heap after a full GC, start → end: " + mb(heapStart) + " → " + mb(heapEnd));
    System.out.printf(Locale.ROOT, "whole run (set-up, soak, checks): %.0f s%n", (System.nanoTime() - begin) / 1e9);
  }

  private static long percentile(List<Long> sorted, double p) {
    return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }

  /** Each node's heap in use after a settle period and a full GC ({@code jcmd GC.run} through node.sh). */
  private Map<String, Long> heaps() throws Exception {
    Thread.sleep(10_000);
    node("gc", 0);
    node("gc", 1);
    Thread.sleep(1_000);
    JsonObject stats = json(call(0, "GET", "/_nodes/stats/jvm", null, 200)).getAsJsonObject("nodes");
    Map<String, Long> heap = new java.util.TreeMap<>();
    for (var node : stats.entrySet()) {
      JsonObject n = node.getValue().getAsJsonObject();
      heap.put(n.get("name").getAsString(), n.getAsJsonObject("jvm").getAsJsonObject("mem").get("heap_used_in_bytes")
          .getAsLong());
    }
    return heap;
  }

  private static String mb(Map<String, Long> heap) {
    StringBuilder s = new StringBuilder();
    heap.forEach((node, bytes) -> s.append(s.isEmpty() ? "" : ", ").append(node).append(' ').append(mb(bytes)));
    return s.toString();
  }

  private static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.0f MB", bytes / 1048576.0);
  }

  // --- plumbing -------------------------------------------------------------------------------------------------------

  private static long code(HashCode code) {
    return Long.parseUnsignedLong(code.toHex(), 16);
  }

  private static void sleepUntil(long time) throws InterruptedException {
    long left;
    while ((left = time - System.nanoTime()) > 0) {
      Thread.sleep(Math.max(1, Math.min(1000, left / 1_000_000)));
    }
  }

  private String call(int n, String method, String path, String body, int status) throws Exception {
    HttpResponse<String> response = nodes[n].send(method, path, body, TIMEOUT);
    check(response.statusCode() == status, method + " " + path + " via " + names[n] + ": expected " + status
        + ", got " + response.statusCode() + " " + cut(response.body()));
    return response.body();
  }

  private static JsonObject json(String body) {
    return JsonParser.parseString(body).getAsJsonObject();
  }

  private static String cut(String s) {
    return s.length() <= 400 ? s : s.substring(0, 400) + "…";
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("FAILED: " + what);
    }
  }
}
