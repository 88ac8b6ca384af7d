package org.bicmr.lucene;

import java.io.Closeable;
import java.io.IOException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import org.apache.lucene.index.DocValuesType;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.SegmentReader;
import org.apache.lucene.util.Accountable;

/**
 * The in-memory code arrays that Hamming search scans, one per segment and field, within a byte limit.
 *
 * <p>Codes live on disk as binary doc values (any codec); reading them per document costs about 10 ns, a scan over a
 * {@code long[]} well under 1 ns. So a search of a field in a segment loads its codes into an array of l/8 bytes per
 * document (rounded up to 8-byte words, plus a bit per document when some lack a code) and keeps it here, until the
 * segment's core is closed (Lucene's closed listener) or the array is evicted. Deletions and updates do not invalidate
 * an array: they change live docs, not the segment core.
 *
 * <p>Memory: the arrays held never exceed {@link #maxBytes()} (settable at run time with {@link #setMaxBytes}). Before
 * a segment's array is allocated, its size is known from the segment's document count and code length; to make room,
 * the least recently used arrays that no running search holds are evicted (a search holds the arrays of the segment it
 * is scanning, and they are never evicted under it). If the arrays in use leave no room, the load is refused with a
 * {@link LimitExceededException} naming the limit, the bytes held and the bytes asked; the search fails, nothing is
 * kept or counted, and searches that fit go on. An optional {@link Accounting} hook is charged before each allocation
 * and refunded on each release, so that a host (an OpenSearch circuit breaker) can refuse a load and see the bytes.
 *
 * <p>A cache is created by its owner and passed to the queries and collectors that should use it
 * ({@link HammingDistanceQuery}, {@link HammingTopKCollectorManager}, {@link HashCodeField#newQuery(String, HashCode,
 * int, int, org.apache.lucene.search.Query, HashCodeCache)}); one cache per JVM, or per index, is the usual choice. A
 * query without a cache loads the codes it needs for its own search and drops them afterwards. Readers without a core
 * cache key (some filter readers) get an array per search, counted while the search holds it.
 *
 * <pre class="prettyprint">
 * HashCodeCache cache = new HashCodeCache(256L &lt;&lt; 20); // at most 256 MiB of code arrays
 * TopDocs hits = searcher.search(HashCodeField.newQuery("image_code", code, 10, code.bits(), null, cache), 10);
 * </pre>
 *
 * <p>Thread-safe. A search that throws while it holds an array (a collector's leaf that never finishes) keeps it
 * pinned until its segment closes.
 */
public final class HashCodeCache implements Accountable {
  /**
   * Told of every array's bytes before it is allocated and after it is dropped. Calls come one at a time, and the
   * total reserved and not released always equals {@link #ramBytesUsed()} when the accounting is asked: so an
   * accounting with the cache's limit (a circuit breaker) refuses exactly the loads the cache has no room for. Called
   * without the lock that searches take to find their arrays; it may read the cache's counters.
   */
  public interface Accounting {
    /**
     * {@code bytes} are about to be allocated for {@code what} (the field and segment); throw to refuse, and then
     * nothing is allocated and nothing is released later for this call.
     */
    void reserve(long bytes, String what);

    /** {@code bytes} reserved earlier are no longer held. */
    void release(long bytes);
  }

  /**
   * A load that would take the cache over its byte limit although every array that could be evicted was: the arrays
   * of searches in progress leave no room.
   */
  public static final class LimitExceededException extends RuntimeException {
    private final long limit;
    private final long held;
    private final long asked;

    LimitExceededException(String what, long limit, long held, long inUse, long asked) {
      super("cannot load the " + what + ": " + asked + " bytes asked, " + held + " bytes held (" + inUse
          + " by searches in progress, which cannot be evicted), limit " + limit + " bytes");
      this.limit = limit;
      this.held = held;
      this.asked = asked;
    }

    /** The cache's byte limit when the load was refused. */
    public long limit() {
      return limit;
    }

    /** The bytes the cache held when the load was refused. */
    public long held() {
      return held;
    }

    /** The bytes the refused array would have taken. */
    public long asked() {
      return asked;
    }
  }

  private static final Accounting NO_ACCOUNTING = new Accounting() {
    @Override
    public void reserve(long bytes, String what) {}

    @Override
    public void release(long bytes) {}
  };

  /** One segment core's codes of one field. */
  private record Key(IndexReader.CacheKey core, String field) {}

