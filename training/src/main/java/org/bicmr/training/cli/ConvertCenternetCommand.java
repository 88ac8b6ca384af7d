package org.bicmr.training.cli;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import org.bicmr.training.images.vision.CenternetConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bicmr convert-centernet}: the MobileNetV3 backbone of npm {@code @vladmandic/human}'s CenterNet (fetched by
 * {@code bin/fetch-human}) becomes an ONNX image-feature model: {@code image [batch, 3, 224, 224]} (RGB/255) to
 * {@code features [batch, 480]}.
 */
@Command(name = "convert-centernet", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Converts @vladmandic/human's CenterNet backbone (TF.js graph model, float16 weights) to an ONNX "
        + "image-feature model (480-d).")
final class ConvertCenternetCommand implements Callable<Integer> {
  @Option(names = "--package", required = true, description = "the @vladmandic/human package: the .tgz of 'npm pack "
      + "@vladmandic/human@3.3.6' or its extracted directory (bin/fetch-human prints it)")
  Path source;

  @Option(names = "--out", required = true, description = "ONNX file to write")
  Path out;

  @Option(names = "--force", description = "overwrite --out if it exists")
  boolean force;

  @Override
  public Integer call() throws Exception {
    if (Files.exists(out) && !force) {
      throw new FileAlreadyExistsException(out.toString(), null, "--out exists (use --force to overwrite)");
    }
    CenternetConverter.Result r = CenternetConverter.convert(source);
    Path parent = out.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, out.getFileName().toString(), ".tmp");
    try {
      Files.write(tmp, r.onnx());
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    System.out.println(out + ": image [batch, 3, 224, 224] -> features [batch, " + r.features() + "] (node "
        + CenternetConverter.TAP + "), " + r.onnx().length + " bytes");
    return 0;
  }
}
