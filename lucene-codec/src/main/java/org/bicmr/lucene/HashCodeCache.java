package org.bicmr.lucene;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.index.DocValuesType;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.util.Accountable;

/**
 * The in-memory code arrays that Hamming search scans, one per segment and field.
 *
 * <p>Codes live on disk as binary doc values (any codec); reading them per document costs about 10 ns, a scan over a
 * {@code long[]} well under 1 ns. So the first search of a field in a segment loads its codes into an array of l/8
 * bytes per document (rounded up to 8-byte words, plus a bit per document when some lack a code), kept until the
 * segment's core is closed, when Lucene's closed-listener drops it. Deletions and updates do not invalidate an array:
 * they change live docs, not the segment core. {@link #ramBytesUsed()} reports what is held.
 *
 * <p>Readers without a core cache key (some filter readers) get a fresh array per search.
 */
public final class HashCodeCache implements Accountable {
  /** The cache every query and collector of this package uses. */
  public static final HashCodeCache DEFAULT = new HashCodeCache();

  private final Map<IndexReader.CacheKey, Map<String, SegmentCodes>> cores = new ConcurrentHashMap<>();
  private final AtomicLong ramBytes = new AtomicLong();

  private HashCodeCache() {}

  /**
   * The codes of {@code field} in {@code reader}, loaded on first use.
   *
   * @return null if no document of the segment has a code in this field
   * @throws IllegalArgumentException if the field exists but does not hold binary doc values
   */
  SegmentCodes codes(LeafReader reader, String field) throws IOException {
    FieldInfo info = reader.getFieldInfos().fieldInfo(field);
    if (info == null) {
      return null;
    }
    if (info.getDocValuesType() != DocValuesType.BINARY) {
      throw new IllegalArgumentException(
          "field \"" + field + "\" is not a hash code field: expected BINARY doc values, found "
              + info.getDocValuesType());
    }
    IndexReader.CacheHelper helper = reader.getCoreCacheHelper();
    if (helper == null) {
      return SegmentCodes.load(reader, info);
    }
    IndexReader.CacheKey key = helper.getKey();
    Map<String, SegmentCodes> perField = cores.get(key);
    if (perField == null) {
      Map<String, SegmentCodes> fresh = new ConcurrentHashMap<>();
      perField = cores.putIfAbsent(key, fresh);
      if (perField == null) {
        perField = fresh;
        try {
          helper.addClosedListener(this::release);
        } catch (RuntimeException e) {
          cores.remove(key);
          throw e;
        }
      }
    }
    SegmentCodes codes = perField.get(field);
    if (codes == null) {
      try {
        codes = perField.computeIfAbsent(field, f -> loadCounted(reader, info));
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    }
    return codes; // null (not cached) when the segment has the field but no code in it
  }

  private SegmentCodes loadCounted(LeafReader reader, FieldInfo info) {
    try {
      SegmentCodes codes = SegmentCodes.load(reader, info);
      if (codes != null) {
        ramBytes.addAndGet(codes.ramBytesUsed());
      }
      return codes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void release(IndexReader.CacheKey key) {
    Map<String, SegmentCodes> perField = cores.remove(key);
    if (perField != null) {
      for (SegmentCodes codes : perField.values()) {
        ramBytes.addAndGet(-codes.ramBytesUsed());
      }
    }
  }

  /** The bytes held by the code arrays of all open segments. */
  @Override
  public long ramBytesUsed() {
    return ramBytes.get();
  }

  /** The number of segment cores that have arrays now. */
  public int segmentCount() {
    return cores.size();
  }
}
