package org.bicmr.opensearch;

import static org.opensearch.test.hamcrest.OpenSearchAssertions.assertAcked;
import static org.opensearch.test.hamcrest.OpenSearchAssertions.assertNoFailures;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.bicmr.codes.HashCode;
import org.bicmr.lucene.HammingDistanceQuery;
import org.bicmr.opensearch.model.EncodeAction;
import org.bicmr.opensearch.model.EncodeRequest;
import org.bicmr.opensearch.query.HammingQueryBuilder;
import org.bicmr.opensearch.stats.NodeStats;
import org.bicmr.opensearch.stats.StatsAction;
import org.bicmr.opensearch.stats.StatsRequest;
import org.bicmr.opensearch.stats.StatsResponse;
import org.opensearch.ExceptionsHelper;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.common.bytes.BytesArray;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.ToXContent;
import org.opensearch.plugins.Plugin;
import org.opensearch.rest.action.RestActions;
import org.opensearch.search.SearchHit;
import org.opensearch.test.OpenSearchIntegTestCase;

/**
 * The node's code memory on a real cluster: searches of more code arrays than {@code bicmr.codes.cache.limit} holds
 * evict and answer exactly; a limit below one array fails the search with the {@code bicmr_codes} breaker's 429 and
 * the node keeps serving; a malformed limit is refused naming the setting; {@code _plugins/bicmr/stats} shows it all,
 * with the encode calls per model and source, as JSON.
 */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.SUITE, numDataNodes = 2, numClientNodes = 0)
public class CodesMemoryIntegTests extends OpenSearchIntegTestCase {
  private static final int INDICES = 4;
  private static final int DOCS = 1000;

  @Override
  protected Collection<Class<? extends Plugin>> nodePlugins() {
    return List.of(BiCmrPlugin.class);
  }

  private static HashCode code(int index, int doc) {
    long bits = (index * 1_000_003L + doc) * 0x9E3779B97F4A7C15L;
    return HashCode.fromHex(String.format(java.util.Locale.ROOT, "%016x", bits ^ (bits >>> 29)));
  }

  /** {@link #INDICES} one-shard indices of {@link #DOCS} 64-bit codes each, one segment per shard. */
  private void indexCodes() {
    for (int i = 0; i < INDICES; i++) {
      String index = "codes" + i;
      assertAcked(prepareCreate(index).setSettings(Settings.builder().put("index.number_of_shards", 1)
          .put("index.number_of_replicas", 0)).setMapping("code", "type=bicmr_code,bits=64"));
      var bulk = client().prepareBulk();
      for (int d = 0; d < DOCS; d++) {
        bulk.add(client().prepareIndex(index).setId(Integer.toString(d)).setSource("code", code(i, d).toHex()));
      }
      assertFalse(bulk.get().hasFailures());
    }
    client().admin().indices().prepareForceMerge("codes*").setMaxNumSegments(1).get();
    refresh("codes*");
  }

  /** The cluster must not keep a test's settings. */
  @org.junit.After
  public void resetLimit() {
    assertAcked(client().admin().cluster().prepareUpdateSettings().setTransientSettings(Settings.builder()
        .putNull(BiCmrPlugin.CODES_CACHE_LIMIT.getKey())));
  }

  private void setLimit(String limit) {
    assertAcked(client().admin().cluster().prepareUpdateSettings().setTransientSettings(Settings.builder()
        .put(BiCmrPlugin.CODES_CACHE_LIMIT.getKey(), limit)));
  }

