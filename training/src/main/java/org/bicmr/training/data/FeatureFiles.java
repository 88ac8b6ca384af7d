package org.bicmr.training.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Image feature matrices (one row per item) from the files other tools write: NumPy {@code .npy} (versions 1–3;
 * float32/float64, int8/16/32/64, uint8/16; little- or big-endian; C or Fortran order; 2-D, or 1-D as one column),
 * MATLAB {@code .mat} (through {@link MatFiles}, variable {@code IAll} unless told) and CSV / whitespace-separated text.
 * The format is told by the file name's extension.
 */
public final class FeatureFiles {
  private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([<>|=]?)([a-z])(\\d+)'");
  private static final Pattern ORDER = Pattern.compile("'fortran_order':\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

  private FeatureFiles() {}

  /** Reads {@code file} by its extension; {@code matVariable} names the variable of a .mat file. */
  public static NumericMatrix read(Path file, String matVariable) throws IOException {
    if (Files.isRegularFile(file) == false) {
      throw new NoSuchFileException(file.toString(), null, "feature file not found");
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".npy")) {
      return npy(file);
    }
    if (name.endsWith(".mat")) {
      return MatFiles.read(file, matVariable);
    }
    if (name.endsWith(".csv") || name.endsWith(".txt") || name.endsWith(".tsv")) {
      return TagFiles.numbers(file);
    }
    throw new IOException(file + ": unknown feature format; expected .npy, .mat, .csv, .tsv or .txt");
  }

  /** A NumPy array file as a matrix. */
  public static NumericMatrix npy(Path file) throws IOException {
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw))) {
      byte[] magic = new byte[8];
      in.readFully(magic);
      if ((magic[0] & 0xFF) != 0x93 || new String(magic, 1, 5, StandardCharsets.ISO_8859_1).equals("NUMPY") == false) {
        throw new IOException(file + ": not a .npy file (bad magic)");
      }
      int major = magic[6];
      long headerLength = major == 1
          ? (in.readUnsignedByte() | in.readUnsignedByte() << 8)
          : (in.readUnsignedByte() | in.readUnsignedByte() << 8 | in.readUnsignedByte() << 16
              | (long) in.readUnsignedByte() << 24);
      byte[] header = new byte[Math.toIntExact(headerLength)];
      in.readFully(header);
      String dict = new String(header, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
      Matcher d = DESCR.matcher(dict);
      Matcher o = ORDER.matcher(dict);
      Matcher s = SHAPE.matcher(dict);
      if (d.find() == false || o.find() == false || s.find() == false) {
        throw new IOException(file + ": unreadable .npy header " + dict.strip());
      }
      ByteOrder order = d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
      char kind = d.group(2).charAt(0);
      int size = Integer.parseInt(d.group(3));
      boolean fortran = o.group(1).equals("True");
      String[] dims = s.group(1).replace(" ", "").split(",");
      int rows;
      int cols;
      if (dims.length == 1 || (dims.length == 2 && dims[1].isEmpty())) {
        rows = Integer.parseInt(dims[0]);
        cols = 1;
      } else if (dims.length == 2) {
        rows = Integer.parseInt(dims[0]);
        cols = Integer.parseInt(dims[1]);
      } else {
        throw new IOException(file + ": shape (" + s.group(1) + "), expected a 1-D or 2-D array");
      }
      long count = (long) rows * cols;
      byte[] body = new byte[Math.toIntExact(count * size)];
      in.readFully(body);
      ByteBuffer buffer = ByteBuffer.wrap(body).order(order);
      float[] values = new float[Math.toIntExact(count)];
      for (int i = 0; i < values.length; i++) {
        int target = fortran ? (i % rows) * cols + i / rows : i; // Fortran order: column after column
        values[target] = element(buffer, kind, size, file, d.group());
      }
      return new NumericMatrix(file.toString(), rows, cols, values);
    }
  }

  private static float element(ByteBuffer buffer, char kind, int size, Path file, String descr) throws IOException {
    return switch (kind) {
      case 'f' -> switch (size) {
        case 4 -> buffer.getFloat();
        case 8 -> (float) buffer.getDouble();
        default -> throw unsupported(file, descr);
      };
      case 'i' -> switch (size) {
        case 1 -> buffer.get();
        case 2 -> buffer.getShort();
        case 4 -> buffer.getInt();
        case 8 -> buffer.getLong();
        default -> throw unsupported(file, descr);
      };
      case 'u' -> switch (size) {
        case 1 -> buffer.get() & 0xFF;
        case 2 -> buffer.getShort() & 0xFFFF;
        default -> throw unsupported(file, descr);
      };
      case 'b' -> buffer.get() != 0 ? 1f : 0f;
      default -> throw unsupported(file, descr);
    };
  }

  private static IOException unsupported(Path file, String descr) {
    return new IOException(file + ": element type " + descr + " is not supported; expected float32/64, int8/16/32/64,"
        + " uint8/16 or bool");
  }
}
