package org.bicmr.opensearch;

import static org.opensearch.test.hamcrest.OpenSearchAssertions.assertAcked;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.bicmr.codes.HashCode;
import org.bicmr.onnx.HashEncoder;
import org.bicmr.onnx.InferenceDevice;
import org.bicmr.onnx.InferenceOptions;
import org.bicmr.onnx.ModelBundle;
import org.bicmr.opensearch.model.EncodeAction;
import org.bicmr.opensearch.model.EncodeRequest;
import org.bicmr.opensearch.query.HammingQueryBuilder;
import org.bicmr.opensearch.reload.NodeReload;
import org.bicmr.opensearch.reload.ReloadAction;
import org.bicmr.opensearch.reload.ReloadRequest;
import org.bicmr.opensearch.reload.ReloadResponse;
import org.opensearch.action.bulk.BulkItemResponse;
import org.opensearch.action.bulk.BulkRequestBuilder;
import org.opensearch.action.bulk.BulkResponse;
import org.opensearch.action.index.IndexRequest;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.common.bytes.BytesArray;
import org.opensearch.core.xcontent.ToXContent;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.plugins.Plugin;
import org.opensearch.rest.action.RestActions;
import org.opensearch.search.SearchHit;
import org.opensearch.test.OpenSearchIntegTestCase;

