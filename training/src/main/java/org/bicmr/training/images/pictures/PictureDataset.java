package org.bicmr.training.images.pictures;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bicmr.onnx.SentenceEncoder;
import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.images.features.ImageFeatureExtraction;

/**
 * A picture catalog with features, as a {@link PairedDataset}: each picture's image features (from an image feature
 * extractor), its text's sentence encoding, its labels (multi-hot over the catalog's sorted label names), its
 * relevance group (judgements "G") and its split group; the texts are kept as written. Pictures the extractor could
 * not read are left out.
 */
public final class PictureDataset {
  private PictureDataset() {}

  /** What came out: the dataset, and the catalog row of each of its items. */
  public record Result(PairedDataset data, int[] rows) {}

  /**
   * Pairs {@code items} with their features.
   *
   * @param image the extraction's result, one entry per item (null where the picture failed)
   * @param encoder the sentence encoder the text side uses
   */
  public static Result of(String name, List<PictureItem> items, ImageFeatureExtraction.Result image, int imageDim,
      SentenceEncoder encoder) {
    List<Integer> kept = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      if (image.features()[i] != null) {
        kept.add(i);
      }
    }
    if (kept.isEmpty()) {
      throw new IllegalArgumentException(name + ": no picture could be read (first: "
          + image.failures().values().iterator().next() + ")");
    }
    int n = kept.size();
    List<PictureItem> used = kept.stream().map(items::get).toList();
    List<String> labelNames = PictureCatalog.labelNames(used);
    Map<String, Integer> column = new java.util.HashMap<>();
    for (int c = 0; c < labelNames.size(); c++) {
      column.put(labelNames.get(c), c);
    }
    float[] features = new float[n * imageDim];
    float[] labels = new float[n * labelNames.size()];
    List<String> texts = new ArrayList<>(n);
    for (int r = 0; r < n; r++) {
      PictureItem item = used.get(r);
      System.arraycopy(image.features()[kept.get(r)], 0, features, r * imageDim, imageDim);
      for (String l : item.labels()) {
        labels[r * labelNames.size() + column.get(l)] = 1f;
      }
      texts.add(item.text());
    }
    float[][] encoded = encoder.encode(distinctInOrder(texts));
    Map<String, float[]> byText = new java.util.HashMap<>();
    List<String> distinct = distinctInOrder(texts);
    for (int i = 0; i < distinct.size(); i++) {
      byText.put(distinct.get(i), encoded[i]);
    }
    int textDim = encoder.dim();
    float[] text = new float[n * textDim];
    for (int r = 0; r < n; r++) {
      System.arraycopy(byText.get(texts.get(r)), 0, text, r * textDim, textDim);
    }
    PairedDataset data = PairedDataset.builder(name, n)
        .image(imageDim, features)
        .text(textDim, text)
        .labels(labelNames.size(), labels)
        .labelNames(labelNames)
        .relevanceGroups(PictureCatalog.indices(used, PictureItem::group))
        .splitGroups(PictureCatalog.indices(used, PictureItem::split))
        .texts(texts)
        .build();
    return new Result(data, kept.stream().mapToInt(Integer::intValue).toArray());
  }

  /** The pictures' files, in order. */
  public static List<Path> files(Path catalog, List<PictureItem> items) {
    return items.stream().map(i -> catalog.resolve(i.image())).toList();
  }

  private static List<String> distinctInOrder(List<String> texts) {
    return new ArrayList<>(new java.util.LinkedHashSet<>(texts));
  }
}
