package org.bicmr.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The bytes of a bundle's files, read from a directory, a zip of one, or the class path, without extracting anything
 * to disk. Only plain file names are read: a name with a path separator or "..", in the manifest or in a zip entry, is
 * refused.
 */
final class BundleFiles {
  private static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 16;

  private final String bundle;
  private final Map<String, byte[]> files;

  private BundleFiles(String bundle, Map<String, byte[]> files) {
    this.bundle = bundle;
    this.files = files;
  }

  static BundleFiles read(Path path) throws IOException {
    String bundle = path.toString();
    if (Files.isDirectory(path)) {
      Map<String, byte[]> files = new HashMap<>();
      try (var list = Files.list(path)) {
        for (Path f : list.filter(Files::isRegularFile).toList()) {
          if (Files.size(f) > MAX_FILE_BYTES) {
            throw new InvalidBundleException(bundle, f.getFileName() + " is larger than 2 GB");
          }
          files.put(f.getFileName().toString(), Files.readAllBytes(f));
        }
      }
      return new BundleFiles(bundle, files);
    }
    if (Files.isRegularFile(path)) {
      try (InputStream in = Files.newInputStream(path)) {
        return fromZip(bundle, in);
      }
    }
    throw new NoSuchFileException(bundle, null, "no model bundle here (expected a directory or a .zip)");
  }

  /** A bundle kept on the class path under {@code prefix} ("org/bicmr/onnx/default/"), files listed by name. */
  static BundleFiles resources(ClassLoader loader, String prefix, String... names) throws IOException {
    Map<String, byte[]> files = new HashMap<>();
    for (String name : names) {
      try (InputStream in = loader.getResourceAsStream(prefix + name)) {
        if (in != null) {
          files.put(name, in.readAllBytes());
        }
      }
    }
    return new BundleFiles("classpath:" + prefix, files);
  }

  private static BundleFiles fromZip(String bundle, InputStream raw) throws IOException {
    Map<String, byte[]> files = new HashMap<>();
    try (ZipInputStream zip = new ZipInputStream(raw)) {
      ZipEntry e;
      boolean any = false;
      while ((e = zip.getNextEntry()) != null) {
        any = true;
        if (e.isDirectory()) {
          continue;
        }
        String name = e.getName();
        int slash = name.lastIndexOf('/');
        if (name.contains("..") || name.startsWith("/") || name.contains("\\")) {
          throw new InvalidBundleException(bundle, "zip entry \"" + name + "\" points outside the bundle");
        }
        String base = slash >= 0 ? name.substring(slash + 1) : name;
        if (slash >= 0 && name.indexOf('/') != slash) {
          continue; // deeper than one folder: not part of the bundle
        }
        if (files.put(base, zip.readAllBytes()) != null) {
          throw new InvalidBundleException(bundle, "zip holds " + base + " twice");
        }
      }
      if (!any) {
        throw new InvalidBundleException(bundle, "not a zip file or an empty one");
      }
    } catch (java.util.zip.ZipException e) {
      throw new InvalidBundleException(bundle, "not a readable zip file: " + e.getMessage(), e);
    }
    return new BundleFiles(bundle, files);
  }

  String bundle() {
    return bundle;
  }

  /** The bytes of {@code name}, named by manifest field {@code field}. */
  byte[] get(String field, String name) throws InvalidBundleException {
    if (name == null || name.isEmpty() || name.contains("/") || name.contains("\\") || name.contains("..")) {
      throw new InvalidBundleException(bundle, field + " must be a plain file name in the bundle, got \"" + name + "\"");
    }
    byte[] bytes = files.get(name);
    if (bytes == null) {
      throw new InvalidBundleException(bundle, field + " names " + name + ", which the bundle does not have");
    }
    return bytes;
  }
}