  /** An array, held or being loaded; every mutable field is guarded by the cache's lock. */
  private static final class Entry {
    final Key key;
    /** Completed with the codes (or null: no document has one) when loaded, exceptionally when the load failed. */
    final CompletableFuture<SegmentCodes> loaded = new CompletableFuture<>();
    /** The bytes counted in {@link #held} (and reserved from the accounting) for this entry. */
    long bytes;
    /** Searches holding the array, plus the loading thread while it loads. */
    int refs = 1;
    /** Out of the map: evicted, its core closed, or never cached. Its bytes are released when its refs reach 0. */
    boolean detached;

    Entry(Key key) {
      this.key = key;
    }

    boolean idle() {
      return refs == 0 && loaded.isDone();
    }
  }

  private final Accounting accounting;
  /**
   * Held around every change of {@link #held} that the accounting must follow, and the accounting's call: so the
   * accounting's total always equals {@link #held} for any thread that holds it (no load is refused by the accounting
   * while another thread has evicted arrays it has not yet released). Taken before {@link #lock}, never after.
   */
  private final Object reservations = new Object();
  /** Guards the map and every counter; held only briefly, never while calling the accounting. */
  private final Object lock = new Object();
  /** Cached arrays in access order: least recently used first. */
  private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  /** Cores whose closed listener is registered. */
  private final Set<IndexReader.CacheKey> listening = new HashSet<>();
  private long maxBytes;
  private long held;
  private long loads;
  private long evictions;
  private long refusals;

  /**
   * A cache of at most {@code maxBytes} bytes of code arrays.
   *
   * @throws IllegalArgumentException if {@code maxBytes} is negative
   */
  public HashCodeCache(long maxBytes) {
    this(maxBytes, NO_ACCOUNTING);
  }

  /**
   * A cache of at most {@code maxBytes} bytes of code arrays that reserves every array's bytes from {@code accounting}
   * before allocating it and releases them when the array is dropped.
   *
   * @throws IllegalArgumentException if {@code maxBytes} is negative
   * @throws NullPointerException if {@code accounting} is null, naming it
   */
  public HashCodeCache(long maxBytes, Accounting accounting) {
    this.accounting = Objects.requireNonNull(accounting, "accounting");
    this.maxBytes = checkMaxBytes(maxBytes);
  }

