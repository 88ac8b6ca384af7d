package org.bicmr.training.images.vision;

/**
 * TensorFlow's spatial padding of one axis made explicit for ONNX: {@code same} gives {@code ceil(in / s)} outputs and
 * pads {@code max((out − 1)·s + span − in, 0)} in all, the smaller half before (so stride 2 on an even size pads only
 * after); {@code valid} pads nothing.
 */
final class Padding {
  private Padding() {}

  /**
   * {before, after, output size} of one axis.
   *
   * @param what the layer or node, for errors
   * @param padding {@code same} or {@code valid} (any case)
   */
  static int[] of(String what, String padding, int in, int k, int s, int d) {
    int span = (k - 1) * d + 1;
    return switch (padding.toLowerCase(java.util.Locale.ROOT)) {
      case "valid" -> {
        if (in < span) {
          throw new IllegalArgumentException(what + ": input size " + in + " is smaller than the kernel span " + span);
        }
        yield new int[] {0, 0, (in - span) / s + 1};
      }
      case "same" -> {
        int out = (in + s - 1) / s;
        int total = Math.max((out - 1) * s + span - in, 0);
        yield new int[] {total / 2, total - total / 2, out};
      }
      default -> throw new IllegalArgumentException(what + ": padding is " + padding + ", expected same or valid");
    };
  }
}
