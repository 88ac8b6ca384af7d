package org.bicmr.training.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.bicmr.codes.HashCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's index answers every query as a brute-force scan does: by distance, then by insertion order. */
class ItemIndexTest {
  private static final long SEED = Long.getLong("bicmr.test.seed", new Random().nextLong());

  static {
    System.out.println("ItemIndexTest seed: " + SEED);
  }

  private static HashCode random(Random r, int bits) {
    float[] signs = new float[bits];
    for (int i = 0; i < bits; i++) {
      signs[i] = r.nextInt(3) == 0 ? 1 : -1; // skewed bits: many equal distances, so ties are exercised
    }
    return HashCode.fromSigns(signs);
  }

  @Test
  void searchEqualsBruteForceWithTiesInInsertionOrder(@TempDir Path tmp) throws Exception {
    Random r = new Random(SEED);
    int n = 500;
    int bits = 16;
    int[] items = new int[n];
    List<HashCode> image = new ArrayList<>();
    List<HashCode> text = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      items[i] = 10_000 + 3 * i; // item numbers are not doc ids
      image.add(random(r, bits));
      text.add(random(r, bits));
    }
    ItemIndex.write(tmp, items, image, text);
    try (ItemIndex index = ItemIndex.open(tmp)) {
      assertEquals(n, index.size());
      for (int q = 0; q < 30; q++) {
        HashCode query = random(r, bits);
        int k = 1 + r.nextInt(40);
        for (String field : List.of(ItemIndex.IMAGE_CODE, ItemIndex.TEXT_CODE)) {
          List<HashCode> codes = field.equals(ItemIndex.IMAGE_CODE) ? image : text;
          List<Integer> order = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            order.add(i);
          }
          order.sort(Comparator.<Integer>comparingInt(i -> bruteDistance(query, codes.get(i))).thenComparing(i -> i));
          List<ItemIndex.Hit> expected = new ArrayList<>();
          for (int i : order.subList(0, k)) {
            expected.add(new ItemIndex.Hit(items[i], bruteDistance(query, codes.get(i))));
          }
          assertEquals(expected, index.search(field, query, k), field + ", k = " + k);
        }
      }
    }
  }

  private static int bruteDistance(HashCode a, HashCode b) {
    int d = 0;
    for (int i = 0; i < a.bits(); i++) {
      d += a.bit(i) != b.bit(i) ? 1 : 0;
    }
    return d;
  }

  @Test
  void oneCodeOfEachKindPerItem(@TempDir Path tmp) {
    HashCode c = HashCode.fromHex("ab");
    var e = assertThrows(IllegalArgumentException.class,
        () -> ItemIndex.write(tmp, new int[] {1, 2}, List.of(c, c), List.of(c)));
    assertEquals("one image and one text code per item: 2 items, 2 image codes, 1 text codes", e.getMessage());
  }
}
