package io.imagefleet.worker.config;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Typed reads of the settings for storage, costs, callbacks and budgets, and of the newer keys
 * elsewhere (secrets, booleans, byte counts), with errors that name the key. {@code lookup} answers a key with its value or default; {@code all} holds every explicit
 * value, for keys named after tenants that no default table can list.
 */
final class KeyReader {
  private final Function<String, Optional<String>> lookup;
  private final Map<String, String> all;

  KeyReader(Function<String, Optional<String>> lookup, Map<String, String> all) {
    this.lookup = lookup;
    this.all = all;
  }

  Optional<String> optional(String key) {
    return lookup.apply(key);
  }

  String string(String key) {
    return optional(key).orElseThrow(() -> new ConfigException(key + " must be set (in the config file or env "
        + ConfigLoader.envName(key) + "), but was missing"));
  }

  int integer(String key) {
    String s = string(key);
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key + " must be a whole number, but was '" + s + "'");
    }
  }

  long wholeNumber(String key, String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key + " must be a whole number, but was '" + text + "'");
    }
  }

  double decimal(String key) {
    String s = string(key);
    try {
      return Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key + " must be a number, but was '" + s + "'");
    }
  }

  BigDecimal money(String key, String text) {
    try {
      BigDecimal value = new BigDecimal(text.trim());
      if (value.signum() <= 0) {
        throw new ConfigException(key + " must be > 0, but was " + text);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new ConfigException(key + " must be a decimal number of USD, but was '" + text + "'");
    }
  }

  boolean bool(String key) {
    String s = string(key).trim().toLowerCase(Locale.ROOT);
    if (s.equals("true") || s.equals("false")) {
      return Boolean.parseBoolean(s);
    }
    throw new ConfigException(key + " must be true or false, but was '" + s + "'");
  }

  Duration duration(String key) {
    return ConfigLoader.parseDuration(key, string(key));
  }

  Optional<URI> uri(String key) {
    return optional(key).map(s -> {
      try {
        URI uri = URI.create(s.trim());
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
          throw new IllegalArgumentException("scheme");
        }
        return uri;
      } catch (IllegalArgumentException e) {
        throw new ConfigException(key + " must be an http(s) URL, but was '" + s + "'");
      }
    });
  }

  /** A secret given inline ({@code key}) or in a file ({@code fileKey}); inline wins. */
  Optional<Secret> secret(String key, String fileKey) {
    Optional<String> inline = optional(key);
    if (inline.isPresent()) {
      return inline.map(Secret::of);
    }
    return optional(fileKey).map(file -> readSecretFile(fileKey, file));
  }

  static Secret readSecretFile(String key, String file) {
    try {
      return Secret.of(Files.readString(Path.of(file), StandardCharsets.UTF_8).trim());
    } catch (IOException e) {
      throw new ConfigException(key + " cannot be read: " + file + " (" + e.getMessage() + ")", e);
    }
  }

  /** Explicit keys under {@code prefix}, with the prefix removed, in order. */
  Map<String, String> under(String prefix) {
    Map<String, String> found = new TreeMap<>();
    all.forEach((k, v) -> {
      if (k.startsWith(prefix) && v != null && !v.isBlank()) {
        found.put(k.substring(prefix.length()), v.trim());
      }
    });
    return found;
  }
}
