package io.imagefleet.worker.config;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The one reader of configuration values: every settings record's {@code from(ConfigReader)} reads
 * its keys through it, so every key follows the same rules.
 *
 * <ul>
 *   <li>A value is trimmed. A key the file and the environment leave unset takes its default; a key
 *       set blank is unset, its default included.
 *   <li>Errors name the key and the value as given; a missing required key also names its
 *       environment variable.
 *   <li>Durations take {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601;
 *       booleans {@code true} or {@code false} in any case; URLs http or https only.
 *   <li>A secret is given inline or as the path of a file holding it (the {@code *-file} key, whose
 *       content is trimmed); inline wins. A {@link Secret} never shows its value.
 * </ul>
 *
 * <p>Where values come from (the properties file, the environment) is {@link ConfigLoader}'s part.
 */
final class ConfigReader {
  private final Map<String, String> values;

  /**
   * {@code values}: every key the file or the environment sets; defaults come from each {@link
   * Key}.
   */
  ConfigReader(Map<String, String> values) {
    this.values = new HashMap<>(values);
  }

  Optional<String> optional(Key key) {
    String value = values.containsKey(key.name()) ? values.get(key.name()) : key.defaultValue();
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  String string(Key key) {
    return optional(key)
        .orElseThrow(
            () ->
                new ConfigException(
                    key.name()
                        + " must be set (in the config file or env "
                        + key.envName()
                        + "), but was missing"));
  }

  int integer(Key key) {
    String s = string(key);
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new ConfigException(key.name() + " must be a whole number, but was '" + s + "'");
    }
  }

  /** A whole number too large for an int, such as a count of bytes or tokens. */
  long wholeNumber(Key key) {
    String s = string(key);
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new ConfigException(key.name() + " must be a whole number, but was '" + s + "'");
    }
  }

  double decimal(Key key) {
    String s = string(key);
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new ConfigException(key.name() + " must be a number, but was '" + s + "'");
    }
  }

  /** An amount of USD, exact: money is never a {@code double}. */
  Optional<BigDecimal> money(Key key) {
    Optional<String> s = optional(key);
    try {
      return s.map(BigDecimal::new);
    } catch (NumberFormatException e) {
      throw new ConfigException(
          key.name() + " must be a decimal number of USD, but was '" + s.get() + "'");
    }
  }

  boolean bool(Key key) {
    String s = string(key).toLowerCase(Locale.ROOT);
    if (s.equals("true") || s.equals("false")) {
      return Boolean.parseBoolean(s);
    }
    throw new ConfigException(key.name() + " must be true or false, but was '" + s + "'");
  }

  Duration duration(Key key) {
    return parseDuration(key.name(), string(key));
  }

  URI uri(Key key) {
    return parseUri(key, string(key));
  }

  Optional<URI> optionalUri(Key key) {
    return optional(key).map(s -> parseUri(key, s));
  }

  /** A secret given inline ({@code key}) or in a file named by {@code fileKey}; inline wins. */
  Optional<Secret> secret(Key key, Key fileKey) {
    Optional<String> inline = optional(key);
    if (inline.isPresent()) {
      return inline.map(Secret::of);
    }
    return secretFile(fileKey);
  }

  /** The secret in the file that {@code fileKey} names, trimmed, if the key is set. */
  Optional<Secret> secretFile(Key fileKey) {
    return optional(fileKey)
        .map(
            file -> {
              try {
                return Secret.of(Files.readString(Path.of(file), StandardCharsets.UTF_8).trim());
              } catch (IOException e) {
                throw new ConfigException(
                    fileKey.name() + " cannot be read: " + file + " (" + e.getMessage() + ")", e);
              }
            });
  }

  /**
   * Set keys under {@code prefix}, with the prefix removed, in order: for keys named after a
   * tenant, a host or a client property, which no {@link Key} constant can list.
   */
  Map<String, String> under(String prefix) {
    Map<String, String> found = new TreeMap<>();
    values.forEach(
        (k, v) -> {
          if (k.startsWith(prefix) && v != null && !v.isBlank()) {
            found.put(k.substring(prefix.length()), v.trim());
          }
        });
    return found;
  }

  /** Parses {@code 250ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601. */
  static Duration parseDuration(String key, String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("p")) {
        return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
      }
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
      }
      long n = Long.parseLong(t.substring(0, t.length() - 1).trim());
      switch (t.charAt(t.length() - 1)) {
        case 's':
          return Duration.ofSeconds(n);
        case 'm':
          return Duration.ofMinutes(n);
        case 'h':
          return Duration.ofHours(n);
        case 'd':
          return Duration.ofDays(n);
        default:
          break;
      }
    } catch (RuntimeException e) {
      // fall through to the error below
    }
    throw new ConfigException(
        key + " must be a duration like 500ms, 30s, 5m or PT30S, but was '" + text + "'");
  }

  private static URI parseUri(Key key, String s) {
    try {
      URI uri = URI.create(s);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
        throw new IllegalArgumentException("scheme");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key.name() + " must be an http(s) URL, but was '" + s + "'");
    }
  }
}
