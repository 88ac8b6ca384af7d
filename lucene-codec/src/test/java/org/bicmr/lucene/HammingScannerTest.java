package org.bicmr.lucene;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.util.FixedBitSet;
import org.bicmr.codes.HashCode;

/** Both scanners against a bit-by-bit scan, over ranges that start and end anywhere inside the 8-code blocks. */
public class HammingScannerTest extends LuceneTestCase {

  public void testScalarAndVectorScansMatchBruteForce() throws IOException {
    List<HammingScanner> scanners = new ArrayList<>(List.of(new ScalarHammingScanner(), HammingScanner.INSTANCE));
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
      scanners.add(new VectorHammingScanner()); // emulated where the CPU lacks 512-bit vectors, still exact
    }
    Random random = random();
    for (int bits : new int[] {8, 64, 128, 192, 256, HammingDistanceQueryTest.randomBits(random)}) {
      int maxDoc = random.nextInt(1, 300);
      byte[][] codes = new byte[maxDoc][];
      byte[] center = HammingDistanceQueryTest.randomCode(random, bits);
      try (Directory dir = newDirectory()) {
        // a log merge policy merges adjacent segments only, so doc ids stay in insertion order
        try (IndexWriter writer =
            new IndexWriter(dir, newIndexWriterConfig().setMergePolicy(newLogMergePolicy()))) {
          for (int doc = 0; doc < maxDoc; doc++) {
            Document document = new Document();
            // the first document always has a code, so the field exists in the segment (tests.seed AD5F6FADE6A60B88
            // drew one document without one)
            if (doc == 0 || random.nextInt(8) != 0) {
              codes[doc] = random.nextBoolean() ? HammingDistanceQueryTest.nearby(random, center)
                  : HammingDistanceQueryTest.randomCode(random, bits);
              document.add(new HashCodeField("code", HashCode.fromBytes(codes[doc])));
            }
            writer.addDocument(document);
          }
          writer.forceMerge(1);
        }
        try (DirectoryReader reader = DirectoryReader.open(dir)) {
          LeafReader leaf = getOnlyLeafReader(reader);
          SegmentCodes segment = SegmentCodes.load(leaf, leaf.getFieldInfos().fieldInfo("code"));
          assertNotNull(segment);
          for (int q = 0; q < 20; q++) {
            byte[] query = random.nextBoolean() ? HammingDistanceQueryTest.nearby(random, center)
                : HammingDistanceQueryTest.randomCode(random, bits);
            int from = random.nextInt(maxDoc + 1);
            int to = random.nextInt(from, maxDoc + 1);
            int k = random.nextBoolean() ? HammingTopK.UNBOUNDED : random.nextInt(1, 20);
            int radius = random.nextInt(bits + 1);
            FixedBitSet accept = new FixedBitSet(maxDoc);
            for (int doc = 0; doc < maxDoc; doc++) {
              if (codes[doc] != null && random.nextInt(5) != 0) {
                accept.set(doc);
              }
            }
            List<long[]> expected = new ArrayList<>();
            for (int doc = from; doc < to; doc++) {
              if (accept.get(doc)) {
                int d = HammingDistanceQueryTest.bitByBitDistance(codes[doc], query);
                if (d <= radius) {
                  expected.add(new long[] {d, doc});
                }
              }
            }
            expected.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
            for (HammingScanner scanner : scanners) {
              HammingTopK top = new HammingTopK(k, radius);
              scanner.scan(segment, HashCode.fromBytes(query).words(), from, to, accept, top);
              long[] actual = top.sortedKeys();
              String context = scanner.name() + " bits=" + bits + " [" + from + "," + to + ") k=" + k + " r=" + radius;
              assertEquals(context, Math.min(k, expected.size()), actual.length);
              for (int i = 0; i < actual.length; i++) {
                assertEquals(context, expected.get(i)[0], HammingTopK.distanceOf(actual[i]));
                assertEquals(context, expected.get(i)[1], HammingTopK.docOf(actual[i]));
              }
            }
          }
        }
      }
    }
  }
}
