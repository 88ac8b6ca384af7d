package org.bicmr.training.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.bicmr.training.data.RealData;
import org.bicmr.training.eval.Direction;
import org.bicmr.training.eval.EvaluationRun;
import org.bicmr.training.eval.JsonReport;
import org.bicmr.training.eval.Relevance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bicmr experiment} on a tiny grid: every cell's numbers equal {@code bicmr evaluate} of its model, the tables'
 * means and deviations equal those recomputed from the cells, a second run trains nothing, a changed option is
 * refused, a failing cell does not stop the others, and a cell claimed by a live process is left to it.
 */
class ExperimentCommandTest {
  @TempDir static Path tmp;
  static Path data;

  private static final String NETS = "--epochs 1 --batch 32 --queries 60 --train-size 120 --image-hidden 32 "
      + "--text-hidden 16,32";

  @BeforeAll
  static void generate() {
    data = tmp.resolve("data");
    assertEquals(0, Bicmr.commandLine().execute("generate", "--small", "--items", "300", "--mirflickr",
        RealData.mirflickr().toString(), "--out", data.toString()));
  }

  private static List<String> grid(Path out, String... extra) {
    List<String> args = new ArrayList<>(List.of("experiment", "--data", data.toString(), "--out", out.toString(),
        "--methods", "bicmr,dcmh", "--bits", "8,16", "--seeds", "1,2", "--ablations", "4", "--ablation-bits", "16",
        "--ablation-method", "bicmr",
        "--train-option", "all=" + NETS, "--train-option", "bicmr=--label-hidden 32 --ssr-hidden 16", "--quiet"));
    args.addAll(List.of(extra));
    return args;
  }

  private static int run(List<String> args) {
    return Bicmr.commandLine().execute(args.toArray(String[]::new));
  }

  @Test
  void gridResumesAndAgreesWithEvaluate() throws Exception {
    Path out = tmp.resolve("grid");
    assertEquals(0, run(grid(out)));
    List<String> cells = List.of("bicmr-8-s1", "bicmr-16-s1", "dcmh-8-s1", "dcmh-16-s1", "bicmr-8-s2", "bicmr-16-s2",
        "dcmh-8-s2", "dcmh-16-s2", "bicmr4-16-s1", "bicmr4-16-s2");
    for (String cell : cells) {
      assertTrue(Files.exists(out.resolve("cells").resolve(cell).resolve("runs.json")), cell);
      assertFalse(Files.exists(out.resolve("cells").resolve(cell).resolve("train.ckpt")), cell + ": checkpoint kept");
    }

    // a cell's numbers are bicmr evaluate's numbers of the cell's model
    Path report = tmp.resolve("evaluate-dcmh-16-s2");
    assertEquals(0, Bicmr.commandLine().execute("evaluate", "--data", data.toString(), "--model",
        out.resolve("cells/dcmh-16-s2/model").toString(), "--out", report.toString()));
    List<EvaluationRun> evaluated = JsonReport.read(report.resolve("report.json"));
    List<EvaluationRun> cell = JsonReport.read(out.resolve("cells/dcmh-16-s2/runs.json"));
    assertEquals(evaluated.size(), cell.size());
    for (int i = 0; i < cell.size(); i++) {
      assertEquals(evaluated.get(i).metrics().map(), cell.get(i).metrics().map());
      assertEquals("2", cell.get(i).settings().get("seed"));
    }

    // the table's Bi-CMR4 cell: mean and sample deviation of the two seeds' MAPs, recomputed here
    List<EvaluationRun> all = JsonReport.read(out.resolve("runs.json"));
    assertEquals(10 * 2 * 2, all.size()); // cells x directions x relevances (S, G)
    double[] maps = all.stream().filter(r -> r.method().equals("Bi-CMR4") && r.direction() == Direction.TQI
        && r.relevance() == Relevance.G).mapToDouble(r -> r.metrics().map()).toArray();
    assertEquals(2, maps.length);
    double mean = (maps[0] + maps[1]) / 2;
    double sd = Math.abs(maps[0] - maps[1]) / Math.sqrt(2);
    String tables = Files.readString(out.resolve("tables.md"));
    String row = tables.lines().filter(l -> l.startsWith("| Bi-CMR4 |")).findFirst().orElseThrow();
    assertTrue(row.contains(String.format(java.util.Locale.ROOT, "| %.4f ± %.4f |", mean, sd)), row + "\n" + tables);
    assertTrue(tables.contains("10 of 10 cells finished."), tables);
    assertTrue(Files.readString(out.resolve("epoch-times.md")).contains("| dcmh-16 | 2 | 1 |"));
    assertTrue(Files.exists(out.resolve("plots/pr-synthetic-mirflickr-300-G-TQI-16bit.png")));

    // a second run trains nothing
    FileTime before = Files.getLastModifiedTime(out.resolve("cells/bicmr-8-s1/runs.json"));
    assertEquals(0, run(grid(out)));
    assertEquals(before, Files.getLastModifiedTime(out.resolve("cells/bicmr-8-s1/runs.json")));

    // other options for the same cells are refused, naming the cell and both commands
    StringWriter err = new StringWriter();
    CommandLine cli = Bicmr.commandLine();
    cli.setErr(new PrintWriter(err));
    List<String> changed = grid(out);
    changed.set(changed.indexOf("all=" + NETS), "all=" + NETS.replace("--epochs 1", "--epochs 2"));
    assertEquals(2, cli.execute(changed.toArray(String[]::new)));
    assertTrue(err.toString().contains("cell bicmr-8-s1 in " + out + " was run with 'bicmr train --method bicmr "
        + "--bits 8 --seed 1 --select-on IQT,TQI --epochs 1"), err.toString());
  }

