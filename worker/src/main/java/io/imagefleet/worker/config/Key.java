package io.imagefleet.worker.config;

import java.util.Locale;

/**
 * One configuration key with its default, declared as a constant by the settings record that reads
 * it and listed in that record's {@code KEYS}, so that the name is spelled once and the default
 * sits next to the validation. {@link WorkerConfig#KEYS} gathers every record's keys: the
 * environment variables the worker honours and the rows docs/configuration.md must have both come
 * from there.
 *
 * @param name the key as written in the properties file, e.g. {@code intake.max-in-flight}
 * @param defaultValue the value when neither the file nor the environment sets the key, as text;
 *     null when the key is required or optional without a default
 */
record Key(String name, String defaultValue) {
  static final String ENV_PREFIX = "IMAGEFLEET_";

  /** A key without a default: required or optional, as its reader decides. */
  static Key of(String name) {
    return new Key(name, null);
  }

  static Key of(String name, String defaultValue) {
    return new Key(name, defaultValue);
  }

  /**
   * The variable that overrides this key: {@code upstream.base-url} -> {@code
   * IMAGEFLEET_UPSTREAM_BASE_URL}.
   */
  String envName() {
    return ENV_PREFIX + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
