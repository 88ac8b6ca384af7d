package org.bicmr.onnx;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The bytes of a bundle's files, read from a directory, a zip of one, or the class path, without extracting anything
 * to disk. A file is read only when asked for by name, so files the manifest does not name (notes, checkpoints) are
 * never loaded. Only plain file names are read: a name with a path separator or "..", in the manifest or in a zip
 * entry, is refused. Close to release the zip file.
 */
final class BundleFiles implements Closeable {
  /** The largest file a bundle may hold: what one Java array can take. */
  static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 16;

  /** Reads one file by plain name; null if the bundle has no such file. */
  @FunctionalInterface
  private interface Reader {
    byte[] read(String name) throws IOException;
  }

  private final String bundle;
  private final Reader reader;
  private final Closeable resource;

  private BundleFiles(String bundle, Reader reader, Closeable resource) {
    this.bundle = bundle;
    this.reader = reader;
    this.resource = resource;
  }

  static BundleFiles read(Path path) throws IOException {
    String bundle = path.toString();
    if (Files.isDirectory(path)) {
      return new BundleFiles(bundle, name -> fromDirectory(bundle, path.resolve(name)), () -> {});
    }
    if (Files.isRegularFile(path)) {
      return fromZip(bundle, path);
    }
    throw new NoSuchFileException(bundle, null, "no model bundle here (expected a directory or a .zip)");
  }

  /** A bundle kept on the class path under {@code prefix} ("org/bicmr/onnx/default/"). */
  static BundleFiles resources(ClassLoader loader, String prefix) {
    return new BundleFiles("classpath:" + prefix, name -> {
      try (InputStream in = loader.getResourceAsStream(prefix + name)) {
        return in == null ? null : in.readAllBytes();
      }
    }, () -> {});
  }

  private static byte[] fromDirectory(String bundle, Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    checkSize(bundle, file.getFileName().toString(), Files.size(file));
    return Files.readAllBytes(file);
  }

  /**
   * Opens a zip whose files lie at its root or in one top folder; deeper entries are not part of the bundle. Every
   * entry name is checked first, so a zip that points outside itself is refused whatever the manifest names.
   */
  private static BundleFiles fromZip(String bundle, Path path) throws IOException {
    ZipFile zip;
    try {
      zip = new ZipFile(path.toFile());
    } catch (ZipException e) {
      throw new InvalidBundleException(bundle, "not a readable zip file: " + e.getMessage(), e);
    }
    try {
      Map<String, ZipEntry> entries = new HashMap<>();
      for (Enumeration<? extends ZipEntry> all = zip.entries(); all.hasMoreElements(); ) {
        ZipEntry e = all.nextElement();
        String name = e.getName();
        if (escapes(name)) {
          throw new InvalidBundleException(bundle, "zip entry \"" + name + "\" points outside the bundle");
        }
        int slash = name.indexOf('/');
        if (e.isDirectory() || (slash >= 0 && name.indexOf('/', slash + 1) >= 0)) {
          continue; // a folder, or deeper than one folder: not part of the bundle
        }
        String base = name.substring(slash + 1);
        if (entries.put(base, e) != null) {
          throw new InvalidBundleException(bundle, "zip holds " + base + " twice");
        }
      }
      if (entries.isEmpty()) {
        throw new InvalidBundleException(bundle, "the zip file holds no files");
      }
      return new BundleFiles(bundle, name -> fromZipEntry(bundle, zip, entries.get(name)), zip);
    } catch (IOException | RuntimeException e) {
      try {
        zip.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private static byte[] fromZipEntry(String bundle, ZipFile zip, ZipEntry entry) throws IOException {
    if (entry == null) {
      return null;
    }
    long size = entry.getSize();
    checkSize(bundle, entry.getName(), size);
    try (InputStream in = zip.getInputStream(entry)) {
      byte[] bytes = in.readNBytes((int) size + 1); // never more than the zip declares, whatever the data inflates to
      if (bytes.length != size) {
        throw new InvalidBundleException(bundle, "zip entry " + entry.getName() + " declares " + size
            + " bytes but holds " + (bytes.length > size ? "more" : bytes.length));
      }
      return bytes;
    } catch (ZipException e) {
      throw new InvalidBundleException(bundle, "zip entry " + entry.getName() + " cannot be read: " + e.getMessage(), e);
    }
  }

  /** Whether a zip entry name is absolute, uses backslashes or a drive letter, or has a ".." segment. */
  private static boolean escapes(String name) {
    if (name.startsWith("/") || name.contains("\\") || name.matches("[A-Za-z]:.*")) {
      return true;
    }
    for (String segment : name.split("/")) {
      if (segment.equals("..")) {
        return true;
      }
    }
    return false;
  }

  private static void checkSize(String bundle, String name, long size) throws InvalidBundleException {
    if (size < 0 || size > MAX_FILE_BYTES) {
      throw new InvalidBundleException(bundle, name + " is " + size + " bytes; a bundle file must be at most "
          + MAX_FILE_BYTES + " bytes");
    }
  }

  String bundle() {
    return bundle;
  }

  /** The bytes of {@code name}, named by manifest field {@code field}. */
  byte[] get(String field, String name) throws IOException {
    byte[] bytes = find(field, name);
    if (bytes == null) {
      throw new InvalidBundleException(bundle, field + " names " + name + ", which the bundle does not have");
    }
    return bytes;
  }

  /** The bytes of {@code name}, named by manifest field {@code field}, or null when the bundle has no such file. */
  byte[] find(String field, String name) throws IOException {
    if (name == null || name.isEmpty() || name.contains("/") || name.contains("\\") || name.contains("..")) {
      throw new InvalidBundleException(bundle, field + " must be a plain file name in the bundle, got \"" + name + "\"");
    }
    return reader.read(name);
  }

  @Override
  public void close() throws IOException {
    resource.close();
  }
}
