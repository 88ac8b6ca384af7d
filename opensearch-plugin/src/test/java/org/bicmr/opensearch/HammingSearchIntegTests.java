package org.bicmr.opensearch;

import static org.opensearch.test.hamcrest.OpenSearchAssertions.assertAcked;
import static org.opensearch.test.hamcrest.OpenSearchAssertions.assertNoFailures;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bicmr.lucene.HammingDistanceQuery;
import org.bicmr.lucene.HashCode;
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
 * {@code bicmr_hash} pipeline go through the default model and agree with the encoder run in the test.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 2, numClientNodes = 1)
public class HammingSearchIntegTests extends OpenSearchIntegTestCase {
  private static final String INDEX = "items";
  private static final List<String> TAGS = List.of("red", "green", "blue");

  @Override
  protected Collection<Class<? extends Plugin>> nodePlugins() {
    return List.of(BiCmrPlugin.class);
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
        "type=bicmr_code,bits=32,model=bicmr-default"));
    assertAcked(client().admin().cluster().preparePutPipeline("hash", new BytesArray(
        "{\"processors\": [{\"bicmr_hash\": {\"model\": \"bicmr-default\", \"modality\": \"text\", \"field\": "
            + "\"caption\", \"target_field\": \"caption_code\", \"batch_size\": 16}}]}"), XContentType.JSON).get());
    List<String> captions = List.of("sunset beach sea", "dog puppy", "snow mountain", "night city lights",
        "flower macro", "baby portrait", "car street", "clouds sky", "tree lake", "river water", "food dinner",
        "bird nature", "sunset clouds", "sea water beach", "portrait girl", "city night");
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

    // the text is encoded once per request, on the coordinating node, whatever the number of shards
    long before = encodeRequests();
    assertNoFailures(client().prepareSearch("captions").setSize(3)
        .setQuery(HammingQueryBuilder.of("caption_code", "sunset sea", null, null, null, 3, null, null)).get());
    assertEquals("encode requests for one search over 3 shards", 1, encodeRequests() - before);
    before = encodeRequests();
    assertNoFailures(client().prepareSearch("captions").setSize(3).setQuery(
        QueryBuilders.boolQuery().should(HammingQueryBuilder.of("caption_code", "dog", null, null, null, 3, null, null))
            .should(HammingQueryBuilder.of("caption_code", "night", null, null, null, 3, null, null))).get());
    assertEquals("two bicmr_hamming clauses, one request each", 2, encodeRequests() - before);

    // a model the field was not made with is refused; an unknown model is a clear error
    var wrongModel = expectThrows(Exception.class, () -> client().prepareSearch("captions")
        .setQuery(HammingQueryBuilder.of("caption_code", "dog", null, null, "other-model", 5, null, null)).get());
    assertTrue(wrongModel.toString(), wrongModel.toString().contains("unknown model [other-model]"));
    var noWords = expectThrows(Exception.class, () -> client().prepareSearch("captions")
        .setQuery(HammingQueryBuilder.of("caption_code", "qwertyuiop", null, null, null, 5, null, null)).get());
    assertTrue(noWords.toString(), noWords.toString().contains("none of its words is in the model's vocabulary"));
  }


  private long encodeRequests() {
    long sum = 0;
    for (org.bicmr.opensearch.model.ModelRegistry r : internalCluster().getInstances(
        org.bicmr.opensearch.model.ModelRegistry.class)) {
      sum += r.encodeRequests();
    }
    return sum;
  }

  public void testThePipelineChecksTheTargetMappingAndMissingFields() throws Exception {
    assertAcked(prepareCreate("short").setMapping("caption_code", "type=bicmr_code,bits=16"));
    assertAcked(prepareCreate("other").setMapping("caption_code", "type=bicmr_code,bits=32,model=other"));
    assertAcked(client().admin().cluster().preparePutPipeline("strict", new BytesArray(
        "{\"processors\": [{\"bicmr_hash\": {\"field\": \"caption\", \"target_field\": \"caption_code\"}}]}"),
        XContentType.JSON).get());
    assertAcked(client().admin().cluster().preparePutPipeline("lenient", new BytesArray(
        "{\"processors\": [{\"bicmr_hash\": {\"field\": \"caption\", \"target_field\": \"caption_code\", "
            + "\"ignore_missing\": true}}]}"), XContentType.JSON).get());
    var bits = expectThrows(Exception.class, () -> client().prepareIndex("short").setId("1").setPipeline("strict")
        .setSource("caption", "sunset beach").get());
    assertTrue(bits.toString(), bits.toString().contains("is mapped with 16 bits, model [bicmr-default] gives 32-bit"));
    var model = expectThrows(Exception.class, () -> client().prepareIndex("other").setId("1").setPipeline("strict")
        .setSource("caption", "sunset beach").get());
    assertTrue(model.toString(), model.toString().contains("holds codes of model [other], the processor uses model "
        + "[bicmr-default]"));
    var missing = expectThrows(Exception.class, () -> client().prepareIndex("fresh").setId("1").setPipeline("strict")
        .setSource("title", "no caption").get());
    assertTrue(missing.toString(), missing.toString().contains("field [caption] is missing or null"));
    client().prepareIndex("fresh").setId("2").setPipeline("lenient").setSource("title", "no caption").get();
    var bulk = client().prepareBulk();
    bulk.add(client().prepareIndex("fresh").setId("3").setSource("caption", "dog puppy").setPipeline("strict"));
    bulk.add(client().prepareIndex("fresh").setId("4").setSource("caption", "qwertyuiop").setPipeline("strict"));
    bulk.add(client().prepareIndex("fresh").setId("5").setSource("caption", "snow mountain").setPipeline("strict"));
    var response = bulk.get();
    assertFalse(response.getItems()[0].isFailed());
    assertTrue("a bad text fails alone", response.getItems()[1].isFailed());
    assertTrue(response.getItems()[1].getFailureMessage(), response.getItems()[1].getFailureMessage()
        .contains("none of its words is in the model's vocabulary"));
    assertFalse(response.getItems()[2].isFailed());
    refresh("short", "other", "fresh");
    assertEquals(0, client().prepareSearch("short", "other").setSize(0).get().getHits().getTotalHits().value());
    assertEquals(3, client().prepareSearch("fresh").setSize(0).get().getHits().getTotalHits().value());
  }
}
