package org.bicmr.training.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bicmr.training.data.DatasetDirectory;
import org.bicmr.training.data.FeatureFiles;
import org.bicmr.training.data.NumericMatrix;
import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.data.TagFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bicmr import}: a dataset directory from real files — tags, vocabulary and labels as text (the
 * MIRFlickr-25K / NUS-WIDE-10.5K convention) and image features as .npy, .mat or CSV, one row per item; or, where no
 * image features exist, the text view copied as the image view ({@code --image-from-text}), so that the methods can
 * be trained and their text nets judged text to text (evaluation direction TQT).
 */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Builds a dataset directory from tag/label text files and an image feature file.")
final class ImportCommand implements Callable<Integer> {
  @Option(names = "--tags", required = true, description = "tags, one item a line (e.g. txt_database.txt)")
  Path tags;

  @Option(names = "--vocabulary", required = true, description = "vocabulary, one word a line (e.g. common_tags.txt)")
  Path vocabulary;

  @Option(names = "--labels", required = true, description = "labels, one item a line of 0/1 (e.g. mir_label.txt)")
  Path labels;

  @Option(names = "--image", description = "image features: .npy, .mat or .csv, one row per item")
  Path image;

  @Option(names = "--image-from-text", description = "no image features: copy each item's bag of words as its "
      + "image view (only text-to-text numbers mean anything then)")
  boolean imageFromText;

  @Option(names = "--image-variable", description = "variable of a .mat image file (default: ${DEFAULT-VALUE})")
  String imageVariable = "IAll";

  @Option(names = "--name", required = true, description = "dataset name for reports")
  String name;

  @Option(names = "--out", required = true, description = "dataset directory to write")
  Path out;

  @Override
  public Integer call() throws Exception {
    if ((image == null) == (imageFromText == false)) {
      throw new IllegalArgumentException("give either --image FILE or --image-from-text, got "
          + (image == null ? "neither" : "both"));
    }
    TagFiles.TextCorpus corpus = TagFiles.corpus(tags, vocabulary, labels);
    NumericMatrix features = imageFromText
        ? new NumericMatrix(tags + " (bag of words as the image view)", corpus.bagOfWords().rows(),
            corpus.bagOfWords().cols(), corpus.bagOfWords().values().clone())
        : FeatureFiles.read(image, imageVariable);
    PairedDataset data = corpus.withImages(name, features);
    DatasetDirectory.write(data, out, String.format(Locale.ROOT, "bicmr import --tags %s --vocabulary %s --labels %s "
        + "%s", tags, vocabulary, labels, imageFromText ? "--image-from-text" : "--image " + image));
    System.out.printf(Locale.ROOT, "%s%nwritten to %s%n", data, out);
    return 0;
  }
}
