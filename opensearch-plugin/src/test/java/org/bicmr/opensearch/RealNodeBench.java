package org.bicmr.opensearch;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.bicmr.codes.HashCode;
import org.bicmr.lucene.HashCodeField;
import org.bicmr.onnx.HashEncoder;
import org.bicmr.onnx.InferenceDevice;
import org.bicmr.onnx.InferenceOptions;
import org.bicmr.onnx.ModelBundle;

/**
 * The plugin's speed on a real node against in-process references measured in the same run (run by {@code
 * src/test/real-node/run.sh bench}): ingest through the {@code bicmr_hash} pipeline (docs/s) vs {@code HashEncoder}
 * alone (texts/s); {@code bicmr_hamming} text-query latency over HTTP on n documents vs one encode plus one Lucene
 * scan of the same codes in this JVM, and beside it the same search with the code given (OpenSearch's own REST and
 * search path without encoding). Prints a Markdown table. By default the node's default bundle; given a bundle
 * directory (installed on the node under its manifest's name by {@code run.sh}), that bundle, e.g. a bag-of-words one.
 */
public final class RealNodeBench {
  private static final List<String> WORDS = List.of("sunset", "beach", "sea", "dog", "puppy", "cat", "snow",
      "mountain", "night", "city", "lights", "flower", "macro", "baby", "car", "portrait", "girl", "clouds", "sky",
      "tree", "lake", "river", "food", "bird", "water", "street", "bridge", "garden", "winter", "summer");
  /** Bulk requests in flight at once in the concurrent ingest measure. */
  private static final int CONCURRENT_CLIENTS = 4;
  /**
   * Unmeasured rounds of every ingest phase before the measured ones: the node's throughput still rises through the
   * second round of a bag-of-words bench (the JIT compiling its indexing and ingest paths).
   */
  private static final int WARMUP_ROUNDS = 2;
  /** Measured rounds of every ingest phase, odd so that the median ({@code pct(…, 50)}) is one of them. */
  private static final int ROUNDS = 5;
  private static RealNodeHttp node;
  private static String model;
  private static int bits;

  private RealNodeBench() {}

