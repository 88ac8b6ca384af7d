package org.bicmr.onnx;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Turns an encoded image into the input tensor of an image-feature model, the bundle contract {@link #CONTRACT}:
 *
 * <ol>
 *   <li>decode PNG or JPEG with the JDK's ImageIO, after checking the header's size (at least 1×1, at most
 *       {@code maxPixels}) so a huge image is refused before its pixels are read;
 *   <li>take each pixel's samples as stored, scaled to [0, 1] (8 bits: value/255; 16 bits: value/65535; grey
 *       replicated to R, G, B; palette and other colour spaces through the JDK's sRGB conversion);
 *   <li>composite alpha on white: {@code c·a + (1 - a)};
 *   <li>resize bilinearly to {@code width × height} with aligned corners (output pixel {@code j} samples source
 *       position {@code j·(in - 1)/(out - 1)}, as TF.js' {@code resizeBilinear(…, alignCorners = true)} that nsfwjs
 *       uses), in floating point;
 *   <li>lay out as {@code [3, height, width]} (NCHW without the batch), channels R, G, B.
 * </ol>
 *
 * The JDK ignores EXIF orientation, and so does this: a JPEG is taken as its pixels are stored.
 *
 * Errors are {@link IllegalArgumentException}s saying what is wrong with the bytes: not a PNG or JPEG, truncated or
 * corrupt, zero-size, or too many pixels. Instances are immutable and thread-safe.
 *
 * <p>In a bundle manifest the contract is the object {@link #manifest()} writes, e.g. {@code {"decode": "png,jpeg",
 * "alpha": "white", "resize": "bilinear_align_corners", "scale": "unit", "layout": "nchw_rgb", "width": 224,
 * "height": 224, "max_pixels": 40000000}}; {@link #fromManifest} reads it back and refuses any value this version
 * does not implement.
 */
public final class ImagePreprocessor {
  /** The manifest's description of this preprocessing, for {@code image.preprocessing}. */
  public static final String CONTRACT = "PNG or JPEG decoded by the JDK; samples scaled to [0,1]; alpha composited on "
      + "white; bilinear resize with aligned corners to the model's size; RGB; NCHW float";
  /** The model input size of MobileNetV2, 224 × 224. */
  public static final int SIZE = 224;
  /** The default limit on decoded pixels: 40 million (e.g. 8000 × 5000). */
  public static final long MAX_PIXELS = 40_000_000L;
  private static final Set<String> FORMATS = Set.of("png", "jpeg");

  private final int width;
  private final int height;
  private final long maxPixels;

  /** The default: 224 × 224, at most {@link #MAX_PIXELS} decoded pixels. */
  public ImagePreprocessor() {
    this(SIZE, SIZE, MAX_PIXELS);
  }

  public ImagePreprocessor(int width, int height, long maxPixels) {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("output size must be at least 1×1, got " + width + "×" + height);
    }
    if (maxPixels < 1) {
      throw new IllegalArgumentException("maxPixels must be at least 1, got " + maxPixels);
    }
    this.width = width;
    this.height = height;
    this.maxPixels = maxPixels;
  }

  /** The fixed fields of the manifest object and their only values in this version. */
  private static final Map<String, String> FIXED = fixed();

  private static Map<String, String> fixed() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("decode", "png,jpeg");
    m.put("alpha", "white");
    m.put("resize", "bilinear_align_corners");
    m.put("scale", "unit");
    m.put("layout", "nchw_rgb");
    return m;
  }

  /** This preprocessing as a manifest object (see the class comment). */
  public JsonObject manifest() {
    JsonObject o = new JsonObject();
    FIXED.forEach(o::addProperty);
    o.addProperty("width", width);
    o.addProperty("height", height);
    o.addProperty("max_pixels", maxPixels);
    return o;
  }

  /**
   * The preprocessing a manifest object describes; an error names the field, its value and what is expected.
   *
   * @param field the object's path in the manifest, for errors, e.g. {@code image.preprocessing}
   */
  public static ImagePreprocessor fromManifest(String field, JsonObject o) {
    for (var e : FIXED.entrySet()) {
      JsonElement v = o.get(e.getKey());
      if (v == null || !v.isJsonPrimitive() || !v.getAsString().equals(e.getValue())) {
        throw new IllegalArgumentException(field + "." + e.getKey() + " is " + v + ", expected \"" + e.getValue()
            + "\"");
      }
    }
    for (String key : o.keySet()) {
      if (!FIXED.containsKey(key) && !Set.of("width", "height", "max_pixels").contains(key)) {
        throw new IllegalArgumentException(field + " has an unknown field " + key + "; known: " + FIXED.keySet()
            + ", width, height, max_pixels");
      }
    }
    return new ImagePreprocessor(positive(field, o, "width"), positive(field, o, "height"),
        o.has("max_pixels") ? positiveLong(field, o, "max_pixels") : MAX_PIXELS);
  }

  private static int positive(String field, JsonObject o, String key) {
    long n = positiveLong(field, o, key);
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(field + "." + key + " is " + n + ", expected at most " + Integer.MAX_VALUE);
    }
    return (int) n;
  }

  private static long positiveLong(String field, JsonObject o, String key) {
    JsonElement v = o.get(key);
    try {
      if (v != null && v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber()) {
        long n = v.getAsBigDecimal().longValueExact();
        if (n >= 1) {
          return n;
        }
      }
    } catch (ArithmeticException e) {
      // not an integer: reported below
    }
    throw new IllegalArgumentException(field + "." + key + " is " + v + ", expected a positive integer");
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** The most decoded pixels an image may have. */
  public long maxPixels() {
    return maxPixels;
  }

  /** The tensor {@code [3, height, width]}, row-major, of one encoded PNG or JPEG. */
  public float[] pixels(byte[] encoded) {
    return pixels(decode(encoded));
  }

  /** The tensor {@code [3, height, width]} of an image already decoded (its size is not limited here). */
  public float[] pixels(BufferedImage image) {
    int inW = image.getWidth();
    int inH = image.getHeight();
    Samples samples = new Samples(image);
    int[] x0 = new int[width];
    int[] x1 = new int[width];
    float[] fx = new float[width];
    axis(inW, width, x0, x1, fx);
    int[] y0 = new int[height];
    int[] y1 = new int[height];
    float[] fy = new float[height];
    axis(inH, height, y0, y1, fy);
    float[] out = new float[3 * height * width];
    float[] a = new float[3];
    float[] b = new float[3];
    float[] c = new float[3];
    float[] d = new float[3];
    int plane = height * width;
    for (int j = 0; j < height; j++) {
      for (int i = 0; i < width; i++) {
        samples.rgbOnWhite(x0[i], y0[j], a);
        samples.rgbOnWhite(x1[i], y0[j], b);
        samples.rgbOnWhite(x0[i], y1[j], c);
        samples.rgbOnWhite(x1[i], y1[j], d);
        for (int ch = 0; ch < 3; ch++) {
          float top = a[ch] + (b[ch] - a[ch]) * fx[i];
          float bottom = c[ch] + (d[ch] - c[ch]) * fx[i];
          out[ch * plane + j * width + i] = top + (bottom - top) * fy[j];
        }
      }
    }
    return out;
  }

  /** Source indices and weight per output position, aligned corners: {@code j·(in - 1)/(out - 1)}. */
  private static void axis(int in, int out, int[] lo, int[] hi, float[] frac) {
    double scale = out > 1 ? (double) (in - 1) / (out - 1) : 0;
    for (int j = 0; j < out; j++) {
      double src = j * scale;
      int l = Math.min((int) Math.floor(src), in - 1);
      lo[j] = l;
      hi[j] = Math.min(l + 1, in - 1);
      frac[j] = (float) (src - l);
    }
  }

  /** Decodes PNG or JPEG bytes after checking the header's size. */
  BufferedImage decode(byte[] encoded) {
    if (encoded == null || encoded.length == 0) {
      throw new IllegalArgumentException("image: no bytes, expected a PNG or JPEG");
    }
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
      ImageReader reader = reader(in, encoded);
      try {
        reader.setInput(in, true, true);
        String format = reader.getFormatName().toUpperCase(Locale.ROOT);
        int w;
        int h;
        try {
          w = reader.getWidth(0);
          h = reader.getHeight(0);
        } catch (IIOException e) {
          throw new IllegalArgumentException("image: " + format + " header is truncated or corrupt (" + message(e)
              + ")", e);
        }
        if (w < 1 || h < 1) {
          throw new IllegalArgumentException("image: " + format + " is " + w + "×" + h + ", expected at least 1×1");
        }
        if ((long) w * h > maxPixels) {
          throw new IllegalArgumentException("image: " + format + " is " + w + "×" + h + " = " + (long) w * h
              + " pixels, more than the limit of " + maxPixels);
        }
        StringBuilder warnings = new StringBuilder();
        reader.addIIOReadWarningListener((IIOReadWarningListener) (source, warning) ->
            warnings.append(warnings.isEmpty() ? "" : "; ").append(warning));
        BufferedImage image;
        try {
          image = reader.read(0);
        } catch (IIOException | IndexOutOfBoundsException | IllegalStateException e) {
          throw new IllegalArgumentException("image: " + format + " " + w + "×" + h + " is truncated or corrupt, or "
              + "a variant the JDK cannot decode (" + message(e) + ")", e);
        }
        if (!warnings.isEmpty()) {
          throw new IllegalArgumentException("image: " + format + " " + w + "×" + h + " is truncated or corrupt ("
              + warnings + ")");
        }
        return image;
      } finally {
        reader.dispose();
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("image: cannot be read (" + message(e) + ")", e);
    }
  }

  private static ImageReader reader(ImageInputStream in, byte[] encoded) {
    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
    while (readers.hasNext()) {
      ImageReader r = readers.next();
      try {
        if (FORMATS.contains(r.getFormatName().toLowerCase(Locale.ROOT))) {
          return r;
        }
      } catch (IOException e) {
        // a reader that cannot name its format is not one of ours
      }
      r.dispose();
    }
    StringBuilder head = new StringBuilder();
    for (int i = 0; i < Math.min(8, encoded.length); i++) {
      head.append(String.format(Locale.ROOT, "%02x", encoded[i]));
    }
    throw new IllegalArgumentException("image: not a PNG or JPEG (" + encoded.length + " bytes starting 0x" + head
        + ")");
  }

  private static String message(Throwable e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  /** One image's pixels as RGB in [0, 1], alpha composited on white. */
  private static final class Samples {
    private final BufferedImage image;
    private final Raster raster;
    private final boolean direct;
    private final boolean grey;
    private final boolean alpha;
    private final float[] max;
    private final int[] pixel;

    Samples(BufferedImage image) {
      this.image = image;
      this.raster = image.getRaster();
      ColorModel cm = image.getColorModel();
      ColorSpace cs = cm.getColorSpace();
      boolean component = cm instanceof ComponentColorModel && !cm.isAlphaPremultiplied()
          && !(cm instanceof IndexColorModel);
      this.grey = component && cs.getType() == ColorSpace.TYPE_GRAY && cm.getNumColorComponents() == 1;
      this.direct = grey || (component && cs.isCS_sRGB() && cm.getNumColorComponents() == 3);
      this.alpha = cm.hasAlpha();
      this.pixel = new int[raster.getNumBands()];
      this.max = new float[raster.getNumBands()];
      for (int i = 0; i < max.length; i++) {
        max[i] = (float) ((1L << raster.getSampleModel().getSampleSize(i)) - 1);
      }
    }

    void rgbOnWhite(int x, int y, float[] rgb) {
      float a;
      if (direct) {
        raster.getPixel(x, y, pixel);
        int colours = grey ? 1 : 3;
        for (int ch = 0; ch < 3; ch++) {
          int band = grey ? 0 : ch;
          rgb[ch] = pixel[band] / max[band];
        }
        a = alpha ? pixel[colours] / max[colours] : 1f;
      } else {
        int argb = image.getRGB(x, y);
        rgb[0] = ((argb >> 16) & 0xff) / 255f;
        rgb[1] = ((argb >> 8) & 0xff) / 255f;
        rgb[2] = (argb & 0xff) / 255f;
        a = ((argb >>> 24) & 0xff) / 255f;
      }
      if (a < 1f) {
        for (int ch = 0; ch < 3; ch++) {
          rgb[ch] = rgb[ch] * a + (1f - a);
        }
      }
    }
  }
}
