package org.bicmr.training.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code bicmr} command line: generate data, train, evaluate, benchmark. */
@Command(
    name = "bicmr",
    mixinStandardHelpOptions = true,
    version = "bicmr 0.1.0",
    description = "Bi-CMR cross-modal hashing: datasets, training, evaluation, export, the end-to-end demo.",
    subcommands = {GenerateCommand.class, ImportCommand.class, TrainCommand.class, EvaluateCommand.class,
        ExperimentCommand.class, ExportCommand.class, ConvertMobileNetCommand.class, ConvertCenternetCommand.class,
        ClipartDatasetCommand.class, PictureDatasetCommand.class, PictureFeaturesCommand.class,
        ExtractFeaturesCommand.class, IndexCommand.class, SearchCommand.class, DemoCommand.class, BenchCommand.class,
        CommandLine.HelpCommand.class})
public final class Bicmr implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true"); // nothing downloads at run time
    }
    System.exit(commandLine().execute(args));
  }

  /** The command line with its error handling: bad input is one line naming what is wrong, not a stack trace. */
  static CommandLine commandLine() {
    return new CommandLine(new Bicmr()).setCaseInsensitiveEnumValuesAllowed(true).setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof java.io.IOException || e instanceof IllegalArgumentException) {
        cmd.getErr().println("bicmr " + cmd.getCommandName() + ": " + e.getMessage());
        return 2;
      }
      throw e; // a bug: picocli prints the stack trace
    });
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "choose a command, e.g. bicmr generate --help");
  }
}
