package org.bicmr.opensearch.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bicmr.codes.HashCode;
import org.bicmr.onnx.InferenceDevice;
import org.bicmr.onnx.InferenceOptions;
import org.bicmr.onnx.ModelBundle;
import org.opensearch.test.OpenSearchTestCase;

/**
 * The node's models across reloads: a request's registry keeps its bundles open until it is released, then only the
 * bundles no registry serves are closed; a bundle that fails to load, or whose bits differ from a field mapped to its
 * name, leaves the previous one serving; a removed entry is no longer served; hidden entries are skipped; a request
 * run with one registry gets it from every acquire in its thread context, across a reload; under concurrent encodes
 * and reloads every encode gives the old or the new model's code and nothing stays open.
 */
@org.apache.lucene.tests.util.LuceneTestCase.SuppressFileSystems("ExtrasFS") // no stray files in the models directory
public class ModelsTests extends OpenSearchTestCase {
  /** onnx-models' fixtures (tests run in the module directory). */
  static final Path FIXTURES = Path.of("../onnx-models/src/test/resources/org/bicmr/onnx");
  static final Path V1 = FIXTURES.resolve("tiny-bundle");
  static final Path V2 = FIXTURES.resolve("tiny-bundle-v2");
  static final Path EIGHT_BITS = FIXTURES.resolve("tiny-bundle-8bit");
  private static final InferenceOptions CPU = new InferenceOptions(InferenceDevice.CPU, 1);
  private static final List<String> TEXTS = List.of("sunset beach", "dog cat", "night sky", "blue sea tree",
      "城市 night", "sky");

