package org.bicmr.training.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bicmr.training.app.EvaluateRequest;
import org.bicmr.training.app.Evaluation;
import org.bicmr.training.eval.Direction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bicmr evaluate}, a thin adapter over {@link Evaluation#evaluate}: ranks each model's held-out queries against
 * its database by Hamming distance, both ways (IQT, TQI), under label overlap S and, where the dataset has judgements,
 * main-topic relevance G; writes the JSON of every number, Markdown MAP tables and PR / P@K plots.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Evaluates trained models (MAP, precision-recall, precision@K; IQT and TQI; S and G).")
final class EvaluateCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, description = "dataset directory the models were trained on")
  Path data;

  @Option(names = "--model", required = true, description = "model directory (repeatable)")
  List<Path> models;

  @Option(names = "--method", description = "method name in the reports, one per --model (default: from the settings)")
  List<String> methods = new ArrayList<>();

  @Option(names = "--out", required = true, description = "report directory: report.json, tables.md, plots")
  Path out;

  @Option(names = "--directions", split = ",", description = "directions: IQT, TQI, TQT (default: IQT,TQI)")
  List<Direction> directions = Direction.CROSS_MODAL;

  @Option(names = "--real-valued", description = "also rank by the cosine of the nets' outputs before the sign (the "
      + "ceiling the codes are compared with); its MAP goes into each run's settings as real_valued_map")
  boolean realValued;

  @Option(names = "--on", description = "what is ranked: queries (the held-out queries against the database, the "
      + "default) or validation (the validation items against the items trained on, for choosing a setting without "
      + "looking at the queries)")
  EvaluateRequest.Protocol on = EvaluateRequest.Protocol.QUERIES;

  @Override
  public Integer call() throws Exception {
    Evaluation.evaluate(new EvaluateRequest(data, models, methods, out, directions, realValued, on));
    return 0;
  }
}
