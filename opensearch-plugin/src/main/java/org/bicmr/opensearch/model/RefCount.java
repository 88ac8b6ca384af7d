package org.bicmr.opensearch.model;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many holders an object has, starting with its creator's one; {@code onLastRelease} runs once, on the thread that
 * releases the last hold. Once the count has reached zero the object cannot be held again ({@link #tryRetain} fails).
 */
final class RefCount {
  private final AtomicInteger holders = new AtomicInteger(1);
  private final String what;
  private final Runnable onLastRelease;

  RefCount(String what, Runnable onLastRelease) {
    this.what = what;
    this.onLastRelease = onLastRelease;
  }

  /** Adds a holder unless the last one has already released; says which. */
  boolean tryRetain() {
    while (true) {
      int n = holders.get();
      if (n <= 0) {
        return false;
      }
      if (holders.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** Adds a holder; the caller must already hold it (so it cannot be released meanwhile). */
  void retain() {
    if (!tryRetain()) {
      throw new IllegalStateException(what + " is already closed");
    }
  }

  /** Removes a holder; the last one runs {@code onLastRelease}. */
  void release() {
    int n = holders.decrementAndGet();
    if (n == 0) {
      onLastRelease.run();
    } else if (n < 0) {
      throw new IllegalStateException(what + " released more often than held");
    }
  }

  /** The current number of holders (0 once released for good). */
  int holders() {
    return Math.max(0, holders.get());
  }
}
