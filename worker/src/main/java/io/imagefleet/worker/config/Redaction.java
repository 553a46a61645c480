package io.imagefleet.worker.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/** Decides which configuration keys hold secrets, so dumps can mask them. */
public final class Redaction {
  public static final String REDACTED = "[redacted]";

  /**
   * Words that make a key secret wherever they stand as a part of its name. Whole parts only: a
   * count of {@code output-tokens} is no credential, an {@code ops.token} is.
   */
  private static final Set<String> SECRET_WORDS =
      Set.of(
          "password",
          "secret",
          "jaas",
          "token",
          "credential",
          "credentials",
          "apikey",
          // Headers sent to a collector or a gateway carry their API keys.
          "headers");

  private Redaction() {}

  public static boolean isSecretKey(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("api-key")
        || k.contains("api_key")
        || k.endsWith(".key")
        || Arrays.stream(k.split("[._-]")).anyMatch(SECRET_WORDS::contains);
  }

  /** {@code value}, or {@link #REDACTED} when {@code key} holds a secret. */
  public static String shown(String key, String value) {
    return isSecretKey(key) && !value.isEmpty() ? REDACTED : value;
  }
}
