package io.imagefleet.worker.config;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * One tenant's HMAC key for signing callbacks. Written the Standard Webhooks way, {@code whsec_}
 * followed by the base64 of 24 to 64 random bytes, which is what every Standard Webhooks verifier
 * takes as is. A value without the prefix is a secret of the earlier scheme, whose key is the
 * text's UTF-8 bytes (a verifier takes it as {@code whsec_} + base64 of those bytes). Like {@link
 * Secret}, it never shows its value.
 */
public final class WebhookSecret {
  /** The prefix of a Standard Webhooks symmetric secret. */
  public static final String PREFIX = "whsec_";

  private static final int MIN_KEY_BYTES = 24;
  private static final int MAX_KEY_BYTES = 64;
  private static final int MIN_LEGACY_CHARS = 16;

  private final byte[] key;

  private WebhookSecret(byte[] key) {
    this.key = key;
  }

  /**
   * Reads {@code text}; {@code key} names it in the error, which never quotes the value.
   *
   * @throws ConfigException when it is too short or not base64 after the prefix
   */
  static WebhookSecret parse(String key, Secret text) {
    String value = text.reveal().trim();
    if (!value.startsWith(PREFIX)) {
      if (value.length() < MIN_LEGACY_CHARS) {
        throw new ConfigException(
            key + " must be at least " + MIN_LEGACY_CHARS + " characters, but was shorter");
      }
      return new WebhookSecret(value.getBytes(StandardCharsets.UTF_8));
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(value.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key + " must be whsec_ followed by base64, but was not base64");
    }
    if (bytes.length < MIN_KEY_BYTES || bytes.length > MAX_KEY_BYTES) {
      throw new ConfigException(
          key
              + " must hold "
              + MIN_KEY_BYTES
              + " to "
              + MAX_KEY_BYTES
              + " bytes after whsec_, but held "
              + bytes.length);
    }
    return new WebhookSecret(bytes);
  }

  /** The HMAC key: pass it only to the MAC. */
  public byte[] key() {
    return key.clone();
  }

  @Override
  public String toString() {
    return "[redacted]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WebhookSecret other && Arrays.equals(other.key, key);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(key);
  }
}
