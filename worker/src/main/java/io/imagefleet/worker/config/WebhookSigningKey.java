package io.imagefleet.worker.config;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * One tenant's Ed25519 signing key for Standard Webhooks' asymmetric signatures ({@code v1a}):
 * {@code whsk_} followed by the base64 of the 32-byte private key (or of 64 bytes, the private key
 * followed by its public key, as libsodium writes it). Receivers verify with the public key alone,
 * so they hold nothing that could sign. Never shows its value.
 */
public final class WebhookSigningKey {
  /** The prefix of a Standard Webhooks asymmetric secret key. */
  public static final String PREFIX = "whsk_";

  /** PKCS#8 wrapping of a raw Ed25519 private key (RFC 8410), which the JDK reads. */
  private static final byte[] PKCS8_HEADER =
      HexFormat.of().parseHex("302e020100300506032b657004220420");

  private final PrivateKey key;

  private WebhookSigningKey(PrivateKey key) {
    this.key = key;
  }

  /**
   * Reads {@code text}; {@code name} names it in the error, which never quotes the value.
   *
   * @throws ConfigException when it lacks the prefix, is not base64 or not 32 or 64 bytes
   */
  static WebhookSigningKey parse(String name, Secret text) {
    String value = text.reveal().trim();
    if (!value.startsWith(PREFIX)) {
      throw new ConfigException(name + " must be whsk_ followed by base64, but had no whsk_");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(value.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name + " must be whsk_ followed by base64, but was not base64");
    }
    if (bytes.length != 32 && bytes.length != 64) {
      throw new ConfigException(
          name + " must hold 32 or 64 bytes after whsk_, but held " + bytes.length);
    }
    byte[] der = Arrays.copyOf(PKCS8_HEADER, PKCS8_HEADER.length + 32);
    System.arraycopy(bytes, 0, der, PKCS8_HEADER.length, 32);
    try {
      return new WebhookSigningKey(
          KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der)));
    } catch (GeneralSecurityException e) {
      throw new ConfigException(name + " is not an Ed25519 private key");
    }
  }

  /** The private key: pass it only to the signature. */
  public PrivateKey privateKey() {
    return key;
  }

  @Override
  public String toString() {
    return "[redacted]";
  }
}