  @Test
  void aFailingCellIsRecordedAndTheOthersRun() throws Exception {
    Path out = tmp.resolve("failing");
    // DCMH at a learning rate of 1e6 diverges: its loss stops being finite
    assertEquals(0, run(List.of("experiment", "--data", data.toString(), "--out", out.toString(), "--methods",
        "dcmh,bicmr", "--bits", "8", "--seeds", "1", "--ablations", "0", "--train-option", "all=" + NETS,
        "--train-option", "dcmh=--lr 1e6 --lr-end 1e6", "--quiet")));
    assertTrue(Files.exists(out.resolve("cells/dcmh-8-s1/error.txt")));
    assertTrue(Files.exists(out.resolve("cells/bicmr-8-s1/runs.json")));
    String tables = Files.readString(out.resolve("tables.md"));
    assertTrue(tables.contains("1 of 2 cells finished. Missing: dcmh-8-s1 (failed: "), tables);
  }

  @Test
  void aCellClaimedByALiveProcessIsLeftToIt() throws Exception {
    Path out = tmp.resolve("claimed");
    Path cell = out.resolve("cells/bicmr-8-s1");
    Files.createDirectories(cell);
    Path stale = out.resolve("cells/bicmr-8-s2");
    Files.createDirectories(stale);
    Files.writeString(stale.resolve("claim"), "999999999"); // left by a process that ended: no lock, taken over
    List<String> grid = List.of("experiment", "--data", data.toString(), "--out", out.toString(), "--methods",
        "bicmr", "--bits", "8", "--seeds", "1,2", "--ablations", "0", "--train-option", "all=" + NETS, "--quiet");
    Process holder = ClaimHolder.start(cell.resolve("claim")); // another process, as a second grid would be
    try {
      assertEquals(0, run(grid));
      assertFalse(Files.exists(cell.resolve("runs.json")));
      assertTrue(Files.exists(stale.resolve("runs.json")));
      assertFalse(Files.exists(stale.resolve("claim")));
      assertTrue(Files.readString(out.resolve("tables.md")).contains("Missing: bicmr-8-s1 (not run yet)"));
    } finally {
      holder.destroyForcibly().waitFor(); // ends without releasing anything itself, as a crash would
    }
    assertEquals(0, run(grid)); // the claim of a process that ended is free
    assertTrue(Files.exists(cell.resolve("runs.json")));
    assertFalse(Files.exists(cell.resolve("claim")));
  }

  /** A process that holds a cell's claim the way a grid does, until it is killed. */
  static final class ClaimHolder {
    public static void main(String[] args) throws Exception {
      FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.lock();
      System.out.println("held " + lock.isValid());
      Thread.sleep(600_000);
    }

    /** Starts the holder on {@code claim} and returns once it holds the lock. */
    static Process start(Path claim) throws Exception {
      String java = ProcessHandle.current().info().command().orElseThrow();
      Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ClaimHolder.class.getName(),
          claim.toString()).redirectErrorStream(true).start();
      String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
      assertEquals("held true", line);
      return p;
    }
  }

  @Test
  void aVariationAddsItsOptionsOnceAfterTheGridsOptions() {
    ExperimentCommand grid = new ExperimentCommand();
    List<String> command = grid(tmp.resolve("unused"), "--variation", "no-pairs=--pairs 0");
    new CommandLine(grid).parseArgs(command.subList(1, command.size()).toArray(String[]::new)); // after "experiment"
    List<String> args = grid.trainArguments(new ExperimentCommand.Cell("bicmr", 0, "no-pairs", 16, 1));
    assertEquals(List.of("--method", "bicmr", "--bits", "16", "--seed", "1", "--select-on", "IQT,TQI", "--epochs", "1",
        "--batch", "32", "--queries", "60", "--train-size", "120", "--image-hidden", "32", "--text-hidden", "16,32",
        "--label-hidden", "32", "--ssr-hidden", "16", "--pairs", "0"), args);
  }

  @Test
  void badGridsAreRefusedBeforeAnyTraining() {
    for (String[] bad : new String[][] {
        {"--methods", "dcmh,lsh", "unknown method \"lsh\""},
        {"--ablations", "6", "6 is not an ablation"},
        {"--train-option", "dcmhh=--epochs 1", "--train-option dcmhh=...: expected all or a method"},
        {"--train-option", "dcmh=--dcmh-gama 2", "cell dcmh-8-s1: bicmr train"},
        {"--train-option", "all=--bits 16", "option '--bits' is the grid's (the cell sets it)"}}) {
      StringWriter err = new StringWriter();
      CommandLine cli = Bicmr.commandLine();
      cli.setErr(new PrintWriter(err));
      Path out = tmp.resolve("bad");
      List<String> args = new ArrayList<>(List.of("experiment", "--data", data.toString(), "--out", out.toString(),
          "--bits", "8", "--seeds", "1", "--quiet", bad[0], bad[1]));
      assertEquals(2, cli.execute(args.toArray(String[]::new)), String.join(" ", bad));
      assertTrue(err.toString().contains(bad[2]), err.toString());
      assertFalse(Files.exists(out.resolve("cells")), "nothing started");
    }
  }
}
