package org.bicmr.training.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonReportTest {
  @TempDir
  Path dir;

  @Test
  void roundTripKeepsEverySettingAndNumber() throws IOException {
    List<EvaluationRun> runs = new ArrayList<>(SampleRuns.evaluate(11));
    double[] nanPrecision = new double[17];
    java.util.Arrays.fill(nanPrecision, Double.NaN);
    runs.add(new EvaluationRun("empty ünïcode \"quoted\" <set>", "SSAH", 16, Direction.TQI, Relevance.S, -5L,
        Map.of("lr", "1e-4", "λ", "0.4"), new RetrievalMetrics(16, 3, 2, 0, 2, Double.NaN, Double.NaN, Double.NaN,
            nanPrecision, nanPrecision, new int[17], nanPrecision, new int[] {7, 1}, new int[] {1, 3},
            new double[] {Double.NaN, Double.NaN}, new int[] {4, 9}, new double[] {Double.NaN, Double.NaN},
            new double[] {Double.NaN, Double.NaN})));
    assertTrue(runs.stream().anyMatch(r -> r.metrics().skippedQueries() > 0), "a run with skipped queries (NaN APs) is in the report");
    Path file = dir.resolve("report/eval.json");
    JsonReport.write(file, runs);
    List<EvaluationRun> back = JsonReport.read(file);
    assertEquals(runs.size(), back.size());
    for (int i = 0; i < runs.size(); i++) {
      assertSameRun(runs.get(i), back.get(i));
    }

    String json = Files.readString(file);
    assertFalse(json.contains("NaN"), "NaN is written as null, so the file is strict JSON");
    JsonObject root = JsonParser.parseString(json).getAsJsonObject();
    assertEquals(JsonReport.FORMAT, root.get("format").getAsString());
    JsonObject first = root.getAsJsonArray("runs").get(0).getAsJsonObject();
    assertEquals("IQT", first.get("direction").getAsString());
    assertEquals("S", first.get("relevance").getAsString());
    assertEquals(runs.get(0).settings().get("noise"), first.getAsJsonObject("settings").get("noise").getAsString());
    assertEquals(runs.get(0).metrics().map(), first.getAsJsonObject("metrics").get("map").getAsDouble());
  }

  @Test
  void readRefusesOtherFiles() throws IOException {
    Path other = dir.resolve("other.json");
    Files.writeString(other, "{\"format\": \"something-else\", \"runs\": []}");
    IOException e = assertThrows(IOException.class, () -> JsonReport.read(other));
    assertTrue(e.getMessage().contains("has format \"something-else\", expected \"bicmr-evaluation/1\""), e.getMessage());
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{\"format\": \"bicmr-evaluation/1\", \"runs\": [{\"method\": ");
    assertThrows(IOException.class, () -> JsonReport.read(broken));
  }

  static void assertSameRun(EvaluationRun expected, EvaluationRun actual) {
    assertEquals(expected.dataset(), actual.dataset());
    assertEquals(expected.method(), actual.method());
    assertEquals(expected.bits(), actual.bits());
    assertEquals(expected.direction(), actual.direction());
    assertEquals(expected.relevance(), actual.relevance());
    assertEquals(expected.splitSeed(), actual.splitSeed());
    assertEquals(expected.settings(), actual.settings());
    RetrievalMetrics e = expected.metrics();
    RetrievalMetrics a = actual.metrics();
    assertEquals(e.bits(), a.bits());
    assertEquals(e.databaseSize(), a.databaseSize());
    assertEquals(e.queries(), a.queries());
    assertEquals(e.evaluatedQueries(), a.evaluatedQueries());
    assertEquals(e.skippedQueries(), a.skippedQueries());
    assertEquals(e.map(), a.map()); // exact: doubles are written with all their digits; NaN equals NaN here
    assertEquals(e.baseRate(), a.baseRate());
    assertEquals(e.randomRankingMap(), a.randomRankingMap());
    assertArrayEquals(e.precisionAtRadius(), a.precisionAtRadius());
    assertArrayEquals(e.recallAtRadius(), a.recallAtRadius());
    assertArrayEquals(e.queriesRetrievingAtRadius(), a.queriesRetrievingAtRadius());
    assertArrayEquals(e.meanRetrievedAtRadius(), a.meanRetrievedAtRadius());
    assertArrayEquals(e.requestedTopK(), a.requestedTopK());
    assertArrayEquals(e.topK(), a.topK());
    assertArrayEquals(e.precisionAtK(), a.precisionAtK());
    assertArrayEquals(e.queryItems(), a.queryItems());
    assertArrayEquals(e.averagePrecision(), a.averagePrecision());
  }
}
