package org.bicmr.training.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The experiment's tables in the paper's layouts, written out by hand for a small grid. */
class ExperimentTablesTest {
  private final List<EvaluationRun> runs = new ArrayList<>();

  private void add(String method, int bits, Direction d, Relevance r, double... maps) {
    for (int s = 0; s < maps.length; s++) {
      runs.add(new EvaluationRun("syn", method, bits, d, r, 42, Map.of("seed", Integer.toString(s + 1)),
          SampleRuns.metrics(bits, maps[s], r == Relevance.S ? 0.5 : 0.1)));
    }
  }

  @Test
  void tablesTwoThreeAndFour() {
    for (Relevance r : List.of(Relevance.S, Relevance.G)) {
      double shift = r == Relevance.S ? 0.4 : 0;
      add("Bi-CMR", 64, Direction.IQT, r, shift + 0.2, shift + 0.3);
      add("Bi-CMR", 64, Direction.TQI, r, shift + 0.1, shift + 0.1);
      add("DCMH", 64, Direction.IQT, r, shift + 0.25);
      add("DCMH", 64, Direction.TQI, r, shift + 0.15, shift + 0.25);
      add("Bi-CMR4", 64, Direction.IQT, r, shift + 0.05, shift + 0.15);
      add("Bi-CMR4", 64, Direction.TQI, r, shift + 0.2, shift + 0.2);
      add("Bi-CMR1", 64, Direction.IQT, r, shift + 0.1, shift + 0.1);
      add("Bi-CMR1", 64, Direction.TQI, r, shift + 0.1, shift + 0.1);
    }
    add("Bi-CMR", 16, Direction.IQT, Relevance.G, 0.3, 0.1);
    String md = ExperimentTables.markdown(SeedMeans.of(runs));

    String tableTwoG = """
        ### Table 2 layout: MAP on syn, relevance G (same relevance group)

        Mean ± standard deviation over 1–2 seeds (the count beside a cell with fewer).

        | Methods | IQT 16 bit | IQT 64 bit | TQI 64 bit |
        | --- | ---: | ---: | ---: |
        | Bi-CMR | **0.2000 ± 0.1414** | **0.2500 ± 0.0707** | 0.1000 ± 0.0000 |
        | DCMH | - | **0.2500 (1)** | **0.2000 ± 0.0707** |
        | base rate (random ranking) | 0.1000 | 0.1000 | 0.1000 |

        """;
    assertTrue(md.startsWith(tableTwoG), md);
    assertTrue(md.contains("### Table 2 layout: MAP on syn, relevance S"), md);
    assertTrue(md.indexOf("relevance G") < md.indexOf("relevance S"), "G first, as the paper's Table 2");
    String tableThree = """
        ### Table 3 layout: MAP on syn under S and G (64 bits)

        Mean ± standard deviation over 1–2 seeds (the count beside a cell with fewer).

        | relevance | Bi-CMR IQT | Bi-CMR TQI | DCMH IQT | DCMH TQI |
        | --- | ---: | ---: | ---: | ---: |
        | S | 0.6500 ± 0.0707 | 0.5000 ± 0.0000 | 0.6500 (1) | 0.6000 ± 0.0707 |
        | G | 0.2500 ± 0.0707 | 0.1000 ± 0.0000 | 0.2500 (1) | 0.2000 ± 0.0707 |

        """;
    assertTrue(md.contains(tableThree), md);
    String tableFour = """
        ### Table 4 layout: ablations on syn (64 bits)

        Mean ± standard deviation over 2 seeds.

        | Methods | IQT G | TQI G | IQT S | TQI S |
        | --- | ---: | ---: | ---: | ---: |
        | Bi-CMR1 | 0.1000 ± 0.0000 | 0.1000 ± 0.0000 | 0.5000 ± 0.0000 | 0.5000 ± 0.0000 |
        | Bi-CMR4 | 0.1000 ± 0.0707 | 0.2000 ± 0.0000 | 0.5000 ± 0.0707 | 0.6000 ± 0.0000 |
        | Bi-CMR | 0.2500 ± 0.0707 | 0.1000 ± 0.0000 | 0.6500 ± 0.0707 | 0.5000 ± 0.0000 |
        | base rate (random ranking) | 0.1000 | 0.1000 | 0.5000 | 0.5000 |

        """;
    assertTrue(md.endsWith(tableFour), md);
    assertFalse(md.substring(0, md.indexOf("### Table 4")).contains("Bi-CMR4"), "ablations only in Table 4");
  }

  @Test
  void aTextOnlyExperimentHasItsTqtColumnsAndNoTableThree() {
    add("Bi-CMR", 16, Direction.TQT, Relevance.S, 0.6, 0.62, 0.64);
    add("SSAH", 16, Direction.TQT, Relevance.S, 0.7, 0.7, 0.7);
    String md = ExperimentTables.markdown(SeedMeans.of(runs));
    assertTrue(md.contains("| Methods | TQT 16 bit |\n"), md);
    assertTrue(md.contains("| Bi-CMR | 0.6200 ± 0.0200 |\n| SSAH | **0.7000 ± 0.0000** |\n"), md);
    assertFalse(md.contains("Table 3"), md);
    assertEquals(1, md.split("### ", -1).length - 1, md);
  }
}