/**
 * {@code _plugins/bicmr/models/_reload} on a cluster (two data nodes and a coordinating-only node sharing one config
 * directory): while text and image queries and bulk ingest through {@code bicmr_hash} run, the {@code tiny} bundle is
 * replaced by one with other weights and reloaded, back and forth; every query's answer equals a brute-force scan
 * with the old model's code or with the new one's, entirely, and every bulk's documents carry codes of one model.
 * A reload in the middle of a bulk request (between two {@code bicmr_hash} processors of its pipeline) or of a search
 * (between the rewrite of one clause and the encoding of a {@code bicmr_hamming} clause) changes nothing in that
 * request: it holds one registry from start to end. A bundle whose bits differ from a field mapped to its name is
 * refused on every node and the previous one keeps serving.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 2, numClientNodes = 1)
public class ModelReloadIntegTests extends OpenSearchIntegTestCase {
  private static final Path FIXTURES = Path.of("../onnx-models/src/test/resources/org/bicmr/onnx");
  private static final Path V1 = FIXTURES.resolve("tiny-bundle");
  private static final Path V2 = FIXTURES.resolve("tiny-bundle-v2");
  private static final Path EIGHT_BITS = FIXTURES.resolve("tiny-bundle-8bit");
  private static final List<String> WORDS = List.of("sunset", "beach", "sea", "dog", "cat", "night", "城市", "tree",
      "sky", "blue");
  private static final int BASE = 150;
  private static final int K = 5;
  private static Path configDir;

  @Override
  protected Collection<Class<? extends Plugin>> nodePlugins() {
    return List.of(BiCmrPlugin.class, ReloadMidRequest.class);
  }

  /** Every node's config directory is this one: {@code bicmr/models/tiny} starts as tiny-bundle (version 1). */
  @Override
  protected Path nodeConfigPath(int nodeOrdinal) {
    synchronized (ModelReloadIntegTests.class) {
      if (configDir == null) {
        try {
          Path dir = createTempDir("config");
          install(V1, Files.createDirectories(dir.resolve("bicmr").resolve("models")));
          configDir = dir;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return configDir;
    }
  }

  private static Path models() {
    return configDir.resolve("bicmr").resolve("models");
  }

  /** Puts {@code bundle} in place of {@code models/tiny}: copied under a hidden name, then renamed into place. */
  private static void install(Path bundle, Path models) throws IOException {
    Path staging = models.resolve(".tiny.new");
    Files.createDirectories(staging);
    for (String f : List.of("manifest.json", "image.onnx", "text.onnx", "vocab.txt")) {
      Files.copy(bundle.resolve(f), staging.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    Path target = models.resolve("tiny");
    Path old = models.resolve(".tiny.old");
    if (Files.exists(target)) {
      Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    org.apache.lucene.util.IOUtils.rm(old);
  }

  private ReloadResponse reload() {
    ReloadResponse response = client().execute(ReloadAction.INSTANCE, new ReloadRequest()).actionGet();
    assertEquals("failed nodes: " + response.failures(), List.of(), response.failures());
    assertEquals("every node reloads", internalCluster().size(), response.getNodes().size());
    return response;
  }

  private static String caption(Random random) {
    return WORDS.get(random.nextInt(WORDS.size())) + " " + WORDS.get(random.nextInt(WORDS.size()));
  }

  private static float[] features(Random random) {
    float[] v = new float[6];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }

  private static IndexRequest doc(String id, String phase, String caption, float[] features) {
    List<Float> f = new ArrayList<>();
    for (float x : features) {
      f.add(x);
    }
    return new IndexRequest("items").id(id).setPipeline("hash").source(Map.of("phase", phase, "caption", caption,
        "features", f));
  }

  /** The top-k distances of a brute-force scan of {@code codes} for {@code query}. */
  private static List<Integer> bruteForce(Map<String, HashCode> codes, HashCode query) {
    List<Integer> d = new ArrayList<>();
    for (HashCode c : codes.values()) {
      d.add(c.distance(query));
    }
    Collections.sort(d);
    return d.subList(0, Math.min(K, d.size()));
  }

  /** A query made while the models changed: its input and the distances of its hits (score = 1/(1+d)). */
  private record Answer(boolean text, String caption, float[] features, List<Integer> distances) {}

  /** Index "items", 3 shards and a replica: a caption and image features, each with its 16-bit code of "tiny". */
  private void createItems() {
    assertAcked(prepareCreate("items").setSettings(Settings.builder().put("index.number_of_shards", 3)
        .put("index.number_of_replicas", 1)).setMapping("phase", "type=keyword", "caption", "type=text",
        "features", "type=float", "caption_code", "type=bicmr_code,bits=16,model=tiny",
        "image_code", "type=bicmr_code,bits=16,model=tiny"));
  }

  public void testQueriesAndIngestDuringReloadsSeeOneWholeModel() throws Exception {
    InferenceOptions cpu = new InferenceOptions(InferenceDevice.CPU, 1);
    try (ModelBundle v1 = ModelBundle.load(V1, cpu); ModelBundle v2 = ModelBundle.load(V2, cpu)) {
      createItems();
      assertAcked(client().admin().cluster().preparePutPipeline("hash", new BytesArray("{\"processors\": ["
          + "{\"bicmr_hash\": {\"model\": \"tiny\", \"field\": \"caption\", \"target_field\": \"caption_code\", "
          + "\"batch_size\": 50}}, {\"bicmr_hash\": {\"model\": \"tiny\", \"modality\": \"image\", \"field\": "
          + "\"features\", \"target_field\": \"image_code\", \"batch_size\": 50}}]}"), XContentType.JSON).get());
      Random random = new Random(random().nextLong());
      Map<String, String> captions = new HashMap<>();
      Map<String, float[]> vectors = new HashMap<>();
      BulkRequestBuilder base = client().prepareBulk().setRefreshPolicy("true");
      for (int i = 0; i < BASE; i++) {
        captions.put("b" + i, caption(random));
        vectors.put("b" + i, features(random));
        base.add(doc("b" + i, "base", captions.get("b" + i), vectors.get("b" + i)));
      }
      BulkResponse baseResponse = base.get();
      assertFalse(baseResponse.buildFailureMessage(), baseResponse.hasFailures());
      ensureGreen("items");

      AtomicBoolean stop = new AtomicBoolean();
      List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
      List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
      List<List<String>> bulks = Collections.synchronizedList(new ArrayList<>());
      Map<String, String> liveCaptions = Collections.synchronizedMap(new HashMap<>());
      Map<String, float[]> liveVectors = Collections.synchronizedMap(new HashMap<>());
      long seed = random.nextLong();
      Thread queries = new Thread(() -> {
        Random r = new Random(seed);
        while (!stop.get()) {
          try {
            boolean text = r.nextBoolean();
            String q = text ? caption(r) : null;
            float[] f = text ? null : features(r);
            SearchResponse response = client().prepareSearch("items").setSize(K).setQuery(HammingQueryBuilder.of(
                text ? "caption_code" : "image_code", q, f, null, "tiny", K, null,
                QueryBuilders.termQuery("phase", "base"))).get();
            List<Integer> distances = new ArrayList<>();
            for (SearchHit hit : response.getHits().getHits()) {
              distances.add(Math.round(1 / hit.getScore() - 1));
            }
            answers.add(new Answer(text, q, f, distances));
          } catch (Throwable e) {
            errors.add(e);
          }
        }
      }, "queries");
      Thread ingest = new Thread(() -> {
        Random r = new Random(seed + 1);
        int next = 0;
        while (!stop.get()) {
          try {
            BulkRequestBuilder bulk = client().prepareBulk();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
              String id = "l" + next++;
              liveCaptions.put(id, caption(r));
              liveVectors.put(id, features(r));
              bulk.add(doc(id, "live", liveCaptions.get(id), liveVectors.get(id)));
              ids.add(id);
            }
            BulkResponse response = bulk.get();
            if (response.hasFailures()) {
              errors.add(new AssertionError(response.buildFailureMessage()));
            }
            bulks.add(ids);
          } catch (Throwable e) {
            errors.add(e);
          }
        }
      }, "ingest");
      queries.start();
      ingest.start();
      try {
        for (int i = 0; i < 6; i++) {
          install(i % 2 == 0 ? V2 : V1, models());
          ReloadResponse response = reload();
          for (NodeReload node : response.getNodes()) {
            assertEquals(node.getNode().getName(), i % 2 == 0 ? "2" : "1",
                node.report().models().get("tiny").version());
            assertEquals("loaded", node.report().models().get("tiny").status());
          }
          Thread.sleep(300);
        }
      } finally {
        stop.set(true);
        queries.join(60_000);
        ingest.join(60_000);
      }
      assertEquals(List.of(), errors);

      // every query: the brute-force top k over the base documents, with the old model's code or the new one's
      Map<String, HashCode> captionCodes1 = new HashMap<>();
      Map<String, HashCode> captionCodes2 = new HashMap<>();
      Map<String, HashCode> imageCodes1 = new HashMap<>();
      Map<String, HashCode> imageCodes2 = new HashMap<>();
      for (String id : captions.keySet()) {
        captionCodes1.put(id, v1.encoder().encodeText(captions.get(id)));
        captionCodes2.put(id, captionCodes1.get(id)); // indexed before any reload: version 1's codes
        imageCodes1.put(id, v1.encoder().encodeImage(vectors.get(id)));
        imageCodes2.put(id, imageCodes1.get(id));
      }
      int[] byModel = new int[3];
      for (Answer a : answers) {
        HashEncoder e1 = v1.encoder();
        HashEncoder e2 = v2.encoder();
        Map<String, HashCode> codes = a.text() ? captionCodes1 : imageCodes1;
        List<Integer> old = bruteForce(codes, a.text() ? e1.encodeText(a.caption()) : e1.encodeImage(a.features()));
        List<Integer> neu = bruteForce(codes, a.text() ? e2.encodeText(a.caption()) : e2.encodeImage(a.features()));
        assertTrue("query " + a + ": expected " + old + " (version 1) or " + neu + " (version 2)",
            a.distances().equals(old) || a.distances().equals(neu));
        byModel[old.equals(neu) ? 2 : a.distances().equals(old) ? 0 : 1]++;
      }
      logger.info("reload test: {} queries, {} answered by version 1 alone, {} by version 2 alone, {} alike; {} bulks",
          answers.size(), byModel[0], byModel[1], byModel[2], bulks.size());
      assertTrue("queries answered by both versions: " + java.util.Arrays.toString(byModel),
          byModel[0] > 0 && byModel[1] > 0);

      // every bulk: each document's codes come from one model, the same for the whole bulk
      client().admin().indices().prepareRefresh("items").get();
      Map<String, Map<String, Object>> sources = new HashMap<>();
      SearchResponse all = client().prepareSearch("items").setSize(10_000).setQuery(QueryBuilders.termQuery("phase",
          "live")).get();
      for (SearchHit hit : all.getHits().getHits()) {
        sources.put(hit.getId(), hit.getSourceAsMap());
      }
      int mixedModels = 0;
      for (List<String> ids : bulks) {
        Set<String> possible = new HashSet<>(Set.of("1", "2"));
        for (String id : ids) {
          Map<String, Object> source = sources.get(id);
          assertNotNull("acknowledged document " + id, source);
          Set<String> models = new HashSet<>();
          String caption = liveCaptions.get(id);
          float[] f = liveVectors.get(id);
          if (source.get("caption_code").equals(v1.encoder().encodeText(caption).toHex())
              && source.get("image_code").equals(v1.encoder().encodeImage(f).toHex())) {
            models.add("1");
          }
          if (source.get("caption_code").equals(v2.encoder().encodeText(caption).toHex())
              && source.get("image_code").equals(v2.encoder().encodeImage(f).toHex())) {
            models.add("2");
          }
          assertFalse("document " + id + " has codes of neither model alone: " + source, models.isEmpty());
          possible.retainAll(models);
        }
        if (possible.isEmpty()) {
          mixedModels++;
        }
      }
      assertEquals("bulks whose documents came from two models", 0, mixedModels);
      assertAcked(client().admin().indices().prepareDelete("items"));
    } finally {
      install(V1, models());
      reload();
    }
  }

  public void testAReloadInTheMiddleOfARequestChangesNothingInIt() throws Exception {
    InferenceOptions cpu = new InferenceOptions(InferenceDevice.CPU, 1);
    try (ModelBundle v1 = ModelBundle.load(V1, cpu); ModelBundle v2 = ModelBundle.load(V2, cpu)) {
      createItems();
      assertAcked(client().admin().cluster().preparePutPipeline("hash", new BytesArray("{\"processors\": ["
          + "{\"bicmr_hash\": {\"model\": \"tiny\", \"field\": \"caption\", \"target_field\": \"caption_code\"}}, "
          + "{\"" + ReloadMidRequest.NAME + "\": {}}, "
          + "{\"bicmr_hash\": {\"model\": \"tiny\", \"modality\": \"image\", \"field\": \"features\", "
          + "\"target_field\": \"image_code\"}}]}"), XContentType.JSON).get());
      ReloadMidRequest.action = () -> internalCluster().getInstances(org.bicmr.opensearch.model.Models.class)
          .forEach(m -> m.reload(Map.of()));
      Random random = new Random(random().nextLong());
      Map<String, String> captions = new HashMap<>();
      Map<String, float[]> vectors = new HashMap<>();
      // version 1 serves; version 2 is in the directory, and the pipeline reloads between its two processors
      install(V2, models());
      BulkRequestBuilder bulk = client().prepareBulk().setRefreshPolicy("true");
      for (int i = 0; i < 20; i++) {
        captions.put("d" + i, caption(random));
        vectors.put("d" + i, features(random));
        bulk.add(doc("d" + i, "base", captions.get("d" + i), vectors.get("d" + i)));
      }
      BulkResponse response = bulk.get();
      assertFalse(response.buildFailureMessage(), response.hasFailures());
      Map<String, HashCode> captionCodes = new HashMap<>();
      for (SearchHit hit : client().prepareSearch("items").setSize(100).get().getHits().getHits()) {
        Map<String, Object> source = hit.getSourceAsMap();
        assertEquals("the bulk's model: version 1, for both fields", v1.encoder().encodeText(captions.get(hit.getId()))
            .toHex(), source.get("caption_code"));
        assertEquals(v1.encoder().encodeImage(vectors.get(hit.getId())).toHex(), source.get("image_code"));
        captionCodes.put(hit.getId(), HashCode.fromHex((String) source.get("caption_code")));
      }
      assertEquals(20, captionCodes.size());
      // version 2 serves; version 1 is in the directory, and the query reloads before its bicmr_hamming clause encodes
      install(V1, models());
      String text = null;
      for (int i = 0; i < 200 && text == null; i++) {
        String candidate = caption(random);
        if (!bruteForce(captionCodes, v1.encoder().encodeText(candidate)).equals(bruteForce(captionCodes,
            v2.encoder().encodeText(candidate)))) {
          text = candidate;
        }
      }
      assertNotNull("a text the two models answer differently", text);
      SearchResponse search = client().prepareSearch("items").setSize(K).setQuery(QueryBuilders.boolQuery()
          .must(new ReloadMidRequest.Query())
          .must(HammingQueryBuilder.of("caption_code", text, null, null, "tiny", K, null, null))).get();
      List<Integer> distances = new ArrayList<>();
      for (SearchHit hit : search.getHits().getHits()) {
        distances.add(Math.round(1 / (hit.getScore() - 1) - 1)); // match_all adds 1
      }
      assertEquals("the search's model: version 2, held from its start", bruteForce(captionCodes,
          v2.encoder().encodeText(text)), distances);
      try (var lease = internalCluster().getInstance(org.bicmr.opensearch.model.Models.class).acquire()) {
        assertEquals("reloaded meanwhile", "1", lease.registry().get("tiny").version());
      }
      assertAcked(client().admin().indices().prepareDelete("items"));
    } finally {
      ReloadMidRequest.action = () -> {};
      install(V1, models());
      reload();
    }
  }

  public void testABitsChangeOfAMappedModelIsRefusedEverywhere() throws Exception {
    assertAcked(prepareCreate("fixed").setMapping("code", "type=bicmr_code,bits=16,model=tiny"));
    HashCode before = client().execute(EncodeAction.INSTANCE, EncodeRequest.of("tiny", "sunset beach", null))
        .actionGet().code();
    try {
      install(EIGHT_BITS, models());
      ReloadResponse response = reload();
      for (NodeReload node : response.getNodes()) {
        assertEquals("kept", node.report().models().get("tiny").status());
        assertEquals(16, node.report().models().get("tiny").bits());
        assertEquals("refused: the new bundle (version 3) gives 8-bit codes, but index [fixed] field [code] maps "
            + "model [tiny] with 16 bits; a bundle with another code length needs another name; the previous bundle "
            + "(version 1, 16 bits) keeps serving", node.report().failed().get("tiny"));
      }
      assertEquals(before, client().execute(EncodeAction.INSTANCE, EncodeRequest.of("tiny", "sunset beach", null))
          .actionGet().code());
      // the answer as REST gives it
      var rest = RestActions.nodesResponse(JsonXContent.contentBuilder(), ToXContent.EMPTY_PARAMS, response);
      Map<String, Object> json = XContentHelper.convertToMap(rest.content(), false, XContentType.JSON).v2();
      @SuppressWarnings("unchecked")
      Map<String, Object> node = (Map<String, Object>) ((Map<String, Object>) json.get("nodes")).values().iterator()
          .next();
      assertEquals(Map.of("status", "kept", "version", "1", "bits", 16),
          ((Map<?, ?>) node.get("models")).get("tiny"));
      assertTrue(node.toString(), ((Map<?, ?>) node.get("failed")).get("tiny").toString().startsWith("refused: "));
      // without the index, the same bundle is served
      assertAcked(client().admin().indices().prepareDelete("fixed"));
      for (NodeReload n : reload().getNodes()) {
        assertEquals(new org.bicmr.opensearch.model.ReloadReport.Model("loaded", "3", 8),
            n.report().models().get("tiny"));
      }
    } finally {
      install(V1, models());
      reload();
    }
  }
}
