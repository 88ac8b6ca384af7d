package org.bicmr.training.images.clipart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bicmr.training.data.PairedDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A catalog of a tiny tree, every number worked out by hand: which drawings stay and why the others go, labels
 * (multi-label through a link), leaf groups, vocabulary and bags of words, and the files round trip.
 */
class ClipartCatalogTest {
  private static final ClipartCatalog.Options OPTIONS = new ClipartCatalog.Options(2, 2,
      ClipartCatalog.DROPPED_FOLDERS, 500);

  static ClipartTree tree(Path root) throws IOException {
    ClipartTree t = new ClipartTree(root);
    t.drawing("animals/birds/parrot.png", 8, Color.RED, "Red Parrot", List.of("bird", "parrot"))
        .drawing("animals/birds/crow.png", 8, Color.BLACK, "Black crow", List.of("bird"))
        .drawing("animals/birds/owl.png", 8, Color.GRAY, null, List.of())            // no SVG
        .drawing("animals/birds/xyz.png", 8, Color.CYAN, "Zzz", List.of("qqq"))      // no vocabulary word
        .drawing("animals/cat.png", 8, Color.ORANGE, "Cat", List.of("animal", "cat"))
        .drawing("animals/dog.png", 8, Color.YELLOW, "Dog", List.of("animal"))
        .drawing("food/fruit/apple.png", 8, Color.GREEN, "Apple", List.of("fruit", "red"))
        .drawing("food/fruit/pear.png", 8, Color.GREEN, "Pear", List.of("fruit"))
        .drawing("food/fruit/huge.png", 30, Color.BLUE, "Huge plum", List.of("fruit"))   // 900 pixels > 500
        .drawing("food/fruit/broken.png", 8, Color.PINK, null, List.of())
        .rawSvg("food/fruit/broken.png", "<svg xmlns=\"http://www.w3.org/2000/svg\"><g></svg>")
        .drawing("food/fruit/blank.png", 8, Color.PINK, "", List.of())
        .link("food/fruit/parrot.png", "animals/birds/parrot.png")
        .svg("food/fruit/parrot.png", "A parrot", List.of("red", "fruit"))              // its own SVG, as Debian's
        .drawing("special/pattern.png", 8, Color.MAGENTA, "Pattern", List.of("fruit"))
        .link("special/crow.png", "animals/birds/crow.png")
        .svg("special/crow.png", "Crow", List.of("bird"))
        .drawing("tools/hammer.png", 8, Color.DARK_GRAY, "Hammer", List.of("red", "fruit"))  // a leaf of one
        .drawing("top.png", 8, Color.WHITE, "Top", List.of("fruit"));                   // in no category
    return t;
  }

