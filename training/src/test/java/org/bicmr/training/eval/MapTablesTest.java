package org.bicmr.training.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MapTablesTest {

  private static EvaluationRun run(String dataset, String method, int bits, Direction direction, Relevance relevance,
      double map, double baseRate) {
    return new EvaluationRun(dataset, method, bits, direction, relevance, 42, Map.of(),
        SampleRuns.metrics(bits, map, baseRate));
  }

  /** The best MAP of a column is bold only above the base rate (IQT 64 and TQI 16 here are not). */
  @Test
  void tablesShapedLikeThePapers() {
    List<EvaluationRun> runs = List.of(
        run("MIR", "Bi-CMR", 64, Direction.IQT, Relevance.G, 0.5862, 0.3),
        run("MIR", "DCMH", 16, Direction.IQT, Relevance.S, 0.44634, 0.55),
        run("MIR", "DCMH", 64, Direction.IQT, Relevance.S, 0.4878, 0.55),
        run("MIR", "DCMH", 16, Direction.TQI, Relevance.S, 0.4568, 0.55),
        run("MIR", "Bi|CMR", 16, Direction.IQT, Relevance.S, 0.5655, 0.55),
        run("MIR", "Bi|CMR", 64, Direction.IQT, Relevance.S, 0.4, 0.56),
        run("MIR", "Bi|CMR", 16, Direction.TQI, Relevance.S, 0.5445, 0.55),
        run("MIR", "Bi|CMR", 64, Direction.TQI, Relevance.S, 0.5586, 0.55),
        run("NUS", "DCMH", 32, Direction.TQI, Relevance.S, 0.5, 0.29));
    String expected = """
        ### MAP on MIR, relevance S (share at least one label)

        | Methods | IQT 16 bit | IQT 64 bit | TQI 16 bit | TQI 64 bit |
        | --- | ---: | ---: | ---: | ---: |
        | DCMH | 0.4463 | 0.4878 | 0.4568 | - |
        | Bi\\|CMR | **0.5655** | 0.4000 | 0.5445 | **0.5586** |
        | base rate (random ranking) | 0.5500 | 0.5500–0.5600 | 0.5500 | 0.5500 |

        MAP over the queries with at least one relevant database item; queries: 10, skipped (no relevant item): 1; \
        database: 100 items; split seed: 42.

        ### MAP on MIR, relevance G (same relevance group)

        | Methods | IQT 64 bit |
        | --- | ---: |
        | Bi-CMR | **0.5862** |
        | base rate (random ranking) | 0.3000 |

        MAP over the queries with at least one relevant database item; queries: 10, skipped (no relevant item): 1; \
        database: 100 items; split seed: 42.

        ### MAP on NUS, relevance S (share at least one label)

        | Methods | TQI 32 bit |
        | --- | ---: |
        | DCMH | **0.5000** |
        | base rate (random ranking) | 0.2900 |

        MAP over the queries with at least one relevant database item; queries: 10, skipped (no relevant item): 1; \
        database: 100 items; split seed: 42.
        """;
    assertEquals(expected, MapTables.markdown(runs));
  }

  @Test
  void writesTheFile(@TempDir Path dir) throws IOException {
    List<EvaluationRun> runs = SampleRuns.evaluate(3);
    Path file = dir.resolve("tables/map.md");
    MapTables.write(file, runs);
    String text = Files.readString(file);
    assertEquals(MapTables.markdown(runs), text);
    assertTrue(text.contains("| Methods | IQT 16 bit | IQT 32 bit | TQI 16 bit | TQI 32 bit |"), text);
    assertTrue(text.contains("relevance G (same relevance group)"), text);
  }

  @Test
  void twoRunsForOneCellAreRefused() {
    List<EvaluationRun> runs = List.of(run("MIR", "DCMH", 16, Direction.IQT, Relevance.S, 0.4, 0.5),
        run("MIR", "DCMH", 16, Direction.IQT, Relevance.S, 0.41, 0.5));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MapTables.markdown(runs));
    assertTrue(e.getMessage().contains("two runs of DCMH, IQT, 16 bits under relevance S on dataset \"MIR\""),
        e.getMessage());
  }
}
