package org.bicmr.training.images.vision;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The files of an npm package under one folder, read from what {@code npm pack} writes (a gzipped ustar tarball whose
 * entries start with {@code package/}) or from the tarball extracted (a directory holding {@code package/}, or the
 * package root itself).
 */
final class NpmPackage {
  private NpmPackage() {}

  /** The files under {@code folder} (a path inside the package, e.g. {@code dist/models/mobilenet_v2}) by name. */
  static TfjsModel.Files folder(Path source, String folder) throws IOException {
    if (Files.isDirectory(source)) {
      Path root = Files.isDirectory(source.resolve("package")) ? source.resolve("package") : source;
      Path dir = root.resolve(folder);
      if (!Files.isDirectory(dir)) {
        throw new NoSuchFileException(dir.toString(), null, "not a folder of the package " + source);
      }
      return name -> Files.readAllBytes(dir.resolve(name));
    }
    if (!Files.isRegularFile(source)) {
      throw new NoSuchFileException(source.toString(), null, "expected an npm package tarball (.tgz) or directory");
    }
    Map<String, byte[]> files = untar(source, "package/" + folder + "/");
    if (files.isEmpty()) {
      throw new IllegalArgumentException(source + ": the tarball has no files under package/" + folder + "/");
    }
    return name -> {
      byte[] b = files.get(name);
      if (b == null) {
        throw new NoSuchFileException("package/" + folder + "/" + name, null, "not in " + source);
      }
      return b;
    };
  }

  /** The regular files directly under {@code prefix} in a gzipped tarball, by name relative to the prefix. */
  private static Map<String, byte[]> untar(Path tgz, String prefix) throws IOException {
    Map<String, byte[]> files = new HashMap<>();
    try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tgz)))) {
      byte[] header = new byte[512];
      while (true) {
        if (in.readNBytes(header, 0, 512) < 512) {
          throw new IOException(tgz + ": the tarball ends inside a header");
        }
        if (allZero(header)) {
          return files;
        }
        String name = field(header, 0, 100);
        String ustarPrefix = field(header, 345, 155);
        if (field(header, 257, 5).equals("ustar") && !ustarPrefix.isEmpty()) {
          name = ustarPrefix + "/" + name;
        }
        long size = Long.parseLong(field(header, 124, 12).trim().isEmpty() ? "0" : field(header, 124, 12).trim(), 8);
        char type = (char) header[156];
        long padded = (size + 511) / 512 * 512;
        boolean wanted = (type == '0' || type == 0) && name.startsWith(prefix)
            && name.indexOf('/', prefix.length()) < 0;
        if (wanted) {
          byte[] data = in.readNBytes(Math.toIntExact(size));
          if (data.length < size) {
            throw new IOException(tgz + ": " + name + " is cut short (" + data.length + " of " + size + " bytes)");
          }
          files.put(name.substring(prefix.length()), data);
          in.skipNBytes(padded - size);
        } else {
          in.skipNBytes(padded);
        }
      }
    }
  }

  /**
   * {@code bytes} of file {@code name} under {@code folder}, after checking them against their known SHA-256.
   *
   * @param known each model file's SHA-256
   * @param release the package and version the sums belong to, for errors
   */
  static byte[] verified(Path source, String folder, String name, byte[] bytes, Map<String, String> known,
      String release) {
    String expected = known.get(name);
    if (expected == null) {
      throw new IllegalArgumentException(source + ": " + folder + "/" + name + " is not a known model file (expected "
          + known.keySet() + ")");
    }
    String actual;
    try {
      actual = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    if (!actual.equals(expected)) {
      throw new IllegalArgumentException(source + ": " + folder + "/" + name + " has SHA-256 " + actual + ", expected "
          + expected + " (" + release + ")");
    }
    return bytes;
  }

  private static String field(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static boolean allZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }
}
