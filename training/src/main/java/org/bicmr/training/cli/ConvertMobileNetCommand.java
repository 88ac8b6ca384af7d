package org.bicmr.training.cli;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import org.bicmr.training.images.vision.MobileNetConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bicmr convert-mobilenet}: the MobileNetV2 of npm nsfwjs (fetched by {@code bin/fetch-mobilenet}) becomes an
 * ONNX image-feature model: {@code image [batch, 3, 224, 224]} (RGB/255) to {@code features}.
 */
@Command(name = "convert-mobilenet", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Converts nsfwjs' MobileNetV2 (TF.js, uint8 weights) to an ONNX image-feature model.")
final class ConvertMobileNetCommand implements Callable<Integer> {
  @Option(names = "--package", required = true, description = "the nsfwjs package: the .tgz of 'npm pack nsfwjs@4.4.0' "
      + "or its extracted directory (bin/fetch-mobilenet prints it)")
  Path source;

  @Option(names = "--out", required = true, description = "ONNX file to write")
  Path out;

  @Option(names = "--tap", description = "layer whose map is averaged into 'features': a layer name or block_N "
      + "(its last layer; blocks 0-10 hold ImageNet weights, later ones were retrained by nsfwjs); default: out_relu, "
      + "the 1280-channel map of the model's own head")
  String tap;

  @Option(names = "--symmetric-input", description = "feed the network 2x-1 (ImageNet MobileNetV2's range) instead "
      + "of x in [0,1] (what nsfwjs feeds)")
  boolean symmetric;

  @Option(names = "--probabilities", description = "also output 'probabilities' over nsfwjs' 5 classes "
      + "(Drawing, Hentai, Neutral, Porn, Sexy)")
  boolean probabilities;

  @Option(names = "--force", description = "overwrite --out if it exists")
  boolean force;

  @Override
  public Integer call() throws Exception {
    if (Files.exists(out) && !force) {
      throw new FileAlreadyExistsException(out.toString(), null, "--out exists (use --force to overwrite)");
    }
    MobileNetConverter.Result r = MobileNetConverter.convert(source,
        new MobileNetConverter.Options(tap, symmetric, probabilities));
    Path parent = out.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, out.getFileName().toString(), ".tmp");
    try {
      Files.write(tmp, r.onnx());
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    System.out.println(out + ": image [batch, 3, 224, 224] -> features [batch, " + r.features() + "] (tap "
        + r.tap() + ")" + (r.classes() > 0 ? ", probabilities [batch, " + r.classes() + "]" : "") + ", "
        + r.onnx().length + " bytes");
    return 0;
  }
}
