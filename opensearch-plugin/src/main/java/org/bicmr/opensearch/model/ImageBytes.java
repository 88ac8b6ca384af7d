package org.bicmr.opensearch.model;

import java.util.Base64;

/**
 * An encoded image (PNG or JPEG) as requests give it: a base64 string, optionally a {@code data:image/…;base64,} URI.
 * At most {@link #MAX_BYTES} bytes once decoded ({@link #MAX_BASE64_CHARS} characters), checked before decoding; the
 * pixel limit is the node's {@code bicmr.image.max_pixels} or the model's {@code image.preprocessing.max_pixels},
 * whichever is lower, checked from the image header before its pixels are decoded.
 */
public final class ImageBytes {
  /** The largest encoded image a request may carry: 16 MiB. */
  public static final int MAX_BYTES = 16 * 1024 * 1024;
  /** The base64 length of {@link #MAX_BYTES} bytes. */
  public static final int MAX_BASE64_CHARS = (MAX_BYTES + 2) / 3 * 4;

  private ImageBytes() {}

  /**
   * The bytes of a base64 image; {@code what} names the value in errors, e.g. "[bicmr_hash] field [photo]".
   *
   * @throws IllegalArgumentException if the value is not a non-empty string of valid base64 within the limit
   */
  public static byte[] decode(String what, Object value) {
    if (!(value instanceof String s)) {
      throw new IllegalArgumentException(what + " must hold a base64 string (an encoded PNG or JPEG), got "
          + (value == null ? "null" : value.getClass().getSimpleName()));
    }
    String base64 = s;
    if (base64.startsWith("data:")) {
      int comma = base64.indexOf(',');
      if (comma < 0 || !base64.substring(0, comma).endsWith(";base64")) {
        throw new IllegalArgumentException(what + " is a data URI without \";base64,\"; expected base64 image bytes");
      }
      base64 = base64.substring(comma + 1);
    }
    if (base64.isEmpty()) {
      throw new IllegalArgumentException(what + " is an empty string; expected base64 image bytes (PNG or JPEG)");
    }
    if (base64.length() > MAX_BASE64_CHARS) {
      throw new IllegalArgumentException(what + " holds " + base64.length() + " base64 characters, more than the "
          + "limit of " + MAX_BASE64_CHARS + " (" + MAX_BYTES + " bytes of image)");
    }
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " is not valid base64 (" + e.getMessage() + "); expected base64 image "
          + "bytes (PNG or JPEG)", e);
    }
  }
}
