package org.bicmr.training.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.bicmr.training.app.IndexRequest;
import org.bicmr.training.app.Indexing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bicmr index}, a thin adapter over {@link Indexing#index}: encodes a dataset's items with an exported bundle
 * (ONNX Runtime, as a search application would) and writes a Lucene index holding each item's image and text code.
 */
@Command(name = "index", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Encodes a dataset's items with a model bundle and writes a Lucene index of their codes.")
final class IndexCommand implements Callable<Integer> {
  @Option(names = "--bundle", required = true, description = "model bundle (from 'bicmr export'): directory or .zip")
  Path bundle;

  @Option(names = "--data", required = true, description = "dataset directory")
  Path data;

  @Option(names = "--out", required = true, description = "index directory to write (must not exist)")
  Path out;

  @Option(names = "--database-of", description = "index only the database items of this model's split "
      + "(default: every item)")
  Path model;

  @Option(names = "--quiet", description = "no progress bar") boolean quiet;

  @Override
  public Integer call() throws Exception {
    Indexing.index(new IndexRequest(bundle, data, out, model, quiet));
    return 0;
  }
}
