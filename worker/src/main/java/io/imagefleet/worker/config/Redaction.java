package io.imagefleet.worker.config;

import java.util.Locale;

/** Decides which configuration keys hold secrets, so dumps can mask them. */
public final class Redaction {
  private Redaction() {}

  public static boolean isSecretKey(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("password")
        || k.contains("secret")
        || k.contains("jaas")
        || k.contains("api-key")
        || k.contains("api_key")
        || k.contains("apikey")
        || k.endsWith(".key")
        || k.contains("token")
        || k.contains("credential");
  }
}
