package org.bicmr.lucene;

import java.lang.invoke.MethodHandles;
import java.util.logging.Logger;
import org.apache.lucene.util.Bits;
import org.bicmr.codes.HashCode;

/**
 * The hot loop of Hamming search: offers the documents of a range of a segment whose code is closer to the query
 * than the selection's limit to a {@link HammingTopK}.
 *
 * <p>Two implementations: {@link ScalarHammingScanner} (plain Java, {@code Long.bitCount}) everywhere, and
 * {@code VectorHammingScanner} (the incubating Vector API, eight codes per 512-bit vector) where the JVM was started
 * with {@code --add-modules jdk.incubator.vector} and the CPU has 512-bit vectors. The choice is made once, the way
 * Lucene's {@code VectorizationProvider} does; {@code -Dbicmr.vectorization=false} forces the scalar loop.
 */
abstract class HammingScanner {
  private static final Logger LOG = Logger.getLogger(HammingScanner.class.getName());

  /** The scanner this JVM uses. */
  static final HammingScanner INSTANCE = create();

  /**
   * Offers to {@code sink} every document in [{@code from}, {@code to}) accepted by {@code accept} (null accepts all)
   * whose distance to {@code query} (as {@link HashCode} words) is below {@code sink.limit()}. Documents are offered in
   * increasing order.
   */
  abstract void scan(SegmentCodes codes, long[] query, int from, int to, Bits accept, HammingTopK sink);

  /** A short name for logs and benchmarks. */
  abstract String name();

  private static HammingScanner create() {
    if (Boolean.parseBoolean(System.getProperty("bicmr.vectorization", "true")) == false) {
      return new ScalarHammingScanner();
    }
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      LOG.fine("jdk.incubator.vector is not enabled; Hamming scans use the scalar loop");
      return new ScalarHammingScanner();
    }
    try {
      Class<?> cls =
          MethodHandles.lookup().findClass(HammingScanner.class.getPackageName() + ".VectorHammingScanner");
      Object scanner = cls.getDeclaredMethod("createIfFast").invoke(null);
      if (scanner instanceof HammingScanner s) {
        return s;
      }
      LOG.fine("the CPU has no 512-bit vectors; Hamming scans use the scalar loop");
    } catch (ReflectiveOperationException | LinkageError e) {
      LOG.fine("the Vector API is unusable (" + e + "); Hamming scans use the scalar loop");
    }
    return new ScalarHammingScanner();
  }

  @Override
  public String toString() {
    return name();
  }
}