  /** The top 5 of index i for a query code, checked against a brute-force scan over the index's codes. */
  private void searchAndCheck(int i, HashCode query) {
    SearchResponse response = client().prepareSearch("codes" + i).setSize(5)
        .setQuery(HammingQueryBuilder.of("code", null, null, query.toHex(), null, 5, null, null)).get();
    assertNoFailures(response);
    List<Integer> expected = new ArrayList<>();
    for (int d = 0; d < DOCS; d++) {
      expected.add(code(i, d).distance(query));
    }
    expected.sort(null);
    List<Integer> actual = new ArrayList<>();
    for (SearchHit hit : response.getHits().getHits()) {
      int d = HammingDistanceQuery.distance(hit.getScore());
      assertEquals(code(i, Integer.parseInt(hit.getId())).distance(query), d);
      actual.add(d);
    }
    assertEquals("index " + i, expected.subList(0, 5), actual);
  }

  private StatsResponse stats() throws Exception {
    StatsResponse stats = client().execute(StatsAction.INSTANCE, new StatsRequest()).get();
    assertFalse(stats.failures().toString(), stats.hasFailures());
    return stats;
  }

  /** The stats as the REST endpoint writes them, parsed. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> statsJson() throws Exception {
    var rest = RestActions.nodesResponse(JsonXContent.contentBuilder(), ToXContent.EMPTY_PARAMS, stats());
    return XContentHelper.convertToMap(rest.content(), false, XContentType.JSON).v2();
  }

  private static long sum(StatsResponse stats, java.util.function.ToLongFunction<NodeStats> f) {
    return stats.getNodes().stream().mapToLong(f).sum();
  }

  public void testArraysBeyondTheLimitAreEvictedAndAnswersStayExact() throws Exception {
    indexCodes();
    // an array of 1,000 64-bit codes takes about 8 KB (8,200 asked while loading): room for one per node
    setLimit("12kb");
    StatsResponse before = stats();
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < INDICES; i++) {
        searchAndCheck(i, code(i, round * 7));
      }
    }
    StatsResponse after = stats();
    assertTrue("evictions " + after, sum(after, n -> n.codes().evictions()) > sum(before, n -> n.codes().evictions()));
    for (NodeStats node : after.getNodes()) {
      assertEquals(12 * 1024, node.codes().limitBytes());
      assertTrue(node.codes().heldBytes() + " held", node.codes().heldBytes() <= 12 * 1024);
      assertEquals("no search holds an array after it ends", 0, node.codes().inUseBytes());
      assertEquals("the breaker holds what the cache holds", node.codes().heldBytes(), node.breaker().estimatedBytes());
      assertEquals(12 * 1024, node.breaker().limitBytes());
    }
    // the counters are the node's since it started (other tests of the suite ran on these nodes)
    assertEquals(sum(before, n -> n.codes().refusals()), sum(after, n -> n.codes().refusals()));
    long loads = sum(after, n -> n.codes().loads()) - sum(before, n -> n.codes().loads());
    assertTrue("loads " + loads, loads >= INDICES * 3 - 2); // every search but those of a node's only index
  }

  /**
   * Shards of three segments searched with concurrent segment search, one index at a time, under a limit that holds
   * about two indices per node: the segments load at once, each making room by evicting idle arrays; nothing is
   * refused and every answer is exact.
   */
  public void testSegmentsLoadedAtOnceEvictIdleArraysInTurn() throws Exception {
    for (int i = 0; i < INDICES; i++) {
      String index = "codes" + i;
      assertAcked(prepareCreate(index).setSettings(Settings.builder().put("index.number_of_shards", 1)
          .put("index.number_of_replicas", 0).put("index.search.concurrent_segment_search.mode", "all")
          .put("index.merge.policy.max_merged_segment", "1kb")).setMapping("code", "type=bicmr_code,bits=64"));
      for (int s = 0; s < 3; s++) {
        var bulk = client().prepareBulk();
        for (int d = s * DOCS / 3; d < (s + 1) * DOCS / 3 + (s == 2 ? DOCS % 3 : 0); d++) {
          bulk.add(client().prepareIndex(index).setId(Integer.toString(d)).setSource("code", code(i, d).toHex()));
        }
        assertFalse(bulk.get().hasFailures());
        refresh(index);
      }
    }
    setLimit("20kb"); // an index's three arrays: about 8.5 KB; two per node
    StatsResponse before = stats();
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < INDICES; i++) {
        searchAndCheck(i, code(i, round * 11));
      }
    }
    StatsResponse after = stats();
    assertEquals(after.toString(), sum(before, n -> n.codes().refusals()), sum(after, n -> n.codes().refusals()));
    for (NodeStats node : after.getNodes()) {
      assertTrue(node.codes().heldBytes() + " held", node.codes().heldBytes() <= 20 * 1024);
      assertEquals("no search holds an array after it ends", 0, node.codes().inUseBytes());
    }
  }

  public void testALimitBelowOneArrayTripsTheBreakerWith429AndTheNodeKeepsServing() throws Exception {
    indexCodes();
    setLimit("4kb");
    long tripped = sum(stats(), n -> n.breaker().tripped());
    Exception e = expectThrows(Exception.class, () -> client().prepareSearch("codes0")
        .setQuery(HammingQueryBuilder.of("code", null, null, code(0, 0).toHex(), null, 5, null, null)).get());
    assertEquals(e.toString(), RestStatus.TOO_MANY_REQUESTS, ExceptionsHelper.status(e));
    String message = e.toString() + " " + java.util.Arrays.toString(
        ((org.opensearch.action.search.SearchPhaseExecutionException) e).shardFailures());
    assertTrue(message, message.contains("[bicmr_codes] Data too large, data for [bicmr codes of field [code] in "
        + "segment [_"));
    assertTrue(message, java.util.regex.Pattern.compile("in segment \\[_\\w+\\], (\\d+) bytes asked\\]").matcher(message)
        .find()); // 1,000 codes: about 8 KB, and the bit set of documents with a code while loading
    assertTrue(message, message.contains("which is larger than the limit of [4096/4kb]"));
    assertTrue(message, message.contains("the limit is the node setting [bicmr.codes.cache.limit]"));
    StatsResponse stats = stats();
    assertEquals(tripped + 1, sum(stats, n -> n.breaker().tripped()));
    assertTrue(sum(stats, n -> n.codes().refusals()) >= 1);
    for (NodeStats node : stats.getNodes()) {
      assertEquals(0, node.codes().heldBytes());
      assertEquals(0, node.breaker().estimatedBytes());
    }
    // the node keeps serving: other queries, and the same search once the limit allows it
    assertEquals(DOCS, client().prepareSearch("codes0").setSize(0).get().getHits().getTotalHits().value());
    setLimit("1mb");
    searchAndCheck(0, code(0, 0));
  }

  public void testAMalformedLimitIsRefusedNamingTheSettingAndTheValue() {
    for (String bad : List.of("ten percent", "150%", "-5mb", "12 parsecs")) {
      IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> setLimit(bad));
      assertEquals("[bicmr.codes.cache.limit] must be a percentage of the heap (0% to 100%, e.g. 10%) or a byte size "
          + "(e.g. 256mb), got [" + bad + "]", e.getMessage());
    }
  }

  @SuppressWarnings("unchecked")
  public void testStatsJsonShowsTheCacheTheBreakerAndEncodeCallsPerModelAndSource() throws Exception {
    indexCodes();
    setLimit("64kb");
    assertAcked(client().admin().cluster().preparePutPipeline("hash", new BytesArray(
        "{\"processors\": [{\"bicmr_hash\": {\"field\": \"caption\", \"target_field\": \"caption_code\"}}]}"),
        XContentType.JSON).get());
    assertAcked(prepareCreate("captions").setMapping("caption", "type=text", "caption_code",
        "type=bicmr_code,bits=64,model=bicmr-default"));
    for (int i = 0; i < INDICES; i++) {
      searchAndCheck(i, code(i, 1));
    }
    client().execute(EncodeAction.INSTANCE, EncodeRequest.of(null, "a red fire engine", null)).get();
    client().prepareIndex("captions").setId("1").setPipeline("hash").setSource("caption", "a kitten asleep").get();
    client().prepareBulk().add(client().prepareIndex("captions").setId("2").setPipeline("hash")
        .setSource("caption", "sunset over the sea")).add(client().prepareIndex("captions").setId("3")
        .setPipeline("hash").setSource("caption", "a dog on the beach")).get();
    refresh("captions");
    assertNoFailures(client().prepareSearch("captions").setQuery(HammingQueryBuilder.of("caption_code", "a cat", null,
        null, null, 3, null, null)).get());

    Map<String, Object> json = statsJson();
    int size = internalCluster().size(); // the data nodes and any dedicated cluster-manager nodes
    assertEquals(Map.of("total", size, "successful", size, "failed", 0), json.get("_nodes"));
    assertEquals(cluster().getClusterName(), json.get("cluster_name"));
    Map<String, Object> nodes = (Map<String, Object>) json.get("nodes");
    assertEquals(size, nodes.size());
    long held = 0;
    long loads = 0;
    Map<String, Long> calls = new java.util.TreeMap<>();
    Map<String, Long> inputs = new java.util.TreeMap<>();
    long total = 0;
    for (Object n : nodes.values()) {
      Map<String, Object> node = (Map<String, Object>) n;
      assertNotNull(node.get("name"));
      Map<String, Object> codes = (Map<String, Object>) node.get("codes");
      assertEquals(List.of("evictions", "held_in_bytes", "in_use_in_bytes", "limit_in_bytes", "loads", "refusals",
          "segments"),
          codes.keySet().stream().sorted().toList());
      assertEquals(64 * 1024, ((Number) codes.get("limit_in_bytes")).longValue());
      held += ((Number) codes.get("held_in_bytes")).longValue();
      loads += ((Number) codes.get("loads")).longValue();
      Map<String, Object> breaker = (Map<String, Object>) node.get("breaker");
      assertEquals("bicmr_codes", breaker.get("name"));
      assertEquals(codes.get("held_in_bytes"), breaker.get("estimated_size_in_bytes"));
      assertEquals(64 * 1024, ((Number) breaker.get("limit_size_in_bytes")).longValue());
      assertNotNull(breaker.get("tripped"));
      Map<String, Object> encode = (Map<String, Object>) node.get("encode");
      assertTrue(encode.toString(), encode.containsKey("bicmr-default"));
      Map<String, Object> model = (Map<String, Object>) encode.get("bicmr-default");
      assertEquals(List.of("by_source", "calls", "failures", "inputs", "time_in_millis"),
          model.keySet().stream().sorted().toList());
      Map<String, Object> bySource = (Map<String, Object>) model.get("by_source");
      assertEquals(List.of("api", "ingest", "query"), bySource.keySet().stream().sorted().toList());
      for (var source : bySource.entrySet()) {
        Map<String, Object> s = (Map<String, Object>) source.getValue();
        calls.merge(source.getKey(), ((Number) s.get("calls")).longValue(), Long::sum);
        inputs.merge(source.getKey(), ((Number) s.get("inputs")).longValue(), Long::sum);
        assertEquals(0, ((Number) s.get("failures")).longValue());
        assertTrue(((Number) s.get("time_in_millis")).longValue() >= 0);
      }
      total += ((Number) model.get("calls")).longValue();
    }
    assertTrue("held " + held, held > 0 && held <= 2 * 64 * 1024); // two data nodes
    assertTrue("loads " + loads, loads >= INDICES);
    assertEquals(1, (long) calls.get("api"));
    assertEquals(1, (long) calls.get("query"));
    assertTrue(calls.toString(), calls.get("ingest") >= 2 && calls.get("ingest") <= 3); // the bulk: one call or two
    assertEquals(3, (long) inputs.get("ingest"));
    assertEquals(calls.values().stream().mapToLong(Long::longValue).sum(), total);
  }
}
