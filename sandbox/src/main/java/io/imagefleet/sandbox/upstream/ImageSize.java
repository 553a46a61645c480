package io.imagefleet.sandbox.upstream;

import java.util.Optional;

/**
 * The three output sizes of the upstream; each has a ratio name and a pixel name (both accepted).
 */
enum ImageSize {
  SQUARE(1024, 1024, "1:1"),
  PORTRAIT(1024, 1536, "2:3"),
  LANDSCAPE(1536, 1024, "3:2");

  static final String ACCEPTED = "1:1, 2:3, 3:2, 1024x1024, 1024x1536, 1536x1024";

  private final int width;
  private final int height;
  private final String ratio;

  ImageSize(int width, int height, String ratio) {
    this.width = width;
    this.height = height;
    this.ratio = ratio;
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  String pixels() {
    return width + "x" + height;
  }

  static Optional<ImageSize> parse(String text) {
    for (ImageSize size : values()) {
      if (size.ratio.equals(text) || size.pixels().equals(text)) {
        return Optional.of(size);
      }
    }
    return Optional.empty();
  }
}