  /**
   * Puts the bundle files of {@code bundle} in place of {@code models/name} as an operator would: copied in under a
   * hidden name, the old directory moved aside, the new one renamed into place, the old one deleted.
   */
  static void install(Path bundle, Path models, String name) throws IOException {
    Path staging = models.resolve("." + name + ".new");
    Files.createDirectories(staging);
    try (var files = Files.list(bundle)) {
      for (Path f : files.toList()) {
        if (f.getFileName().toString().matches(".*\\.(onnx|json|txt)") && !f.getFileName().toString().equals(
            "expected.json")) {
          Files.copy(f, staging.resolve(f.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    Path target = models.resolve(name);
    Path old = models.resolve("." + name + ".old");
    if (Files.exists(target)) {
      Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    org.apache.lucene.util.IOUtils.rm(old);
  }

  private static List<HashCode> codes(Path bundle) throws IOException {
    try (ModelBundle b = ModelBundle.load(bundle, CPU)) {
      return b.encoder().encodeTexts(TEXTS);
    }
  }

  private static List<HashCode> encode(ModelRegistry registry) {
    return registry.encode(new EncodeRequest("tiny", TEXTS, null)).codes();
  }

  public void testALeaseKeepsItsBundlesOpenAcrossAReload() throws Exception {
    Path models = createTempDir().resolve("models");
    install(V1, models, "tiny");
    List<HashCode> v1 = codes(V1);
    List<HashCode> v2 = codes(V2);
    assertNotEquals("the fixtures must encode differently", v1, v2);
    Models nodeModels = Models.load(models, CPU, 1000, null);
    try {
      Models.Lease before = nodeModels.acquire();
      SharedBundle oldTiny = before.registry().shared("tiny");
      SharedBundle shipped = before.registry().shared(ModelRegistry.DEFAULT_MODEL);
      assertEquals(1, before.registry().generation());
      assertEquals(v1, encode(before.registry()));

      install(V2, models, "tiny");
      ReloadReport report = nodeModels.reload(Map.of());
      assertEquals(2, report.generation());
      assertEquals(new ReloadReport.Model("loaded", "2", 16), report.models().get("tiny"));
      assertEquals("shipped", report.models().get(ModelRegistry.DEFAULT_MODEL).status());
      assertEquals(List.of(), report.removed());
      assertEquals(Map.of(), report.failed());
      try (Models.Lease after = nodeModels.acquire()) {
        assertEquals(2, after.registry().generation());
        assertEquals(v2, encode(after.registry()));
        assertSame("the shipped bundle is never reloaded", shipped,
            after.registry().shared(ModelRegistry.DEFAULT_MODEL));
      }
      // the request that took the old registry still encodes with the old model, whole
      assertFalse(oldTiny.closed());
      assertEquals(v1, encode(before.registry()));
      before.close();
      before.close(); // twice is harmless
      assertTrue("closed once no request holds it", oldTiny.closed());
      assertFalse(shipped.closed());
      expectThrows(IllegalStateException.class, before::registry);
    } finally {
      nodeModels.close();
    }
  }

  public void testARequestHoldsOneRegistryAcrossAReload() throws Exception {
    Path models = createTempDir().resolve("models");
    install(V1, models, "tiny");
    List<HashCode> v1 = codes(V1);
    List<HashCode> v2 = codes(V2);
    org.opensearch.common.util.concurrent.ThreadContext context =
        new org.opensearch.common.util.concurrent.ThreadContext(org.opensearch.common.settings.Settings.EMPTY);
    Models nodeModels = Models.load(models, CPU, 1000, context);
    try {
      SharedBundle first;
      try (Models.Lease lease = nodeModels.acquire()) {
        first = lease.registry().shared("tiny");
      }
      org.opensearch.action.support.PlainActionFuture<String> done = new org.opensearch.action.support.PlainActionFuture<>();
      java.util.concurrent.atomic.AtomicReference<org.opensearch.core.action.ActionListener<String>> respond =
          new java.util.concurrent.atomic.AtomicReference<>();
      List<Long> generations = Collections.synchronizedList(new ArrayList<>());
      java.util.concurrent.atomic.AtomicReference<Runnable> later = new java.util.concurrent.atomic.AtomicReference<>();
      nodeModels.withOneRegistry(done, listener -> {
        try (Models.Lease lease = nodeModels.acquire()) {
          generations.add(lease.registry().generation());
        }
        try {
          install(V2, models, "tiny");
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        assertEquals(2, nodeModels.reload(Map.of()).generation());
        try (Models.Lease lease = nodeModels.acquire()) {
          generations.add(lease.registry().generation());
          assertEquals("the request's model, whole", v1, encode(lease.registry()));
        }
        Thread other = new Thread(context.preserveContext(() -> { // where the request's context travels
          try (Models.Lease lease = nodeModels.acquire()) {
            generations.add(lease.registry().generation());
          }
        }));
        other.start();
        try {
          other.join();
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
        // a request started within this one (an index request run as a bulk) holds the same registry
        nodeModels.withOneRegistry(new org.opensearch.action.support.PlainActionFuture<String>(), nested -> {
          try (Models.Lease lease = nodeModels.acquire()) {
            generations.add(lease.registry().generation());
          }
          nested.onResponse("nested");
        });
        respond.set(listener); // answered later, as an asynchronous request is
        // a request started later from this one's context, once it has answered, holds the current registry
        later.set(context.preserveContext(() -> nodeModels.withOneRegistry(
            new org.opensearch.action.support.PlainActionFuture<String>(), next -> {
              try (Models.Lease lease = nodeModels.acquire()) {
                generations.add(lease.registry().generation());
              }
              next.onResponse("next");
            })));
      });
      assertEquals(List.of(1L, 1L, 1L, 1L), generations);
      try (Models.Lease lease = nodeModels.acquire()) { // outside the request: the current registry
        assertEquals(2, lease.registry().generation());
        assertEquals(v2, encode(lease.registry()));
      }
      assertFalse("held by the request", first.closed());
      respond.get().onResponse("done");
      assertEquals("done", done.get());
      assertTrue("released with the response", first.closed());
      later.get().run();
      assertEquals(List.of(1L, 1L, 1L, 1L, 2L), generations);
    } finally {
      nodeModels.close();
    }
  }

  public void testFailedOrRefusedBundlesLeaveThePreviousOneServing() throws Exception {
    Path models = createTempDir().resolve("models");
    install(V1, models, "tiny");
    List<HashCode> v1 = codes(V1);
    Models nodeModels = Models.load(models, CPU, 1000, null);
    try {
      SharedBundle first;
      try (Models.Lease lease = nodeModels.acquire()) {
        first = lease.registry().shared("tiny");
      }
      // a tampered file: the checksum fails, version 1 keeps serving
      install(V2, models, "tiny");
      Files.writeString(models.resolve("tiny").resolve("text.onnx"), "tampered",
          java.nio.file.StandardOpenOption.APPEND);
      ReloadReport corrupt = nodeModels.reload(Map.of());
      assertEquals(new ReloadReport.Model("kept", "1", 16), corrupt.models().get("tiny"));
      assertTrue(corrupt.failed().get("tiny"), corrupt.failed().get("tiny").contains("does not match its checksum")
          && corrupt.failed().get("tiny").endsWith("; the previous bundle (version 1, 16 bits) keeps serving"));
      try (Models.Lease lease = nodeModels.acquire()) {
        assertSame(first, lease.registry().shared("tiny"));
        assertEquals(v1, encode(lease.registry()));
        assertTrue(lease.registry().failures().containsKey("tiny"));
      }
      assertFalse(first.closed());

      // other bits while a field maps the model with 16: refused, version 1 keeps serving
      install(EIGHT_BITS, models, "tiny");
      Map<String, List<MappedField>> mapped = Map.of("tiny", List.of(new MappedField("items", "image_code", 16)));
      ReloadReport refused = nodeModels.reload(mapped);
      assertEquals(new ReloadReport.Model("kept", "1", 16), refused.models().get("tiny"));
      assertEquals("refused: the new bundle (version 3) gives 8-bit codes, but index [items] field [image_code] maps "
          + "model [tiny] with 16 bits; a bundle with another code length needs another name; the previous bundle "
          + "(version 1, 16 bits) keeps serving", refused.failed().get("tiny"));
      assertFalse(first.closed());
      // the same bits as the field, or no field naming the model: served
      ReloadReport allowed = nodeModels.reload(Map.of("other", List.of(new MappedField("x", "c", 16))));
      assertEquals(new ReloadReport.Model("loaded", "3", 8), allowed.models().get("tiny"));
      assertTrue("version 1 closed: no registry serves it any more", first.closed());

      // removed from the directory: no longer served; hidden entries are skipped
      org.apache.lucene.util.IOUtils.rm(models.resolve("tiny"));
      Files.createDirectories(models.resolve(".staging"));
      ReloadReport removed = nodeModels.reload(Map.of());
      assertEquals(List.of("tiny"), removed.removed());
      assertEquals(Set.of(ModelRegistry.DEFAULT_MODEL), removed.models().keySet());
      assertEquals(Map.of(), removed.failed());
      try (Models.Lease lease = nodeModels.acquire()) {
        var e = expectThrows(IllegalArgumentException.class, () -> encode(lease.registry()));
        assertTrue(e.getMessage(), e.getMessage().startsWith("model: unknown model [tiny]; available: "));
      }
    } finally {
      nodeModels.close();
    }
  }

  public void testConcurrentEncodesSeeOneWholeModelAndNothingStaysOpen() throws Exception {
    Path models = createTempDir().resolve("models");
    install(V1, models, "tiny");
    List<HashCode> v1 = codes(V1);
    List<HashCode> v2 = codes(V2);
    Models nodeModels = Models.load(models, CPU, 1000, null);
    Set<ModelRegistry> seen = Collections.newSetFromMap(new ConcurrentHashMap<>());
    Set<SharedBundle> bundles = Collections.newSetFromMap(new ConcurrentHashMap<>());
    AtomicBoolean stop = new AtomicBoolean();
    List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
    int[] answers = new int[2];
    CountDownLatch started = new CountDownLatch(2);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      Thread thread = new Thread(() -> {
        started.countDown();
        while (!stop.get()) {
          try (Models.Lease lease = nodeModels.acquire()) {
            seen.add(lease.registry());
            bundles.add(lease.registry().shared("tiny"));
            List<HashCode> got = encode(lease.registry());
            if (got.equals(v1)) {
              synchronized (answers) {
                answers[0]++;
              }
            } else if (got.equals(v2)) {
              synchronized (answers) {
                answers[1]++;
              }
            } else {
              errors.add(new AssertionError("a mixture of models: " + got));
            }
          } catch (Throwable e) {
            errors.add(e);
          }
        }
      }, "encode-" + t);
      thread.start();
      threads.add(thread);
    }
    started.await();
    try {
      for (int i = 0; i < 12; i++) {
        install(i % 2 == 0 ? V2 : V1, models, "tiny");
        ReloadReport r = nodeModels.reload(Map.of());
        assertEquals(i % 2 == 0 ? "2" : "1", r.models().get("tiny").version());
        Thread.sleep(20);
      }
    } finally {
      stop.set(true);
      for (Thread thread : threads) {
        thread.join(30_000);
      }
    }
    assertEquals(List.of(), errors);
    assertTrue("both models answered: " + answers[0] + " / " + answers[1], answers[0] > 0 && answers[1] > 0);
    try (Models.Lease lease = nodeModels.acquire()) {
      ModelRegistry current = lease.registry();
      for (ModelRegistry r : seen) {
        if (r != current) {
          assertEquals("generation " + r.generation() + " is released", 0, r.holders());
        }
      }
      for (SharedBundle b : bundles) {
        assertEquals(b != current.shared("tiny"), b.closed());
      }
    }
    nodeModels.close();
    try (ModelBundle check = ModelBundle.load(V1, CPU)) {
      assertNotNull(check); // the fixtures are untouched
    }
    for (SharedBundle b : bundles) {
      assertTrue(b.closed());
    }
    expectThrows(IllegalStateException.class, nodeModels::acquire);
  }
}
