package org.bicmr.training.data;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where tests find the real MIRFlickr-25K and NUS-WIDE-10.5K files: {@code ../shared/data} of the project (system
 * property {@code bicmr.data.dir}, set by the build). A test that needs them is skipped, with the reason, on a
 * machine that does not have them; it never passes without reading them.
 */
public final class RealData {
  private RealData() {}

  public static Path mirflickr() {
    return dir("mirflickr25k");
  }

  public static Path nusWide() {
    return dir("nus-wide-10.5k");
  }

  private static Path dir(String name) {
    Path dir = Path.of(System.getProperty("bicmr.data.dir", "../shared/data"), name).toAbsolutePath().normalize();
    assumeTrue(Files.isDirectory(dir), "real data not found at " + dir + " (set -Dbicmr.data.dir)");
    return dir;
  }
}