  public static void main(String[] args) throws Exception {
    node = new RealNodeHttp(args[0]);
    int ingestDocs = Integer.parseInt(args[1]);
    int searchDocs = Integer.parseInt(args[2]);
    int queries = Integer.parseInt(args[3]);
    Random random = new Random(42);
    InferenceOptions options = new InferenceOptions(InferenceDevice.CPU, 0);
    try (ModelBundle bundle = args.length > 4 ? ModelBundle.load(Path.of(args[4]), options)
        : ModelBundle.loadDefault(options)) {
      HashEncoder encoder = bundle.encoder();
      model = bundle.name();
      bits = bundle.bits();
      System.out.println("bundle " + model + " version " + bundle.version() + ", " + bits + " bits, text feature: "
          + bundle.textFeature());
      List<String> captions = new ArrayList<>();
      for (int i = 0; i < ingestDocs; i++) {
        captions.add(caption(random));
      }

      // reference 1: the encoder alone, batches of 64 as the pipeline uses, after one unmeasured pass over the texts
      encodeInBatches(encoder, captions);
      long t0 = System.nanoTime();
      encodeInBatches(encoder, captions);
      double encoderPerSecond = ingestDocs / ((System.nanoTime() - t0) / 1e9);

      // the pipeline, bulk requests of 500 documents; the same documents with precomputed codes without a pipeline
      // (indexing alone) and through a one-`set` pipeline (the ingest framework alone); each one request at a time
      // and with several in flight, as ingest clients send them (Logstash, Data Prepper). Every phase runs
      // WARMUP_ROUNDS times unmeasured, then ROUNDS times in rotated order; the median of its rounds is reported.
      call("PUT", "/_ingest/pipeline/hash", "{\"processors\": [{\"bicmr_hash\": {\"model\": \"" + model + "\", "
          + "\"modality\": \"text\", \"field\": \"caption\", \"target_field\": \"caption_code\", \"batch_size\": 64}}]}");
      call("PUT", "/_ingest/pipeline/noop", "{\"processors\": [{\"set\": {\"field\": \"seen\", \"value\": true}}]}");
      List<HashCode> precomputed = encoder.encodeTexts(captions);
      List<Phase> phases = List.of(new Phase("pipeline", "hash", null, 1), new Phase("plain", null, precomputed, 1),
          new Phase("framework", "noop", precomputed, 1), new Phase("pipeline-concurrent", "hash", null,
              CONCURRENT_CLIENTS), new Phase("plain-concurrent", null, precomputed, CONCURRENT_CLIENTS),
          new Phase("framework-concurrent", "noop", precomputed, CONCURRENT_CLIENTS));
      for (int round = 0; round < WARMUP_ROUNDS; round++) {
        for (Phase phase : phases) {
          ingest("warm-" + phase.name() + "-" + round, phase, captions);
        }
      }
      double[][] rates = new double[phases.size()][ROUNDS];
      long[] pipelineEncodes = new long[3]; // what the one-at-a-time pipeline rounds encoded: the node's counters
      double pipelineSeconds = 0;
      for (int round = 0; round < ROUNDS; round++) {
        for (int j = 0; j < phases.size(); j++) {
          int p = (j + round) % phases.size();
          long[] before = p == 0 ? ingestEncodeStats() : null;
          rates[p][round] = ingest(phases.get(p).name() + "-" + round, phases.get(p), captions);
          if (p == 0) {
            long[] after = ingestEncodeStats();
            for (int k = 0; k < 3; k++) {
              pipelineEncodes[k] += after[k] - before[k];
            }
            pipelineSeconds += ingestDocs / rates[p][round];
          }
        }
      }
      for (int p = 0; p < phases.size(); p++) {
        System.out.printf(Locale.ROOT, "ingest %s: %s docs/s%n", phases.get(p).name(), Arrays.stream(rates[p])
            .mapToObj(r -> String.format(Locale.ROOT, "%,.0f", r)).toList());
        Arrays.sort(rates[p]);
      }
      double pipelinePerSecond = pct(rates[0], 50);
      double plainPerSecond = pct(rates[1], 50);
      double noopPerSecond = pct(rates[2], 50);
      double pipelineConcurrent = pct(rates[3], 50);
      double plainConcurrent = pct(rates[4], 50);
      double noopConcurrent = pct(rates[5], 50);
      String ingestEncoding = String.format(Locale.ROOT, "| ingest, encoding on the node (one request at a time) | "
          + "%,d calls for %,d texts, %,.0f ms (%.1f µs a text) | the pipeline's wall time %,.0f ms (%.1f µs a "
          + "document) | %.2f |", pipelineEncodes[0], pipelineEncodes[1], pipelineEncodes[2] / 1e3,
          pipelineEncodes[2] / (double) pipelineEncodes[1], pipelineSeconds * 1e3, 1e6 * pipelineSeconds
              / (ROUNDS * ingestDocs), pipelineEncodes[2] / 1e6 / pipelineSeconds);

      // n documents with random codes, indexed directly (no pipeline), and the same codes in a local index
      call("PUT", "/search", "{\"settings\": {\"number_of_shards\": 1, \"number_of_replicas\": 0, "
          + "\"refresh_interval\": \"-1\"}, \"mappings\": {\"properties\": {\"caption_code\": {\"type\": "
          + "\"bicmr_code\", \"bits\": " + bits + ", \"model\": \"" + model + "\"}}}}");
      ByteBuffersDirectory local = new ByteBuffersDirectory();
      try (IndexWriter writer = new IndexWriter(local, new IndexWriterConfig().setRAMBufferSizeMB(256))) {
        byte[] bytes = new byte[bits / 8];
        for (int from = 0; from < searchDocs; from += 5000) {
          StringBuilder bulk = new StringBuilder();
          for (int i = from; i < Math.min(searchDocs, from + 5000); i++) {
            random.nextBytes(bytes);
            HashCode code = HashCode.fromBytes(bytes);
            bulk.append("{\"index\": {\"_index\": \"search\"}}\n{\"caption_code\": \"").append(code.toHex())
                .append("\"}\n");
            Document doc = new Document();
            doc.add(new HashCodeField("caption_code", code));
            writer.addDocument(doc);
          }
          call("POST", "/_bulk", bulk.toString());
        }
        writer.forceMerge(1);
      }
      call("POST", "/search/_forcemerge?max_num_segments=1", null);
      call("POST", "/search/_refresh", null);

      List<String> texts = new ArrayList<>();
      for (int i = 0; i < queries; i++) {
        texts.add(caption(random));
      }
      double[] http = new double[queries];
      double[] took = new double[queries];
      double[] reference = new double[queries];
      double[] codeHttp = new double[queries];
      try (DirectoryReader reader = DirectoryReader.open(local)) {
        IndexSearcher searcher = new IndexSearcher(reader);
        for (int round = 0; round < 2; round++) { // round 0 warms both paths up
          for (int i = 0; i < queries; i++) {
            String body = "{\"size\": 10, \"_source\": false, \"query\": {\"bicmr_hamming\": {\"caption_code\": "
                + "{\"text\": \"" + texts.get(i) + "\", \"model\": \"" + model + "\", \"k\": 10}}}}";
            long a = System.nanoTime();
            String response = call("POST", "/search/_search", body);
            http[i] = (System.nanoTime() - a) / 1e6;
            took[i] = JsonParser.parseString(response).getAsJsonObject().get("took").getAsDouble();
            long b = System.nanoTime();
            HashCode code = encoder.encodeText(texts.get(i));
            searcher.search(HashCodeField.newTopKQuery("caption_code", code, 10), 10);
            reference[i] = (System.nanoTime() - b) / 1e6;
            // the same search with the code given: OpenSearch's own REST and search path, no encoding
            String codeBody = "{\"size\": 10, \"_source\": false, \"query\": {\"bicmr_hamming\": {\"caption_code\": "
                + "{\"code\": \"" + code.toHex() + "\", \"k\": 10}}}}";
            long c = System.nanoTime();
            call("POST", "/search/_search", codeBody);
            codeHttp[i] = (System.nanoTime() - c) / 1e6;
          }
        }
      }
      Arrays.sort(http);
      Arrays.sort(took);
      Arrays.sort(reference);
      Arrays.sort(codeHttp);
      System.out.println();
      System.out.println("| measure | plugin on the node | in-process reference | ratio |");
      System.out.println("| --- | ---: | ---: | ---: |");
      System.out.printf(Locale.ROOT, "| ingest, %,d texts | %,.0f docs/s (bicmr_hash pipeline, bulk 500) | %,.0f texts/s "
          + "(HashEncoder, batches of 64) | %.2f |%n", ingestDocs, pipelinePerSecond, encoderPerSecond,
          pipelinePerSecond / encoderPerSecond);
      System.out.printf(Locale.ROOT, "| ingest, same texts | %,.0f docs/s (pipeline) | %,.0f docs/s (plain bulk, codes "
          + "precomputed) | %.2f |%n", pipelinePerSecond, plainPerSecond, pipelinePerSecond / plainPerSecond);
      System.out.printf(Locale.ROOT, "| ingest, same texts | %,.0f docs/s (pipeline) | %,.0f docs/s (a one-`set` "
          + "pipeline, codes precomputed) | %.2f |%n", pipelinePerSecond, noopPerSecond, pipelinePerSecond / noopPerSecond);
      System.out.printf(Locale.ROOT, "| text query p50, %,d docs | %.2f ms (HTTP round trip) | %.2f ms (encode + "
          + "Lucene scan) | %.2f |%n", searchDocs, pct(http, 50), pct(reference, 50), pct(http, 50) / pct(reference, 50));
      System.out.printf(Locale.ROOT, "| text query p99, %,d docs | %.2f ms | %.2f ms | %.2f |%n", searchDocs,
          pct(http, 99), pct(reference, 99), pct(http, 99) / pct(reference, 99));
      System.out.printf(Locale.ROOT, "| code query p50 (the same searches, code given) | %.2f ms (HTTP round trip) | "
          + "%.2f ms (text query HTTP p50) | %.2f |%n", pct(codeHttp, 50), pct(http, 50), pct(codeHttp, 50) / pct(http, 50));
      System.out.println(ingestEncoding);
      System.out.printf(Locale.ROOT, "| ingest, same texts, %d bulk requests at a time | %,.0f docs/s (pipeline) | %,.0f "
          + "docs/s (plain bulk, codes precomputed) | %.2f |%n", CONCURRENT_CLIENTS, pipelineConcurrent, plainConcurrent,
          pipelineConcurrent / plainConcurrent);
      System.out.printf(Locale.ROOT, "| ingest, same texts, %d bulk requests at a time | %,.0f docs/s (a one-`set` "
          + "pipeline, codes precomputed: the ingest framework alone) | %,.0f docs/s (plain bulk, codes precomputed) | "
          + "%.2f |%n", CONCURRENT_CLIENTS, noopConcurrent, plainConcurrent, noopConcurrent / plainConcurrent);
      System.out.printf(Locale.ROOT, "| text query p50 / p99, server side (\"took\", whole ms) | %.0f / %.0f ms | | |%n",
          pct(took, 50), pct(took, 99));
    }
  }

