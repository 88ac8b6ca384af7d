package org.bicmr.training.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A page rendered by headless Chromium: the DOM after its scripts ran, for the demos' pages. */
final class ChromiumPage {
  private ChromiumPage() {}

  /** The DOM, and the start of its body for messages. */
  record Rendered(String html) {
    String body() {
      int at = html.indexOf("<body");
      return at < 0 ? html : html.substring(at, Math.min(html.length(), at + 400));
    }
  }

  /** The DOM of {@code page} after headless Chromium has loaded it and run its scripts; null without Chromium. */
  static Rendered render(Path page) throws Exception {
    String chromium = null;
    for (String c : List.of("chromium", "chromium-browser", "google-chrome")) {
      for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
        if (chromium == null && Files.isExecutable(Path.of(dir, c))) {
          chromium = Path.of(dir, c).toString();
        }
      }
    }
    if (chromium == null) {
      return null;
    }
    Path profile = Files.createTempDirectory(page.getParent(), "chromium-profile");
    Process p = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--user-data-dir=" + profile, "--virtual-time-budget=10000", "--dump-dom", page.toUri().toString())
        .redirectError(page.getParent().resolve("chromium.log").toFile()).start();
    byte[] dom = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
    assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(page.getParent().resolve("chromium.log")));
    return new Rendered(new String(dom, StandardCharsets.UTF_8));
  }
}
