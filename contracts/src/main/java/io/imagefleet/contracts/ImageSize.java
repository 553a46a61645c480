package io.imagefleet.contracts;

import java.util.Arrays;
import java.util.Optional;

/** Output sizes the upstream accepts, with the pixel size each one produces. */
public enum ImageSize {
  SQUARE("1:1", 1024, 1024),
  PORTRAIT("2:3", 1024, 1536),
  LANDSCAPE("3:2", 1536, 1024),
  PX_1024X1024("1024x1024", 1024, 1024),
  PX_1024X1536("1024x1536", 1024, 1536),
  PX_1536X1024("1536x1024", 1536, 1024);

  private final String wire;
  private final int width;
  private final int height;

  ImageSize(String wire, int width, int height) {
    this.wire = wire;
    this.width = width;
    this.height = height;
  }

  /** The value on the wire, as in {@code "size": "2:3"}. */
  public String wire() {
    return wire;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** Whether the output is square; non-square images cost more. */
  public boolean isSquare() {
    return width == height;
  }

  public static Optional<ImageSize> tryParse(String wire) {
    return Arrays.stream(values()).filter(s -> s.wire.equals(wire)).findFirst();
  }
}
