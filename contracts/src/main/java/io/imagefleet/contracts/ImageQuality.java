package io.imagefleet.contracts;

import java.util.Arrays;
import java.util.Optional;

/** Output qualities the upstream accepts; higher costs more. */
public enum ImageQuality {
  LOW("low"),
  MEDIUM("medium"),
  HIGH("high");

  private final String wire;

  ImageQuality(String wire) {
    this.wire = wire;
  }

  /** The value on the wire, as in {@code "quality": "medium"}. */
  public String wire() {
    return wire;
  }

  public static Optional<ImageQuality> tryParse(String wire) {
    return Arrays.stream(values()).filter(q -> q.wire.equals(wire)).findFirst();
  }
}