  @Test
  void itemsLabelsGroupsVocabularyAndWhatWasLeftOut(@TempDir Path tmp) throws Exception {
    ClipartTree t = tree(tmp);
    ClipartCatalog c = ClipartCatalog.scan(t.png(), t.svg(), OPTIONS);

    assertEquals(List.of("animals/birds/crow.png", "animals/birds/parrot.png", "animals/cat.png", "animals/dog.png",
        "food/fruit/apple.png", "food/fruit/pear.png"), c.items().stream().map(ClipartItem::png).toList());
    ClipartItem parrot = c.items().get(1);
    assertEquals(List.of("animals/birds/parrot.png", "food/fruit/parrot.png"), parrot.paths());
    assertEquals(List.of("animals", "food"), parrot.labels());   // one file, two categories: two labels
    assertEquals("animals/birds", parrot.leaf());                // the group of the file's own folder
    assertEquals("Red Parrot", parrot.title());                  // its own SVG's title, not the link's
    assertEquals(List.of("bird", "parrot", "red", "fruit"), parrot.keywords());
    assertEquals("Red Parrot bird parrot red fruit", parrot.text());
    ClipartItem crow = c.items().get(0);
    assertEquals(List.of("animals/birds/crow.png"), crow.paths()); // the link under special/ is dropped
    assertEquals(List.of("animals"), crow.labels());

    assertEquals(List.of("animals", "food"), c.labels());
    assertEquals(Map.of("animals", 4, "food", 3), c.labelCounts());
    assertEquals(List.of("animals", "animals/birds", "food/fruit"), c.leaves());
    // document counts: red 2 (parrot, apple), bird 2, fruit 3, animal 2; every other token once
    assertEquals(List.of("animal", "bird", "fruit", "red"), c.vocabulary());
    assertArrayEquals(new float[] {0, 1, 1, 1}, c.bagOfWords(1));
    assertArrayEquals(new float[] {0, 1, 0, 0}, c.bagOfWords(0));
    assertArrayEquals(new float[] {1, 0, 0, 0}, c.bagOfWords(2));

    SkipCounts s = c.skipped();
    assertEquals(1, s.count("PNG paths without an SVG"));
    assertEquals(2, s.count("drawings without a readable SVG"));       // owl, broken
    assertEquals(1, s.count("SVG files that are not well-formed XML"));
    assertEquals(1, s.count("drawings whose SVG has no title and no keywords"));
    assertEquals(1, s.count("drawings whose PNG has more than 500 pixels"));
    assertEquals(2, s.count("drawings only in dropped folders [special, unsorted] or outside any category folder"));
    assertEquals(1, s.count("drawings in leaf folders with fewer than 2 drawings"));   // hammer
    assertEquals(1, s.count("drawings whose text has no vocabulary word"));            // xyz
    assertEquals(8, s.entries().size());
    assertEquals(List.of("food/fruit/huge.png: 30×30"),
        s.entries().get("drawings whose PNG has more than 500 pixels").examples());
    assertTrue(c.summary().startsWith("6 drawings (1 reached through more than one path, 1 with several labels), "
        + "vocabulary 4 words (in at least 2 drawings), 2 labels, 3 leaf groups (at least 2 drawings each)"),
        c.summary());
  }

  @Test
  void theDatasetOfSomeRowsAndTheFilesRoundTrip(@TempDir Path tmp) throws Exception {
    ClipartTree t = tree(tmp.resolve("tree"));
    ClipartCatalog c = ClipartCatalog.scan(t.png(), t.svg(), OPTIONS);
    int[] rows = {1, 4, 2};
    PairedDataset d = c.dataset("tiny", rows, new float[] {1, 2, 3, 4, 5, 6}, 2);
    assertArrayEquals(new float[] {1, 1, 0, 1, 1, 0}, d.labels());       // parrot: both; apple: food; cat: animals
    assertArrayEquals(new int[] {1, 2, 0}, d.relevanceGroups());
    assertArrayEquals(new float[] {0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0}, d.text());
    assertEquals(List.of("animal", "bird", "fruit", "red"), d.vocabulary());
    assertEquals(List.of("animals", "food"), d.labelNames());
    assertArrayEquals(new float[] {3, 4}, d.imageRow(1));

    Path dir = tmp.resolve("data");
    c.write(dir);
    ClipartCatalog back = ClipartCatalog.read(dir);
    assertEquals(c.items(), back.items());
    assertEquals(c.vocabulary(), back.vocabulary());
    assertEquals(c.summary(), back.summary());
    assertEquals(c.options(), back.options());
    assertEquals(c.file(3), back.file(3));
    assertEquals(6, Files.readAllLines(dir.resolve("items.jsonl")).size());
  }

  @Test
  void badInputIsOneErrorNamingIt(@TempDir Path tmp) throws Exception {
    assertThrows(NoSuchFileException.class, () -> ClipartCatalog.scan(tmp.resolve("png"), tmp, OPTIONS));
    assertThrows(NoSuchFileException.class, () -> ClipartCatalog.read(tmp));
    ClipartTree t = tree(tmp.resolve("tree"));
    Path dir = tmp.resolve("data");
    ClipartCatalog.scan(t.png(), t.svg(), OPTIONS).write(dir);
    List<String> lines = Files.readAllLines(dir.resolve("items.jsonl"));
    Files.writeString(dir.resolve("items.jsonl"), String.join("\n", lines.subList(0, 5)) + "\n{\"png\": 3}\n");
    IOException e = assertThrows(IOException.class, () -> ClipartCatalog.read(dir));
    assertEquals(dir.resolve("items.jsonl") + " line 6: \"png\" is 3, expected a string", e.getMessage());
    assertEquals("min leaf size must be at least 1, got 0", assertThrows(IllegalArgumentException.class,
        () -> new ClipartCatalog.Options(0, 1, List.of(), 1)).getMessage());
  }
}
