package org.bicmr.training.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bicmr.training.data.DatasetDirectory;
import org.bicmr.training.data.MainMinorGenerator;
import org.bicmr.training.data.PairedDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bicmr generate}: writes the synthetic main-vs-minor-semantics benchmark as a dataset directory. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Generates the synthetic main-vs-minor-semantics benchmark (topics and tags from real MIRFlickr-25K).")
final class GenerateCommand implements Callable<Integer> {
  @Option(names = "--out", required = true, description = "dataset directory to write")
  Path out;

  @Option(names = "--mirflickr", description = "MIRFlickr-25K directory with txt_database.txt, common_tags.txt, "
      + "mir_label.txt (default: ${DEFAULT-VALUE})")
  Path mirflickr = Path.of("../shared/data/mirflickr25k");

  @Option(names = "--small", description = "the small preset (1,500 items, 256-d images) for tests and demos")
  boolean small;

  @Option(names = "--items", description = "items (default: 20015, or 1500 with --small)")
  Integer items;

  @Option(names = "--image-dim", description = "image feature dimension (default: 4096, or 256 with --small)")
  Integer imageDim;

  @Option(names = "--minor", split = ",", description = "fewest,most minor topics per item (default: 1,4)")
  int[] minor = {1, 4};

  @Option(names = "--main-weight", description = "mixture weight of the main topic (default: ${DEFAULT-VALUE})")
  double mainWeight = 0.6;

  @Option(names = "--tags", split = ",", description = "fewest,most tag draws per text (default: 3,8)")
  int[] tags = {3, 8};

  @Option(names = "--image-noise", description = "std. dev. of the image noise (default: ${DEFAULT-VALUE})")
  double imageNoise = 2.0;

  @Option(names = "--smoothing", description = "pseudo-count of every tag-label pair (default: ${DEFAULT-VALUE})")
  double smoothing = 0.1;

  @Option(names = "--background", description = "share of tags drawn from the overall tag frequencies (default: ${DEFAULT-VALUE})")
  double background = 0.3;

  @Option(names = "--seed", description = "seed (default: ${DEFAULT-VALUE})")
  long seed = 42;

  MainMinorGenerator.Parameters parameters() {
    if (minor.length != 2 || tags.length != 2) {
      throw new IllegalArgumentException("--minor and --tags take two numbers, min,max");
    }
    MainMinorGenerator.Parameters preset =
        small ? MainMinorGenerator.Parameters.small() : MainMinorGenerator.Parameters.defaults();
    return new MainMinorGenerator.Parameters(items != null ? items : preset.items(),
        imageDim != null ? imageDim : preset.imageDim(), minor[0], minor[1], mainWeight, tags[0], tags[1], imageNoise,
        smoothing, background, seed);
  }

  @Override
  public Integer call() throws Exception {
    MainMinorGenerator.Parameters p = parameters();
    MainMinorGenerator generator = MainMinorGenerator.fromMirFlickr(mirflickr, p.smoothing());
    MainMinorGenerator.Generated generated = generator.generate(p);
    PairedDataset data = generated.dataset();
    DatasetDirectory.write(data, out, "bicmr generate " + p);
    System.out.printf(Locale.ROOT, "%s%nwritten to %s; the first items:%n", data, out);
    for (int i = 0; i < Math.min(5, data.size()); i++) {
      StringBuilder labels = new StringBuilder();
      for (int c = 0; c < data.labelCount(); c++) {
        if (data.hasLabel(i, c)) {
          labels.append(c == generated.mainTopics()[i] ? "*" : "").append(data.labelNames().get(c)).append(' ');
        }
      }
      System.out.printf(Locale.ROOT, "  %d: labels %s| text \"%s\"%n", i, labels,
          String.join(" ", generated.tags().get(i)));
    }
    System.out.println("  (* = main topic: relevance G)");
    return 0;
  }
}