  private static long checkMaxBytes(long maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must be at least 0, got " + maxBytes);
    }
    return maxBytes;
  }

  /** The byte limit. */
  public long maxBytes() {
    synchronized (lock) {
      return maxBytes;
    }
  }

  /**
   * Changes the byte limit. Arrays no search holds are evicted at once, least recently used first, until the arrays
   * held fit; arrays in use stay until their searches end and are evicted then if the cache is still over the limit.
   *
   * @throws IllegalArgumentException if {@code maxBytes} is negative
   */
  public void setMaxBytes(long maxBytes) {
    checkMaxBytes(maxBytes);
    synchronized (reservations) {
      long evicted;
      synchronized (lock) {
        this.maxBytes = maxBytes;
        evicted = evictIdleWhile(() -> held > this.maxBytes);
      }
      release(evicted);
    }
  }

  /** The bytes held by the code arrays of this cache, including those being loaded. */
  @Override
  public long ramBytesUsed() {
    synchronized (lock) {
      return held;
    }
  }

  /** The bytes of the arrays that running searches hold (or are loading), which cannot be evicted now. */
  public long inUseBytes() {
    synchronized (lock) {
      return held - idleBytes();
    }
  }

  /** The number of segment cores that have arrays in the cache now. */
  public int segmentCount() {
    synchronized (lock) {
      Set<IndexReader.CacheKey> cores = new HashSet<>();
      for (Key key : entries.keySet()) {
        cores.add(key.core());
      }
      return cores.size();
    }
  }

  /** Arrays loaded since the cache was created. */
  public long loadCount() {
    synchronized (lock) {
      return loads;
    }
  }

  /** Arrays evicted to make room (not counting those dropped because their segment closed). */
  public long evictionCount() {
    synchronized (lock) {
      return evictions;
    }
  }

  /** Loads refused, by the byte limit or by the {@link Accounting}. */
  public long refusalCount() {
    synchronized (lock) {
      return refusals;
    }
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return "HashCodeCache(held=" + held + ", maxBytes=" + maxBytes + ", arrays=" + entries.size() + ", loads=" + loads
          + ", evictions=" + evictions + ", refusals=" + refusals + ")";
    }
  }

  /** The codes of a field in a segment, held for one search: close it when the search is done with the segment. */
  static final class Lease implements Closeable {
    private final HashCodeCache cache;
    private final Entry entry;
    private final SegmentCodes codes;
    private boolean closed;

    private Lease(HashCodeCache cache, Entry entry, SegmentCodes codes) {
      this.cache = cache;
      this.entry = entry;
      this.codes = codes;
    }

    SegmentCodes codes() {
      return codes;
    }

    @Override
    public void close() {
      if (closed == false) {
        closed = true;
        if (cache != null) {
          cache.unpin(entry);
        }
      }
    }
  }

  /**
   * The codes of {@code field} in {@code reader}, held until the lease is closed: from {@code cache}, loaded into it
   * if needed, or loaded for this search only when {@code cache} is null.
   *
   * @return null if no document of the segment has a code in this field
   * @throws IllegalArgumentException if the field exists but does not hold binary doc values
   * @throws LimitExceededException if the arrays in use leave no room for this one
   */
  static Lease acquire(HashCodeCache cache, LeafReader reader, String field) throws IOException {
    FieldInfo info = reader.getFieldInfos().fieldInfo(field);
    if (info == null) {
      return null;
    }
    if (info.getDocValuesType() != DocValuesType.BINARY) {
      throw new IllegalArgumentException(
          "field \"" + field + "\" is not a hash code field: expected BINARY doc values, found "
              + info.getDocValuesType());
    }
    if (cache == null) {
      SegmentCodes codes = SegmentCodes.load(reader, info);
      return codes == null ? null : new Lease(null, null, codes);
    }
    return cache.acquire(reader, info);
  }

  private Lease acquire(LeafReader reader, FieldInfo info) throws IOException {
    IndexReader.CacheHelper helper = reader.getCoreCacheHelper();
    if (helper == null) {
      Entry entry = new Entry(new Key(null, info.name));
      entry.detached = true;
      return load(reader, info, entry);
    }
    Key key = new Key(helper.getKey(), info.name);
    while (true) {
      Entry entry;
      boolean loader = false;
      synchronized (lock) {
        if (listening.add(key.core())) {
          try {
            helper.addClosedListener(this::coreClosed);
          } catch (RuntimeException e) {
            listening.remove(key.core());
            throw e;
          }
        }
        entry = entries.get(key); // marks it most recently used
        if (entry == null) {
          entry = new Entry(key);
          entries.put(key, entry);
          loader = true;
        } else {
          entry.refs++;
        }
      }
      if (loader) {
        return load(reader, info, entry);
      }
      try {
        SegmentCodes codes = entry.loaded.join();
        if (codes == null) {
          unpin(entry);
          return null;
        }
        return new Lease(this, entry, codes);
      } catch (CompletionException e) {
        unpin(entry); // the load failed in another search (a refusal, say): try it here
      }
    }
  }

  /** Loads the entry's codes in this thread; the entry is pinned once for this thread. */
  private Lease load(LeafReader reader, FieldInfo info, Entry entry) throws IOException {
    String what = "codes of field [" + info.name + "] in segment [" + segmentName(reader) + "]";
    SegmentCodes codes;
    try {
      codes = SegmentCodes.load(reader, info, bytes -> reserve(entry, bytes, what));
    } catch (IOException | RuntimeException | Error e) {
      failed(entry);
      entry.loaded.completeExceptionally(e);
      throw e;
    }
    synchronized (reservations) {
      long excess = 0;
      synchronized (lock) {
        if (codes == null) {
          entries.remove(entry.key, entry); // nothing to hold; finding that out again costs one doc values lookup
          entry.detached = true;
        } else {
          loads++;
          excess = entry.bytes - codes.ramBytesUsed(); // reserved with the bit set, which is dropped when full
          if (excess > 0) {
            entry.bytes -= excess;
            held -= excess;
          }
        }
      }
      release(excess);
    }
    entry.loaded.complete(codes);
    if (codes == null) {
      unpin(entry);
      return null;
    }
    return new Lease(this, entry, codes);
  }

  /** A failed load: out of the map, the loader's pin dropped, its reservation (if any) returned. */
  private void failed(Entry entry) {
    synchronized (reservations) {
      long bytes;
      synchronized (lock) {
        entries.remove(entry.key, entry);
        entry.detached = true;
        entry.refs--;
        bytes = entry.bytes;
        held -= bytes;
        entry.bytes = 0;
      }
      release(bytes);
    }
  }

  /**
   * Makes room for {@code bytes} by evicting idle arrays (only if that suffices), asks the accounting, then counts the
   * bytes: or refuses, counting a refusal, with nothing held for this entry.
   */
  private void reserve(Entry entry, long bytes, String what) {
    synchronized (reservations) {
      long evicted;
      synchronized (lock) {
        evicted = makeRoom(bytes);
      }
      release(evicted);
      try {
        accounting.reserve(bytes, what);
      } catch (RuntimeException e) {
        synchronized (lock) {
          refusals++;
        }
        throw e;
      }
      LimitExceededException refused = null;
      synchronized (lock) {
        if (held + bytes > maxBytes) { // no accounting, or one more generous than the limit
          refusals++;
          refused = new LimitExceededException(what, maxBytes, held, held - idleBytes(), bytes);
        } else {
          held += bytes;
          entry.bytes = bytes;
        }
      }
      if (refused != null) {
        release(bytes);
        throw refused;
      }
    }
  }

  /**
   * Evicts idle arrays, least recently used first, until {@code bytes} more fit, if evicting them all would make room
   * (else none). Under the lock; returns the bytes evicted, to be released without it.
   */
  private long makeRoom(long bytes) {
    if (held + bytes <= maxBytes || held - idleBytes() + bytes > maxBytes) {
      return 0;
    }
    return evictIdleWhile(() -> held + bytes > maxBytes);
  }

  private long idleBytes() {
    long idle = 0;
    for (Entry e : entries.values()) {
      if (e.idle()) {
        idle += e.bytes;
      }
    }
    return idle;
  }

  /**
   * Evicts idle arrays, least recently used first, while {@code condition} holds. Under the lock; returns the bytes
   * evicted, to be released without it.
   */
  private long evictIdleWhile(BooleanSupplier condition) {
    long evicted = 0;
    Iterator<Entry> it = entries.values().iterator();
    while (condition.getAsBoolean() && it.hasNext()) {
      Entry e = it.next();
      if (e.idle()) {
        it.remove();
        e.detached = true;
        held -= e.bytes;
        evicted += e.bytes;
        e.bytes = 0;
        evictions++;
      }
    }
    return evicted;
  }

  /** Tells the accounting that {@code bytes} are no longer held; called under {@link #reservations}, not the lock. */
  private void release(long bytes) {
    if (bytes > 0) {
      accounting.release(bytes);
    }
  }

  /** A search is done with an entry. */
  private void unpin(Entry entry) {
    synchronized (lock) {
      if (entry.refs > 0) {
        entry.refs--;
      }
      if ((entry.refs > 0 || entry.detached == false || entry.bytes == 0) && held <= maxBytes) {
        return; // the usual case: nothing to release
      }
    }
    synchronized (reservations) {
      long released = 0;
      synchronized (lock) {
        if (entry.refs == 0 && entry.detached) {
          released = entry.bytes; // never cached, or its core closed under the search: dropped now
          held -= released;
          entry.bytes = 0;
        }
        if (held > maxBytes) { // the limit was lowered while searches held arrays
          released += evictIdleWhile(() -> held > maxBytes);
        }
      }
      release(released);
    }
  }

  /**
   * A segment core closed: its arrays go, held by a search or not (a search cannot use a closed core); one still
   * loading goes when its loader is done with it.
   */
  private void coreClosed(IndexReader.CacheKey core) {
    synchronized (reservations) {
      long dropped = 0;
      synchronized (lock) {
        listening.remove(core);
        Iterator<Entry> it = entries.values().iterator();
        while (it.hasNext()) {
          Entry e = it.next();
          if (e.key.core() == core) {
            it.remove();
            e.detached = true;
            if (e.loaded.isDone()) {
              held -= e.bytes;
              dropped += e.bytes;
              e.bytes = 0;
            }
          }
        }
      }
      release(dropped);
    }
  }

  private static String segmentName(LeafReader reader) {
    LeafReader unwrapped = FilterLeafReader.unwrap(reader);
    return unwrapped instanceof SegmentReader segment ? segment.getSegmentName() : unwrapped.toString();
  }
}