  /** The node's encode counters for ingest: calls, texts, microseconds. */
  private static long[] ingestEncodeStats() throws Exception {
    JsonObject nodes = JsonParser.parseString(call("GET", "/_plugins/bicmr/stats", null)).getAsJsonObject()
        .getAsJsonObject("nodes");
    JsonObject node = nodes.entrySet().iterator().next().getValue().getAsJsonObject();
    JsonObject encode = node.getAsJsonObject("encode");
    if (!encode.has(model)) {
      return new long[3];
    }
    JsonObject ingest = encode.getAsJsonObject(model).getAsJsonObject("by_source").getAsJsonObject("ingest");
    if (ingest == null) {
      return new long[3];
    }
    return new long[] {ingest.get("calls").getAsLong(), ingest.get("inputs").getAsLong(),
        Math.round(ingest.get("time_in_millis").getAsDouble() * 1000)};
  }

  private static void encodeInBatches(HashEncoder encoder, List<String> texts) {
    for (int from = 0; from < texts.size(); from += 64) {
      encoder.encodeTexts(texts.subList(from, Math.min(texts.size(), from + 64)));
    }
  }

  /** One way of ingesting the texts: through a pipeline (or none), with codes given (or not), by so many clients. */
  private record Phase(String name, String pipeline, List<HashCode> codes, int clients) {}

