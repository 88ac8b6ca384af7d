package org.bicmr.lucene;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.lucene.tests.util.LuceneTestCase;

public class HammingTopKTest extends LuceneTestCase {

  public void testSelectionMatchesSortingEverything() {
    Random random = random();
    for (int iter = 0; iter < atLeast(200); iter++) {
      int maxDistance = random.nextInt(1, 70);
      int k = random.nextBoolean() ? random.nextInt(1, 30) : HammingTopK.UNBOUNDED;
      int radius = random.nextInt(0, maxDistance + 1);
      int n = random.nextInt(0, 500);
      boolean inOrder = random.nextBoolean();
      List<Integer> docs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        docs.add(i * 3 + random.nextInt(3));
      }
      if (inOrder == false) {
        Collections.shuffle(docs, random);
      }
      // the buffers may start smaller than the candidates (a segment's document count as the hint): they grow
      HammingTopK top = random.nextBoolean() ? new HammingTopK(k, radius)
          : new HammingTopK(k, radius, random.nextInt(1, 1 + Math.max(1, n)));
      List<long[]> offered = new ArrayList<>();
      for (int doc : docs) {
        // few distinct distances make many ties at the threshold
        int d = random.nextInt(0, 1 + Math.min(maxDistance, random.nextBoolean() ? 3 : maxDistance));
        if (d <= radius) {
          offered.add(new long[] {d, doc});
        }
        if (inOrder == false) {
          top.startRange(doc);
        }
        if (d < top.limit()) {
          top.add(doc, d);
        }
      }
      offered.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
      List<long[]> expected = offered.subList(0, Math.min(k, offered.size()));
      long[] actual = top.sortedKeys();
      assertEquals("k=" + k + " radius=" + radius + " n=" + n + " inOrder=" + inOrder, expected.size(), actual.length);
      for (int i = 0; i < actual.length; i++) {
        assertEquals(expected.get(i)[0], HammingTopK.distanceOf(actual[i]));
        assertEquals(expected.get(i)[1], HammingTopK.docOf(actual[i]));
      }
    }
  }

  /** A huge k over a small segment: the buffers start at the segment's size, not at 2k (which took 2 GB a query). */
  public void testBuffersStartAtTheSegmentsSize() {
    HammingTopK top = new HammingTopK(1_000_000, 64, 25);
    assertTrue("capacity " + top.capacity(), top.capacity() <= 25);
    assertTrue(new HammingTopK(10, 64, 1_000_000).capacity() <= 20);
  }

  public void testBadArguments() {
    expectThrows(IllegalArgumentException.class, () -> new HammingTopK(0, 3));
    expectThrows(IllegalArgumentException.class, () -> new HammingTopK(3, -1));
  }
}
