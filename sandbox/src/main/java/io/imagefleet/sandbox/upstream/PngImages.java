package io.imagefleet.sandbox.upstream;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The images the simulator serves as results: real PNGs of the requested pixel size, in a few
 * {@value #VARIANTS} variants (colours and pattern) so that different results have different bytes.
 * Each (size, variant) is painted once and cached: at most 18 images, a few hundred kB in all.
 * Thread-safe.
 */
final class PngImages {

  static final int VARIANTS = 6;

  /** Foreground and background colours per variant. */
  private static final int[][] COLOURS = {
    {0xE4572E, 0x1B1B3A}, {0x17BEBB, 0xFFC914}, {0x76B041, 0x2E282A},
    {0x6A4C93, 0xF0EFF4}, {0xFF7F11, 0x0B3954}, {0xD81159, 0xFBB13C},
  };

  private final ConcurrentMap<String, PngImage> cache = new ConcurrentHashMap<>();

  /** An encoded image and the hex SHA-256 of its bytes. */
  record PngImage(byte[] bytes, String sha256) {}

  /** The variant served for one result of one task; stable for the same task id and index. */
  static int variantFor(String taskId, int index) {
    return Math.floorMod((taskId + "/" + index).hashCode(), VARIANTS);
  }

  PngImage image(ImageSize size, int variant) {
    if (variant < 0 || variant >= VARIANTS) {
      throw new IllegalArgumentException(
          "variant must be in 0.." + (VARIANTS - 1) + ", but was " + variant);
    }
    return cache.computeIfAbsent(size.name() + "/" + variant, key -> paint(size, variant));
  }

  private static PngImage paint(ImageSize size, int variant) {
    int[] c = COLOURS[variant];
    byte[] fg = rgb(c[0]);
    byte[] bg = rgb(c[1]);
    int band = 32 + 16 * variant;
    byte[] png =
        PngEncoder.encode(
            size.width(),
            size.height(),
            (y, row) -> {
              for (int x = 0; x < size.width(); x++) {
                boolean on =
                    switch (variant % 3) {
                      case 0 -> ((x + y) / band) % 2 == 0; // diagonal stripes
                      case 1 -> ((x / band) + (y / band)) % 2 == 0; // checkerboard
                      default ->
                          (Math.max(Math.abs(x - size.width() / 2), Math.abs(y - size.height() / 2))
                                      / band)
                                  % 2
                              == 0; // nested squares
                    };
                byte[] colour = on ? fg : bg;
                row[3 * x] = colour[0];
                row[3 * x + 1] = colour[1];
                row[3 * x + 2] = colour[2];
              }
            });
    return new PngImage(png, sha256(png));
  }

  private static byte[] rgb(int colour) {
    return new byte[] {(byte) (colour >> 16), (byte) (colour >> 8), (byte) colour};
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