  /**
   * Bulk-indexes the captions (with their codes unless null) into a new one-shard index in requests of 500, sent by
   * {@code clients} threads at once (each its own share of the requests, in order); returns docs/s.
   */
  private static double ingest(String index, Phase phase, List<String> captions) throws Exception {
    String pipeline = phase.pipeline();
    List<HashCode> codes = phase.codes();
    int clients = phase.clients();
    call("PUT", "/" + index, "{\"settings\": {\"number_of_shards\": 1, \"number_of_replicas\": 0, "
        + "\"refresh_interval\": \"-1\"}, \"mappings\": {\"properties\": {\"caption\": {\"type\": \"text\"}, "
        + "\"caption_code\": {\"type\": \"bicmr_code\", \"bits\": " + bits + ", \"model\": \"" + model + "\"}}}}");
    List<String> bodies = new ArrayList<>();
    for (int from = 0; from < captions.size(); from += 500) {
      StringBuilder bulk = new StringBuilder();
      for (int i = from; i < Math.min(captions.size(), from + 500); i++) {
        bulk.append("{\"index\": {\"_index\": \"").append(index).append("\"}}\n{\"caption\": \"")
            .append(captions.get(i)).append('"');
        if (codes != null) {
          bulk.append(", \"caption_code\": \"").append(codes.get(i).toHex()).append('"');
        }
        bulk.append("}\n");
      }
      bodies.add(bulk.toString());
    }
    String path = "/_bulk" + (pipeline == null ? "" : "?pipeline=" + pipeline);
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      long start = System.nanoTime();
      List<Future<?>> sent = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        sent.add(pool.submit(() -> {
          for (int b = client; b < bodies.size(); b += clients) {
            JsonObject r = JsonParser.parseString(call("POST", path, bodies.get(b))).getAsJsonObject();
            if (r.get("errors").getAsBoolean()) {
              throw new IllegalStateException("bulk into " + index + " failed: " + r);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : sent) {
        f.get();
      }
      double perSecond = captions.size() / ((System.nanoTime() - start) / 1e9);
      call("DELETE", "/" + index, null);
      return perSecond;
    } finally {
      pool.shutdown();
    }
  }

  private static double pct(double[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  private static String caption(Random random) {
    return WORDS.get(random.nextInt(WORDS.size())) + " " + WORDS.get(random.nextInt(WORDS.size())) + " "
        + WORDS.get(random.nextInt(WORDS.size()));
  }

  private static String call(String method, String path, String body) throws Exception {
    var r = node.send(method, path, body);
    if (r.statusCode() >= 300) {
      throw new IllegalStateException(method + " " + path + " → " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }
}
