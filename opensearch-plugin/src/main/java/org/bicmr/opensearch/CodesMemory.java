package org.bicmr.opensearch;

import org.bicmr.lucene.HashCodeCache;
import org.opensearch.OpenSearchParseException;
import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.unit.MemorySizeValue;
import org.opensearch.core.common.breaker.CircuitBreaker;
import org.opensearch.core.common.breaker.CircuitBreakingException;
import org.opensearch.core.common.unit.ByteSizeValue;
import org.opensearch.indices.breaker.BreakerSettings;

/**
 * The node's code arrays: one {@link HashCodeCache} for every {@code bicmr_code} field of every shard on the node,
 * bounded by {@code bicmr.codes.cache.limit} and charged to the {@code bicmr_codes} circuit breaker (whose limit is
 * the same) before each array is allocated, so that a load that would exceed it fails with a 429 naming the breaker,
 * its limit and the bytes asked, while the node goes on serving. The cache evicts the least recently used arrays that
 * no search holds to make room; a segment's array is released when the segment closes.
 */
final class CodesMemory implements HashCodeCache.Accounting {
  /** The circuit breaker's name, as {@code _nodes/stats/breaker} and its errors show it. */
  static final String BREAKER = "bicmr_codes";
  static final String LIMIT_KEY = "bicmr.codes.cache.limit";
  static final String DEFAULT_LIMIT = "10%";

  /** {@code bicmr.codes.cache.limit}: a percentage of the heap or a byte size; dynamic. */
  static final Setting<ByteSizeValue> LIMIT = new Setting<>(LIMIT_KEY, DEFAULT_LIMIT, CodesMemory::parseLimit,
      Setting.Property.Dynamic, Setting.Property.NodeScope);

  private final HashCodeCache cache;
  private volatile CircuitBreaker breaker;

  CodesMemory(Settings settings) {
    this.cache = new HashCodeCache(LIMIT.get(settings).getBytes(), this);
  }

  /** A percentage of the heap ({@code 10%}) or a byte size ({@code 256mb}); refused naming the setting and value. */
  static ByteSizeValue parseLimit(String value) {
    ByteSizeValue limit;
    try {
      limit = MemorySizeValue.parseBytesSizeValueOrHeapRatio(value, LIMIT_KEY);
    } catch (OpenSearchParseException | IllegalArgumentException e) {
      throw new IllegalArgumentException(refusal(value), e);
    }
    if (limit.getBytes() < 0) {
      throw new IllegalArgumentException(refusal(value));
    }
    return limit;
  }

  private static String refusal(String value) {
    return "[" + LIMIT_KEY + "] must be a percentage of the heap (0% to 100%, e.g. 10%) or a byte size (e.g. 256mb), "
        + "got [" + value + "]";
  }

  HashCodeCache cache() {
    return cache;
  }

  /** The breaker's settings at start: its limit is the cache's. */
  static BreakerSettings breakerSettings(Settings settings) {
    return new BreakerSettings(BREAKER, LIMIT.get(settings).getBytes(), 1.0, CircuitBreaker.Type.MEMORY,
        CircuitBreaker.Durability.TRANSIENT);
  }

  void setBreaker(CircuitBreaker breaker) {
    this.breaker = breaker;
  }

  /** A new {@code bicmr.codes.cache.limit}: the cache's and the breaker's. */
  void setLimit(ByteSizeValue limit) {
    CircuitBreaker b = breaker;
    if (b != null) {
      b.setLimitAndOverhead(limit.getBytes(), b.getOverhead());
    }
    cache.setMaxBytes(limit.getBytes());
  }

  @Override
  public void reserve(long bytes, String what) {
    CircuitBreaker b = breaker;
    if (b == null) {
      return; // a node without breakers (unit tests): the cache's own limit still holds
    }
    try {
      b.addEstimateBytesAndMaybeBreak(bytes, "bicmr " + what + ", " + bytes + " bytes asked");
    } catch (CircuitBreakingException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("[" + BREAKER + "]")) {
        throw new CircuitBreakingException(e.getMessage() + "; the limit is the node setting [" + LIMIT_KEY + "], and "
            + "evicting every array no search holds would not make room", e.getBytesWanted(), e.getByteLimit(),
            e.getDurability());
      }
      throw e; // the parent breaker: the heap as a whole is full
    }
  }

  @Override
  public void release(long bytes) {
    CircuitBreaker b = breaker;
    if (b != null) {
      b.addWithoutBreaking(-bytes);
    }
  }
}
