package org.bicmr.opensearch;

import static org.opensearch.test.hamcrest.OpenSearchAssertions.assertAcked;
import static org.opensearch.test.hamcrest.OpenSearchAssertions.assertNoFailures;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.bicmr.codes.HashCode;
import org.bicmr.lucene.HammingDistanceQuery;
import org.bicmr.onnx.InferenceDevice;
import org.bicmr.onnx.InferenceOptions;
import org.bicmr.onnx.ModelBundle;
import org.bicmr.opensearch.query.HammingQueryBuilder;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.core.common.bytes.BytesArray;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.plugins.Plugin;
import org.opensearch.search.SearchHit;
import org.opensearch.test.OpenSearchIntegTestCase;

/**
 * A real cluster (two data nodes and a coordinating-only node, several shards and segments, concurrent segment search
 * on or off): every {@code bicmr_hamming} answer — top k, radius, both, filtered, after deletions and updates, with
 * documents lacking a code — equals a brute-force scan over all documents; text queries and the
 * {@code bicmr_hash} pipeline go through the default model and agree with the encoder run in the test; images (base64
 * PNG/JPEG) go through a bundle with an image feature extractor ({@code tiny-image}, in every node's models directory),
 * and bad images in a bulk fail alone.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 2, numClientNodes = 1)
public class HammingSearchIntegTests extends OpenSearchIntegTestCase {
  private static final String INDEX = "items";
  private static final List<String> TAGS = List.of("red", "green", "blue");

  /** onnx-models' test bundle with an image feature extractor (tests run in the module directory). */
  private static final Path IMAGE_BUNDLE = Path.of("../onnx-models/src/test/resources/org/bicmr/onnx/tiny-image-bundle");
  private static Path configDir;

  @Override
  protected Collection<Class<? extends Plugin>> nodePlugins() {
    return List.of(BiCmrPlugin.class);
  }

  /** A low pixel limit, so that an ordinary image proves the node setting is applied. */
  @Override
  protected org.opensearch.common.settings.Settings nodeSettings(int nodeOrdinal) {
    return org.opensearch.common.settings.Settings.builder().put(super.nodeSettings(nodeOrdinal))
        .put(BiCmrPlugin.IMAGE_MAX_PIXELS.getKey(), 5000).build();
  }

  /** Every node's config directory holds {@code bicmr/models/tiny-image}. */
  @Override
  protected Path nodeConfigPath(int nodeOrdinal) {
    synchronized (HammingSearchIntegTests.class) {
      if (configDir == null) {
        try {
          Path dir = createTempDir("config");
          Path models = Files.createDirectories(dir.resolve("bicmr").resolve("models").resolve("tiny-image"));
          for (String f : List.of("manifest.json", "image.onnx", "text.onnx", "vocab.txt", "extractor.onnx")) {
            Files.copy(IMAGE_BUNDLE.resolve(f), models.resolve(f));
          }
          configDir = dir;
        } catch (IOException e) {
          throw new UncheckedIOException("cannot copy " + IMAGE_BUNDLE.toAbsolutePath(), e);
        }
      }
      return configDir;
    }
  }

  private static byte[] png(int width, int height, long seed, String format) throws IOException {
    Random random = new Random(seed);
    BufferedImage im = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] colours = new int[16];
    for (int i = 0; i < colours.length; i++) {
      colours[i] = random.nextInt(0x1000000);
    }
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        im.setRGB(x, y, colours[(y * 4 / height) * 4 + x * 4 / width]);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(im, format, out));
    return out.toByteArray();
  }

  /** A PNG signature and IHDR chunk claiming a size, and nothing else. */
  private static byte[] pngHeader(int width, int height) {
    ByteBuffer b = ByteBuffer.allocate(8 + 25);
    b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a});
    b.putInt(13);
    int start = b.position();
    b.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(width).putInt(height)
        .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    CRC32 crc = new CRC32();
    crc.update(b.array(), start, 17);
    b.putInt((int) crc.getValue());
    return b.array();
  }

  public void testImagesThroughThePipelineAndTheQueryBadOnesFailAlone() throws Exception {
    assertAcked(prepareCreate("photos").setSettings(org.opensearch.common.settings.Settings.builder()
        .put("index.number_of_shards", 2)).setMapping("photo_code", "type=bicmr_code,bits=16,model=tiny-image"));
    assertAcked(client().admin().cluster().preparePutPipeline("photo", new BytesArray(
        "{\"processors\": [{\"bicmr_hash\": {\"model\": \"tiny-image\", \"modality\": \"image\", \"field\": "
            + "\"photo\", \"target_field\": \"photo_code\"}}]}"), XContentType.JSON).get());
    List<byte[]> good = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      good.add(png(16 + 5 * i, 24 + 3 * i, i, i % 4 == 3 ? "jpeg" : "png"));
    }
    byte[] big = png(64, 64, 99, "png");
    Map<String, byte[]> bad = new java.util.LinkedHashMap<>();
    bad.put("text", "this is not an image".getBytes(StandardCharsets.UTF_8));
    bad.put("truncated", java.util.Arrays.copyOf(big, big.length / 2));
    bad.put("huge", pngHeader(100_000, 100_000));
    bad.put("empty", pngHeader(0, 7));
    bad.put("large", png(80, 80, 98, "png")); // 6,400 pixels: above the node's bicmr.image.max_pixels of 5,000
    Map<String, String> badMessages = Map.of("text", "not a PNG or JPEG", "truncated", "is truncated or corrupt",
        "huge", "PNG is 100000×100000 = 10000000000 pixels, more than the limit of 5000", "empty", "PNG",
        "large", "image: PNG is 80×80 = 6400 pixels, more than the limit of 5000");
    float[] features = {0.5f, -1f, 2f, 0f, 0.25f, -0.75f};
    var bulk = client().prepareBulk();
    for (int i = 0; i < good.size(); i++) {
      bulk.add(client().prepareIndex("photos").setId("good" + i).setPipeline("photo")
          .setSource("photo", Base64.getEncoder().encodeToString(good.get(i))));
      if (i % 4 == 1) {
        String name = List.copyOf(bad.keySet()).get(i / 4);
        bulk.add(client().prepareIndex("photos").setId(name).setPipeline("photo")
            .setSource("photo", Base64.getEncoder().encodeToString(bad.get(name))));
      }
    }
    bulk.add(client().prepareIndex("photos").setId("empty").setPipeline("photo")
        .setSource("photo", Base64.getEncoder().encodeToString(bad.get("empty"))));
    bulk.add(client().prepareIndex("photos").setId("large").setPipeline("photo")
        .setSource("photo", Base64.getEncoder().encodeToString(bad.get("large"))));
    bulk.add(client().prepareIndex("photos").setId("features").setPipeline("photo")
        .setSource(Map.of("photo", List.of(0.5, -1, 2, 0, 0.25, -0.75))));
    bulk.add(client().prepareIndex("photos").setId("notbase64").setPipeline("photo").setSource("photo", "%%%"));
    var response = bulk.get();
    Map<String, String> failures = new HashMap<>();
    for (var item : response.getItems()) {
      if (item.isFailed()) {
        failures.put(item.getId(), item.getFailureMessage());
      }
    }
    assertEquals(failures.toString(), Set.of("text", "truncated", "huge", "empty", "large", "notbase64"), failures.keySet());
    for (var e : badMessages.entrySet()) {
      String m = failures.get(e.getKey());
      assertTrue(m, m.contains("[bicmr_hash] field [photo]") && m.contains(e.getValue()));
    }
    assertTrue(failures.get("notbase64"), failures.get("notbase64").contains("[bicmr_hash] field [photo] is not valid "
        + "base64"));
    refresh("photos");
    assertEquals(good.size() + 1, client().prepareSearch("photos").setSize(0).get().getHits().getTotalHits().value());

    try (ModelBundle bundle = ModelBundle.load(IMAGE_BUNDLE, new InferenceOptions(InferenceDevice.CPU, 1))) {
      List<HashCode> codes = bundle.encoder().encodeImageBytes(good);
      for (int i = 0; i < good.size(); i++) {
        assertEquals("pipeline code of image " + i, codes.get(i).toHex(),
            client().prepareGet("photos", "good" + i).get().getSourceAsMap().get("photo_code"));
      }
      assertEquals(bundle.encoder().encodeImage(features).toHex(),
          client().prepareGet("photos", "features").get().getSourceAsMap().get("photo_code"));
      for (int q = 0; q < 3; q++) {
        byte[] image = good.get(q * 5);
        HashCode query = bundle.encoder().encodeImageBytes(image);
        SearchResponse hits = client().prepareSearch("photos").setSize(4).setQuery(HammingQueryBuilder.of(
            "photo_code", null, null, image, null, "tiny-image", 4, null, null)).get();
        assertNoFailures(hits);
        List<Integer> expected = new ArrayList<>();
        for (HashCode c : codes) {
          expected.add(c.distance(query));
        }
        expected.add(bundle.encoder().encodeImage(features).distance(query));
        expected.sort(null);
        List<Integer> actual = new ArrayList<>();
        for (SearchHit hit : hits.getHits().getHits()) {
          actual.add(HammingDistanceQuery.distance(hit.getScore()));
        }
        assertEquals("image query " + q, expected.subList(0, 4), actual);
        assertEquals(0, (int) actual.get(0));
      }
    }
    var notImage = expectThrows(Exception.class, () -> client().prepareSearch("photos").setQuery(HammingQueryBuilder
        .of("photo_code", null, null, "GIF89a".getBytes(StandardCharsets.US_ASCII), null, "tiny-image", 3, null, null))
        .get());
    assertTrue(notImage.toString(), notImage.toString().contains("[bicmr_hamming] field [photo_code] [image]: image: "
        + "not a PNG or JPEG"));
    var wrongModel = expectThrows(Exception.class, () -> client().prepareSearch("photos").setQuery(
        HammingQueryBuilder.of("photo_code", null, null, good.get(0), null, null, 3, null, null)).get());
    assertTrue(wrongModel.toString(), wrongModel.toString().contains("holds codes of model [tiny-image]"));
  }

  private static HashCode randomCode(int bits) {
    float[] signs = new float[bits];
    for (int i = 0; i < bits; i++) {
      signs[i] = randomIntBetween(0, 3) == 0 ? 1 : -1; // skewed bits: many ties
    }
    return HashCode.fromSigns(signs);
  }

  public void testEveryAnswerEqualsABruteForceScan() throws Exception {
    assertAcked(prepareCreate(INDEX).setSettings(org.opensearch.common.settings.Settings.builder()
        .put("index.number_of_shards", randomIntBetween(2, 4)).put("index.number_of_replicas", randomIntBetween(0, 1))
        .put("index.search.concurrent_segment_search.mode", randomFrom("none", "all")))
        .setMapping("code", "type=bicmr_code,bits=64", "tag", "type=keyword"));
    int n = randomIntBetween(200, 400);
    Map<String, HashCode> codes = new HashMap<>();
    Map<String, String> tags = new HashMap<>();
    for (int i = 0; i < n; i++) {
      String id = Integer.toString(i);
      String tag = randomFrom(TAGS);
      tags.put(id, tag);
      if (randomIntBetween(0, 9) == 0) {
        client().prepareIndex(INDEX).setId(id).setSource("tag", tag).get();
      } else {
        HashCode code = randomCode(64);
        codes.put(id, code);
        client().prepareIndex(INDEX).setId(id).setSource("code", code.toHex(), "tag", tag).get();
      }
      if (randomIntBetween(0, 40) == 0) {
        refresh(INDEX); // several segments per shard
      }
    }
    for (int i = 0; i < n / 10; i++) { // updates: a document's code changes
      String id = Integer.toString(randomIntBetween(0, n - 1));
      HashCode code = randomCode(64);
      codes.put(id, code);
      client().prepareIndex(INDEX).setId(id).setSource("code", code.toHex(), "tag", tags.get(id)).get();
    }
    for (int i = 0; i < n / 10; i++) {
      String id = Integer.toString(randomIntBetween(0, n - 1));
      client().prepareDelete(INDEX, id).get();
      codes.remove(id);
      tags.remove(id);
    }
    refresh(INDEX);

    for (int q = 0; q < 40; q++) {
      HashCode query = randomCode(64);
      Integer k = randomBoolean() ? null : randomIntBetween(1, 30);
      Integer maxDistance = randomBoolean() ? null : randomIntBetween(0, 24);
      String tag = randomBoolean() ? null : randomFrom(TAGS);
      QueryBuilder filter = tag == null ? null : QueryBuilders.termQuery("tag", tag);
      HammingQueryBuilder builder = HammingQueryBuilder.of("code", null, null, query.toHex(), null, k, maxDistance,
          filter);
      // each shard answers its exact top k; the fetch phase keeps the best `size` of them: with size = k the cluster's
      // answer is the global top k
      int size = k != null ? k : maxDistance != null ? 500 : 10;
      SearchResponse response = client().prepareSearch(INDEX).setQuery(builder).setSize(size).get();
      assertNoFailures(response);

      List<Integer> expected = new ArrayList<>();
      for (var e : codes.entrySet()) {
        int d = e.getValue().distance(query);
        if ((tag == null || tag.equals(tags.get(e.getKey()))) && (maxDistance == null || d <= maxDistance)) {
          expected.add(d);
        }
      }
      expected.sort(null);
      int limit = k != null ? k : maxDistance != null ? expected.size() : 10;
      expected = expected.subList(0, Math.min(limit, expected.size()));

      List<Integer> actual = new ArrayList<>();
      Set<String> ids = new HashSet<>();
      for (SearchHit hit : response.getHits().getHits()) {
        int d = HammingDistanceQuery.distance(hit.getScore());
        assertEquals("hit " + hit.getId() + " has the distance its score says", codes.get(hit.getId()).distance(query), d);
        assertTrue("hit " + hit.getId() + " passes the filter", tag == null || tag.equals(tags.get(hit.getId())));
        assertTrue("hit " + hit.getId() + " appears once", ids.add(hit.getId()));
        actual.add(d);
      }
      assertEquals("k=" + k + " max_distance=" + maxDistance + " tag=" + tag, expected, actual);
      if (!actual.isEmpty()) { // every document strictly closer than the last hit is a hit
        int last = actual.get(actual.size() - 1);
        for (var e : codes.entrySet()) {
          if (e.getValue().distance(query) < last && (tag == null || tag.equals(tags.get(e.getKey())))) {
            assertTrue("document " + e.getKey() + " is closer than the last hit", ids.contains(e.getKey()));
          }
        }
      }
    }

    // explain states the distance
    String someId = codes.keySet().iterator().next();
    SearchResponse explained = client().prepareSearch(INDEX).setExplain(true).setSize(1)
        .setQuery(HammingQueryBuilder.of("code", null, null, codes.get(someId).toHex(), null, 1, 0, null)).get();
    assertTrue(explained.getHits().getHits()[0].getExplanation().toString().contains("d = 0"));
  }

  public void testTextQueriesAndThePipelineUseTheDefaultModelOnce() throws Exception {
    assertAcked(prepareCreate("captions").setSettings(org.opensearch.common.settings.Settings.builder()
        .put("index.number_of_shards", 3)).setMapping("caption", "type=text", "caption_code",
        "type=bicmr_code,bits=64,model=bicmr-default"));
    assertAcked(client().admin().cluster().preparePutPipeline("hash", new BytesArray(
        "{\"processors\": [{\"bicmr_hash\": {\"model\": \"bicmr-default\", \"modality\": \"text\", \"field\": "
            + "\"caption\", \"target_field\": \"caption_code\", \"batch_size\": 16}}]}"), XContentType.JSON).get());
    List<String> captions = List.of("sunset beach sea", "a dog chasing a ball", "snow on the mountain",
        "night city lights", "a red apple on a table", "a baby smiling", "a police car in the street", "clouds in the sky",
        "a tree by the lake", "un chien qui court sur la plage", "food for dinner", "a small bird", "sunset clouds",
        "sea water beach", "a girl's portrait", "city night");
    var bulk = client().prepareBulk();
    for (int i = 0; i < captions.size(); i++) {
      bulk.add(client().prepareIndex("captions").setId(Integer.toString(i)).setSource("caption", captions.get(i))
          .setPipeline("hash"));
    }
    var bulkResponse = bulk.get();
    assertFalse(bulkResponse.buildFailureMessage(), bulkResponse.hasFailures());
    refresh("captions");

    try (ModelBundle bundle = ModelBundle.loadDefault(new InferenceOptions(InferenceDevice.CPU, 1))) {
      List<HashCode> docCodes = bundle.encoder().encodeTexts(captions);
      for (int i = 0; i < captions.size(); i++) {
        var source = client().prepareGet("captions", Integer.toString(i)).get().getSourceAsMap();
        assertEquals("pipeline code of " + captions.get(i), docCodes.get(i).toHex(), source.get("caption_code"));
      }
      for (String text : List.of("sunset", "dog", "night sky", "Beach, SEA!")) {
        HashCode query = bundle.encoder().encodeText(text);
        SearchResponse response = client().prepareSearch("captions").setSize(5)
            .setQuery(HammingQueryBuilder.of("caption_code", text, null, null, "bicmr-default", 5, null, null)).get();
        assertNoFailures(response);
        List<Integer> expected = new ArrayList<>();
        for (HashCode c : docCodes) {
          expected.add(c.distance(query));
        }
        expected.sort(null);
        List<Integer> actual = new ArrayList<>();
        for (SearchHit hit : response.getHits().getHits()) {
          int d = HammingDistanceQuery.distance(hit.getScore());
          assertEquals(docCodes.get(Integer.parseInt(hit.getId())).distance(query), d);
          actual.add(d);
        }
        assertEquals(text, expected.subList(0, 5), actual);
      }
    }

    // the text is encoded once per request, on the coordinating node, whatever the number of shards, and on the
    // plugin's encoding pool (OpenSearch's own thread pool statistics count the tasks), not on a network thread
    long before = encodeRequests();
    long pooled = encodePoolTasks();
    assertNoFailures(client().prepareSearch("captions").setSize(3)
        .setQuery(HammingQueryBuilder.of("caption_code", "sunset sea", null, null, null, 3, null, null)).get());
    assertEquals("encode requests for one search over 3 shards", 1, encodeRequests() - before);
    long pooledBefore = pooled;
    assertBusy(() -> assertEquals("tasks of the bicmr_encode pool for one search", 1,
        encodePoolTasks() - pooledBefore));
    before = encodeRequests();
    pooled = encodePoolTasks();
    assertNoFailures(client().prepareSearch("captions").setSize(3).setQuery(
        QueryBuilders.boolQuery().should(HammingQueryBuilder.of("caption_code", "dog", null, null, null, 3, null, null))
            .should(HammingQueryBuilder.of("caption_code", "night", null, null, null, 3, null, null))).get());
    assertEquals("two bicmr_hamming clauses, one request each", 2, encodeRequests() - before);
    long pooledBefore2 = pooled;
    assertBusy(() -> assertEquals("tasks of the bicmr_encode pool for two clauses", 2,
        encodePoolTasks() - pooledBefore2)); // a task counts once it has returned, just after it answered

    // a model the field was not made with is refused; an unknown model is a clear error
    var wrongModel = expectThrows(Exception.class, () -> client().prepareSearch("captions")
        .setQuery(HammingQueryBuilder.of("caption_code", "dog", null, null, "other-model", 5, null, null)).get());
    assertTrue(wrongModel.toString(), wrongModel.toString().contains("unknown model [other-model]"));
    var otherModel = expectThrows(Exception.class, () -> client().prepareSearch("captions")
        .setQuery(HammingQueryBuilder.of("caption_code", "dog", null, null, "tiny-image", 5, null, null)).get());
    assertTrue(otherModel.toString(), otherModel.toString().contains("holds codes of model [bicmr-default]"));
  }


  /** Tasks the bicmr_encode pools of every node have completed, from the nodes stats API. */
  private long encodePoolTasks() {
    long sum = 0;
    String threadPools = org.opensearch.action.admin.cluster.node.stats.NodesStatsRequest.Metric.THREAD_POOL
        .metricName();
    for (var node : client().admin().cluster().prepareNodesStats().clear().addMetric(threadPools).get().getNodes()) {
      for (var pool : node.getThreadPool()) {
        if (pool.getName().equals(org.bicmr.opensearch.model.TransportEncodeAction.THREAD_POOL)) {
          sum += pool.getCompleted();
        }
      }
    }
    return sum;
  }

  private long encodeRequests() {
    long sum = 0;
    for (org.bicmr.opensearch.model.Models r : internalCluster().getInstances(
        org.bicmr.opensearch.model.Models.class)) {
      sum += r.encodeRequests();
    }
    return sum;
  }

  public void testThePipelineChecksTheTargetMappingAndMissingFields() throws Exception {
    assertAcked(prepareCreate("short").setMapping("caption_code", "type=bicmr_code,bits=16"));
    assertAcked(prepareCreate("other").setMapping("caption_code", "type=bicmr_code,bits=16,model=tiny-image"));
    // a mapping naming a model no node serves, or bits other than its model's, is refused when it is made
    var noModel = expectThrows(IllegalArgumentException.class, () -> prepareCreate("typo").setMapping("caption_code",
        "type=bicmr_code,bits=64,model=bicmr-defualt").get());
    assertTrue(noModel.getMessage(), noModel.getMessage().startsWith("field [caption_code]: model: unknown model "
        + "[bicmr-defualt]; available: "));
    var wrongBits = expectThrows(IllegalArgumentException.class, () -> prepareCreate("wrong").setMapping(
        "caption_code", "type=bicmr_code,bits=32,model=bicmr-default").get());
    assertEquals("field [caption_code]: \"bits\" is 32, but model [bicmr-default] gives 64-bit codes",
        wrongBits.getMessage());
    assertAcked(prepareCreate("later"));
    var update = expectThrows(IllegalArgumentException.class, () -> client().admin().indices().preparePutMapping("later")
        .setSource("{\"properties\": {\"deep\": {\"properties\": {\"code\": {\"type\": \"bicmr_code\", \"bits\": 16, "
            + "\"model\": \"bicmr-default\"}}}}}", XContentType.JSON).get());
    assertEquals("field [deep.code]: \"bits\" is 16, but model [bicmr-default] gives 64-bit codes", update.getMessage());
    assertFalse(indexExists("typo") || indexExists("wrong"));
    assertAcked(client().admin().cluster().preparePutPipeline("strict", new BytesArray(
        "{\"processors\": [{\"bicmr_hash\": {\"field\": \"caption\", \"target_field\": \"caption_code\"}}]}"),
        XContentType.JSON).get());
    assertAcked(client().admin().cluster().preparePutPipeline("lenient", new BytesArray(
        "{\"processors\": [{\"bicmr_hash\": {\"field\": \"caption\", \"target_field\": \"caption_code\", "
            + "\"ignore_missing\": true}}]}"), XContentType.JSON).get());
    assertAcked(client().admin().cluster().preparePutPipeline("vocabulary", new BytesArray(
        "{\"processors\": [{\"bicmr_hash\": {\"model\": \"tiny-image\", \"field\": \"caption\", "
            + "\"target_field\": \"caption_code\"}}]}"), XContentType.JSON).get());
    // a pipeline naming a model no node serves is refused when it is created, not at its first document
    var unknown = expectThrows(Exception.class, () -> client().admin().cluster().preparePutPipeline("typo",
        new BytesArray("{\"processors\": [{\"bicmr_hash\": {\"model\": \"bicmr-defualt\", \"field\": \"caption\", "
            + "\"target_field\": \"caption_code\"}}]}"), XContentType.JSON).get());
    assertTrue(unknown.toString(), unknown.toString().contains("[model] unknown model [bicmr-defualt]; available: "));
    assertNull(client().admin().cluster().prepareGetPipeline("typo").get().pipelines().stream().findAny()
        .orElse(null));
    var bits = expectThrows(Exception.class, () -> client().prepareIndex("short").setId("1").setPipeline("strict")
        .setSource("caption", "sunset beach").get());
    assertTrue(bits.toString(), bits.toString().contains("is mapped with 16 bits, model [bicmr-default] gives 64-bit"));
    var model = expectThrows(Exception.class, () -> client().prepareIndex("other").setId("1").setPipeline("strict")
        .setSource("caption", "sunset beach").get());
    assertTrue(model.toString(), model.toString().contains("holds codes of model [tiny-image], the processor uses "
        + "model [bicmr-default]"));
    var missing = expectThrows(Exception.class, () -> client().prepareIndex("fresh").setId("1").setPipeline("strict")
        .setSource("title", "no caption").get());
    assertTrue(missing.toString(), missing.toString().contains("field [caption] is missing or null"));
    client().prepareIndex("fresh").setId("2").setPipeline("lenient").setSource("title", "no caption").get();
    assertAcked(prepareCreate("vocab").setMapping("caption_code", "type=bicmr_code,bits=16,model=tiny-image"));
    var bulk = client().prepareBulk();
    bulk.add(client().prepareIndex("vocab").setId("3").setSource("caption", "dog sunset").setPipeline("vocabulary"));
    bulk.add(client().prepareIndex("vocab").setId("4").setSource("caption", "qwertyuiop").setPipeline("vocabulary"));
    bulk.add(client().prepareIndex("vocab").setId("5").setSource("caption", "beach cat").setPipeline("vocabulary"));
    var response = bulk.get();
    assertFalse(response.getItems()[0].isFailed());
    assertTrue("a bad text fails alone", response.getItems()[1].isFailed());
    assertTrue(response.getItems()[1].getFailureMessage(), response.getItems()[1].getFailureMessage()
        .contains("none of its words is in the model's vocabulary"));
    assertFalse(response.getItems()[2].isFailed());
    refresh("short", "other", "fresh", "vocab");
    assertEquals(0, client().prepareSearch("short", "other").setSize(0).get().getHits().getTotalHits().value());
    assertEquals(1, client().prepareSearch("fresh").setSize(0).get().getHits().getTotalHits().value());
    assertEquals(2, client().prepareSearch("vocab").setSize(0).get().getHits().getTotalHits().value());
    // a text query through a bag-of-words model: explain and the profile name the words it ignored
    var explained = client().prepareSearch("vocab").setExplain(true).setProfile(true).setQuery(HammingQueryBuilder.of(
        "caption_code", "a dog on the sunset", null, null, "tiny-image", 10, null, null)).get();
    assertEquals(2, explained.getHits().getHits().length);
    for (var hit : explained.getHits().getHits()) {
      assertTrue(hit.getExplanation().toString(), hit.getExplanation().getDescription().endsWith(
          "; the model ignored the words [a, on, the] (not in its vocabulary)"));
    }
    assertTrue(explained.getProfileResults().toString(), explained.getProfileResults().values().stream()
        .flatMap(r -> r.getQueryProfileResults().stream()).flatMap(q -> q.getQueryResults().stream())
        .anyMatch(q -> q.getLuceneDescription().contains("the model ignored the words [a, on, the]")));
  }
}
