package io.imagefleet.sandbox.upstream;

import java.util.Locale;
import java.util.Optional;

/** Output quality of the upstream; it decides the output tokens, hence the price. */
enum ImageQuality {
  LOW,
  MEDIUM,
  HIGH;

  static final String ACCEPTED = "low, medium, high";

  String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Optional<ImageQuality> parse(String text) {
    for (ImageQuality quality : values()) {
      if (quality.wireName().equals(text)) {
        return Optional.of(quality);
      }
    }
    return Optional.empty();
  }
}
