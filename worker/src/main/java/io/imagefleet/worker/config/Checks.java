package io.imagefleet.worker.config;

import java.time.Duration;

/** Validation of configuration values with messages that name the key. */
final class Checks {
  private Checks() {}

  static void notBlank(Key key, String value) {
    if (value == null || value.isBlank()) {
      throw new ConfigException(
          key.name() + " must be set, but was " + (value == null ? "missing" : "blank"));
    }
  }

  static void positive(Key key, long value) {
    if (value <= 0) {
      throw new ConfigException(key.name() + " must be > 0, but was " + value);
    }
  }

  static void positive(Key key, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new ConfigException(key.name() + " must be a positive duration, but was " + value);
    }
  }

  static void notNegative(Key key, Duration value) {
    if (value == null || value.isNegative()) {
      throw new ConfigException(
          key.name() + " must be zero or a positive duration, but was " + value);
    }
  }

  /** A finite number above zero, such as a weight or a rate. */
  static void positiveNumber(Key key, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new ConfigException(key.name() + " must be a positive number, but was " + value);
    }
  }

  static void atLeast(Key key, double min, double value) {
    if (value < min) {
      throw new ConfigException(key.name() + " must be >= " + min + ", but was " + value);
    }
  }

  static void between(Key key, double min, double max, double value) {
    if (value < min || value > max) {
      throw new ConfigException(
          key.name() + " must be between " + min + " and " + max + ", but was " + value);
    }
  }
}
