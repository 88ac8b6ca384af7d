package org.bicmr.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MainMinorGeneratorTest {
  private static MainMinorGenerator generator;

  @BeforeAll
  static void estimate() throws IOException {
    generator = MainMinorGenerator.fromMirFlickr(RealData.mirflickr(), 0.1);
  }

  private static MainMinorGenerator.Parameters small(long seed, int items) {
    MainMinorGenerator.Parameters p = MainMinorGenerator.Parameters.small();
    return new MainMinorGenerator.Parameters(items, 64, p.minorMin(), p.minorMax(), p.mainWeight(), p.tagsMin(),
        p.tagsMax(), p.imageNoise(), p.smoothing(), p.background(), seed);
  }

  @Test
  void topicsComeFromTheRealTagLabelCooccurrence() {
    assertEquals(1386, generator.vocabulary().size());
    // facts about MIRFlickr anyone can check: the label "sunset" is tagged "sunset", "sea" "sea", "dog" "dog"
    for (String[] pair : new String[][] {{"sunset", "sunset"}, {"sea", "sea"}, {"dog", "dog"}, {"night", "night"}}) {
      double[] p = generator.tagDistribution(MainMinorGenerator.LABELS.indexOf(pair[0]));
      int word = generator.vocabulary().indexOf(pair[1]);
      int better = 0;
      for (double v : p) {
        better += v > p[word] ? 1 : 0;
      }
      assertTrue(better < 10, "\"" + pair[1] + "\" is only the " + (better + 1) + "th tag of label " + pair[0]);
      // and it is much likelier under its label than under the average label
      double mean = 0;
      for (int t = 0; t < MainMinorGenerator.LABELS.size(); t++) {
        mean += generator.tagDistribution(t)[word] / MainMinorGenerator.LABELS.size();
      }
      assertTrue(p[word] > 3 * mean, pair[0] + ": " + p[word] + " vs mean " + mean);
    }
  }

  @Test
  void sameSeedSameData() {
    PairedDataset a = generator.generate(small(5, 300)).dataset();
    PairedDataset b = generator.generate(small(5, 300)).dataset();
    PairedDataset c = generator.generate(small(6, 300)).dataset();
    assertEquals(a, b);
    assertFalse(a.equals(c));
  }

  @Test
  void labelsNameTheMainAndMinorTopicsAndGroupsAreTheMainTopic() {
    MainMinorGenerator.Generated g = generator.generate(small(7, 500));
    PairedDataset d = g.dataset();
    assertArrayEquals(g.mainTopics(), d.relevanceGroups());
    for (int i = 0; i < d.size(); i++) {
      assertTrue(d.hasLabel(i, g.mainTopics()[i]));
      int count = 0;
      for (int c = 0; c < d.labelCount(); c++) {
        count += d.hasLabel(i, c) ? 1 : 0;
      }
      assertTrue(count >= 2 && count <= 5, "item " + i + " has " + count + " labels");
      int words = 0;
      for (int w = 0; w < d.textDim(); w++) {
        words += d.text()[i * d.textDim() + w] != 0 ? 1 : 0;
      }
      assertEquals(g.tags().get(i).size(), words);
      assertTrue(words >= 1 && words <= 8);
    }
  }

  @Test
  void labelOverlapAndMainTopicDisagreeAsIntended() {
    PairedDataset d = generator.generate(small(8, 600)).dataset();
    long s = 0, g = 0, sNotG = 0;
    for (int i = 0; i < d.size(); i++) {
      for (int j = i + 1; j < d.size(); j++) {
        boolean share = d.shareLabel(i, j);
        boolean same = d.relevanceGroups()[i] == d.relevanceGroups()[j];
        assertTrue(share || same == false, "G must imply S");
        s += share ? 1 : 0;
        g += same ? 1 : 0;
        sNotG += share && same == false ? 1 : 0;
      }
    }
    assertTrue(g > 0 && s > 2 * g, "S pairs " + s + ", G pairs " + g);
    assertTrue(sNotG > 0.5 * s, "most label-sharing pairs are about different main topics: " + sNotG + " of " + s);
  }

  @Test
  void textsAndImagesAreDominatedByTheMainTopic() {
    MainMinorGenerator.Parameters p = small(9, 400);
    MainMinorGenerator.Generated g = generator.generate(p);
    int wins = mainTopicWins(g);
    assertTrue(wins > 0.7 * p.items(), "the main topic explains the text better for " + wins + " of " + p.items());
    // the same draw with the main topic weighted like each minor one: the dominance comes from the weight
    MainMinorGenerator.Generated flat = generator.generate(new MainMinorGenerator.Parameters(p.items(), p.imageDim(),
        4, 4, 0.2, p.tagsMin(), p.tagsMax(), p.imageNoise(), p.smoothing(), p.background(), p.seed()));
    int flatWins = mainTopicWins(flat);
    assertTrue(wins > flatWins + 0.15 * p.items(), "main weight 0.6: " + wins + " wins; 0.2 (= each minor): " + flatWins);

    // image: items of the same main topic are closer (cosine) than items sharing only a minor label
    PairedDataset d = g.dataset();
    double same = 0, minorOnly = 0;
    int nSame = 0, nMinor = 0;
    for (int i = 0; i < d.size(); i++) {
      for (int j = i + 1; j < d.size(); j++) {
        double cos = cosine(d.image(), d.imageDim(), i, j);
        if (d.relevanceGroups()[i] == d.relevanceGroups()[j]) {
          same += cos;
          nSame++;
        } else if (d.shareLabel(i, j)) {
          minorOnly += cos;
          nMinor++;
        }
      }
    }
    assertTrue(same / nSame > minorOnly / nMinor + 0.05, "image cosine same main " + same / nSame + ", minor only "
        + minorOnly / nMinor);
  }

  /** Items whose tags are likelier under their main topic than under a random topic they are not labelled with. */
  private static int mainTopicWins(MainMinorGenerator.Generated g) {
    PairedDataset d = g.dataset();
    Random random = new Random(9);
    int wins = 0;
    for (int i = 0; i < d.size(); i++) {
      int main = g.mainTopics()[i];
      int other;
      do {
        other = random.nextInt(d.labelCount());
      } while (d.hasLabel(i, other));
      double[] pMain = generator.tagDistribution(main);
      double[] pOther = generator.tagDistribution(other);
      double llMain = 0, llOther = 0;
      for (int w = 0; w < d.textDim(); w++) {
        if (d.text()[i * d.textDim() + w] != 0) {
          llMain += Math.log(pMain[w]);
          llOther += Math.log(pOther[w]);
        }
      }
      wins += llMain > llOther ? 1 : 0;
    }
    return wins;
  }

  @Test
  void badParametersAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new MainMinorGenerator.Parameters(10, 8, 3, 2, 0.6, 3, 8, 1, 0.1, 0.3, 1));
    assertTrue(e.getMessage().contains("3..2"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new MainMinorGenerator.Parameters(10, 8, 0, 2, 1.5, 3, 8, 1, 0.1, 0.3, 1));
    assertTrue(e.getMessage().contains("1.5"), e.getMessage());
  }

  private static double cosine(float[] m, int dim, int i, int j) {
    double dot = 0, a = 0, b = 0;
    for (int k = 0; k < dim; k++) {
      double x = m[i * dim + k], y = m[j * dim + k];
      dot += x * y;
      a += x * x;
      b += y * y;
    }
    return dot / Math.sqrt(a * b);
  }
}
