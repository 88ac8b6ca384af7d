package org.bicmr.training.demo;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.bicmr.codes.HashCode;
import org.bicmr.lucene.HammingDistanceQuery;
import org.bicmr.lucene.HashCodeCache;
import org.bicmr.lucene.HashCodeField;
import org.bicmr.onnx.HashEncoder;
import org.bicmr.training.data.PairedDataset;

/**
 * A Lucene index of dataset items for cross-modal search: each document holds an item's image code and text code
 * (as {@link HashCodeField}s, computed by the caller, e.g. with the exported ONNX models) and the item's number.
 * Text queries search {@link #IMAGE_CODE} (text → image), image queries search {@link #TEXT_CODE} (image → text),
 * ranked by exact Hamming distance with {@link HammingDistanceQuery}, ties by insertion order.
 */
public final class ItemIndex implements Closeable {
  /** The field holding each item's image code. */
  public static final String IMAGE_CODE = "image_code";
  /** The field holding each item's text code. */
  public static final String TEXT_CODE = "text_code";
  static final String ITEM = "item";

  /** One hit: the dataset item and its Hamming distance to the query. */
  public record Hit(int item, int distance) {}

  private final Directory directory;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  /** The index's code arrays, kept between searches (an index of the demo's size needs no limit). */
  private final HashCodeCache cache = new HashCodeCache(Long.MAX_VALUE);

  private ItemIndex(Directory directory) throws IOException {
    this.directory = directory;
    this.reader = DirectoryReader.open(directory);
    this.searcher = new IndexSearcher(reader);
  }

  /**
   * Writes a new index in {@code dir}: one document per item, in the order given (so equal distances rank in that
   * order, as the evaluation breaks ties by database position).
   */
  public static void write(Path dir, int[] items, List<HashCode> imageCodes, List<HashCode> textCodes)
      throws IOException {
    if (imageCodes.size() != items.length || textCodes.size() != items.length) {
      throw new IllegalArgumentException("one image and one text code per item: " + items.length + " items, "
          + imageCodes.size() + " image codes, " + textCodes.size() + " text codes");
    }
    IndexWriterConfig config = new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.CREATE)
        .setRAMBufferSizeMB(256);
    try (Directory d = FSDirectory.open(dir); IndexWriter writer = new IndexWriter(d, config)) {
      for (int i = 0; i < items.length; i++) {
        Document doc = new Document();
        doc.add(new StoredField(ITEM, items[i]));
        doc.add(new HashCodeField(IMAGE_CODE, imageCodes.get(i)));
        doc.add(new HashCodeField(TEXT_CODE, textCodes.get(i)));
        writer.addDocument(doc);
      }
      writer.forceMerge(1);
      writer.commit();
    }
  }

  /**
   * Writes a new index of images only (text → image search): document i holds item i and {@code imageCodes.get(i)}.
   */
  public static void writeImages(Path dir, List<HashCode> imageCodes) throws IOException {
    IndexWriterConfig config = new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.CREATE);
    try (Directory d = FSDirectory.open(dir); IndexWriter writer = new IndexWriter(d, config)) {
      for (int i = 0; i < imageCodes.size(); i++) {
        Document doc = new Document();
        doc.add(new StoredField(ITEM, i));
        doc.add(new HashCodeField(IMAGE_CODE, imageCodes.get(i)));
        writer.addDocument(doc);
      }
      writer.forceMerge(1);
      writer.commit();
    }
  }

  /**
   * Encodes the {@code items} of {@code data} with {@code encoder} (image features and written-out texts, in batches)
   * and writes them with {@link #write}; {@code progress} hears how many items are encoded so far.
   */
  public static void build(Path dir, PairedDataset data, int[] items, HashEncoder encoder, IntConsumer progress)
      throws IOException {
    List<HashCode> image = new ArrayList<>(items.length);
    List<HashCode> text = new ArrayList<>(items.length);
    for (int from = 0; from < items.length; from += HashEncoder.MAX_BATCH) {
      int to = Math.min(items.length, from + HashEncoder.MAX_BATCH);
      List<float[]> features = new ArrayList<>(to - from);
      List<String> texts = new ArrayList<>(to - from);
      for (int i = from; i < to; i++) {
        features.add(data.imageRow(items[i]));
        texts.add(data.words(items[i]));
      }
      image.addAll(encoder.encodeImages(features));
      text.addAll(encoder.encodeTexts(texts));
      progress.accept(to);
    }
    write(dir, items, image, text);
  }

  /** Opens an index written by {@link #write}. */
  public static ItemIndex open(Path dir) throws IOException {
    Directory d = FSDirectory.open(dir);
    try {
      return new ItemIndex(d);
    } catch (IOException | RuntimeException e) {
      d.close();
      throw e;
    }
  }

  /** The number of indexed items. */
  public int size() {
    return reader.numDocs();
  }

  /** The {@code k} items whose code in {@code field} is nearest to {@code query}. */
  public List<Hit> search(String field, HashCode query, int k) throws IOException {
    return search(field, query, k, query.bits());
  }

  /** The {@code k} nearest items within Hamming distance {@code maxDistance} (k may be {@link HammingDistanceQuery#ALL}). */
  public List<Hit> search(String field, HashCode query, int k, int maxDistance) throws IOException {
    int n = k == HammingDistanceQuery.ALL ? Math.max(1, reader.numDocs()) : Math.min(k, Math.max(1, reader.numDocs()));
    TopDocs top = searcher.search(HashCodeField.newQuery(field, query, k, maxDistance, null, cache), n);
    List<Hit> hits = new ArrayList<>(top.scoreDocs.length);
    var stored = searcher.storedFields();
    for (ScoreDoc sd : top.scoreDocs) {
      int item = stored.document(sd.doc).getField(ITEM).numericValue().intValue();
      hits.add(new Hit(item, HammingDistanceQuery.distance(sd.score)));
    }
    return hits;
  }

  @Override
  public void close() throws IOException {
    try {
      reader.close();
    } finally {
      directory.close();
    }
  }
}
