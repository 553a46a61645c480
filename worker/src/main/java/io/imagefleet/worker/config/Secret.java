package io.imagefleet.worker.config;

import java.util.Objects;

/**
 * A credential read from configuration. Its {@link #toString()} never shows the value, so a secret
 * that ends up in a log line, an exception message or a config dump shows as {@code [redacted]}.
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  public static Secret of(String value) {
    return new Secret(value);
  }

  /**
   * The real value: pass it only to the code that sends it (an Authorization header, a MAC key).
   */
  public String reveal() {
    return value;
  }

  public boolean isEmpty() {
    return value.isEmpty();
  }

  @Override
  public String toString() {
    return "[redacted]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret other && other.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}
