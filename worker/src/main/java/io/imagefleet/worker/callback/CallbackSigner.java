package io.imagefleet.worker.callback;

import io.imagefleet.worker.config.WebhookSecret;
import io.imagefleet.worker.config.WebhookSigningKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a callback the Standard Webhooks way, so that receivers verify it with a published library
 * instead of code of their own: {@code webhook-signature} holds {@code v1,<base64 HMAC-SHA256>}
 * over {@code "<webhook-id>.<webhook-timestamp>.<body>"}, once per active secret of the tenant,
 * separated by spaces. A receiver that holds any one of them accepts the request, which is what
 * lets a tenant rotate its secret without a moment when deliveries fail verification. The id and
 * the timestamp are inside the MAC: a captured request cannot be replayed later under a fresh
 * timestamp (receivers reject old ones), nor under another id to pass a receiver's deduplication.
 *
 * <p>A tenant with Ed25519 keys ({@code callbacks.ed25519-secret.<tenant>}) also gets one {@code
 * v1a,<base64 Ed25519 signature>} per key over the same content: a receiver verifies those with the
 * public key alone. Verifiers skip the versions they do not use.
 *
 * <p>The headers of the earlier scheme ({@code X-Imagefleet-*}) are still sent, signed with the
 * first secret, during their deprecation period (until the callbacks' next major version).
 */
public final class CallbackSigner {
  /** The delivered event's {@code event_id}: the same on every retry, the receiver's dedup key. */
  public static final String ID_HEADER = "webhook-id";

  /** Unix seconds when this attempt was signed. */
  public static final String TIMESTAMP_HEADER = "webhook-timestamp";

  /**
   * {@code v1,<base64>} per active secret, then {@code v1a,<base64>} per key, separated by spaces.
   */
  public static final String SIGNATURE_HEADER = "webhook-signature";

  /** Deprecated: the same as {@link #TIMESTAMP_HEADER}. */
  public static final String LEGACY_TIMESTAMP_HEADER = "X-Imagefleet-Timestamp";

  /**
   * Deprecated: {@code v1=} + hex HMAC-SHA256 over {@code "<timestamp>.<body>"}, with the first
   * secret only.
   */
  public static final String LEGACY_SIGNATURE_HEADER = "X-Imagefleet-Signature";

  /** Deprecated: the same as {@link #ID_HEADER}. */
  public static final String LEGACY_EVENT_ID_HEADER = "X-Imagefleet-Event-Id";

  /** 1 for the first try of a delivery, then 2, 3, ... (no Standard Webhooks counterpart). */
  public static final String ATTEMPT_HEADER = "X-Imagefleet-Delivery-Attempt";

  private CallbackSigner() {}

  /** Every signing header of one attempt, in a stable order. */
  static Map<String, String> headers(
      String webhookId,
      long timestampSeconds,
      byte[] body,
      List<WebhookSecret> secrets,
      List<WebhookSigningKey> keys,
      int attempt) {
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("a callback is signed with at least one secret");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(ID_HEADER, webhookId);
    headers.put(TIMESTAMP_HEADER, String.valueOf(timestampSeconds));
    headers.put(SIGNATURE_HEADER, signatures(secrets, keys, webhookId, timestampSeconds, body));
    headers.put(LEGACY_TIMESTAMP_HEADER, String.valueOf(timestampSeconds));
    headers.put(LEGACY_SIGNATURE_HEADER, legacySignature(secrets.get(0), timestampSeconds, body));
    headers.put(LEGACY_EVENT_ID_HEADER, webhookId);
    headers.put(ATTEMPT_HEADER, String.valueOf(attempt));
    return headers;
  }

  /**
   * The {@code webhook-signature} value: one {@code v1,<base64>} per secret, one {@code
   * v1a,<base64>} per Ed25519 key.
   */
  public static String signatures(
      List<WebhookSecret> secrets,
      List<WebhookSigningKey> keys,
      String webhookId,
      long timestampSeconds,
      byte[] body) {
    byte[] prefix = (webhookId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8);
    Base64.Encoder base64 = Base64.getEncoder();
    return Stream.concat(
            secrets.stream().map(s -> "v1," + base64.encodeToString(hmac(s, prefix, body))),
            keys.stream().map(k -> "v1a," + base64.encodeToString(ed25519(k, prefix, body))))
        .collect(Collectors.joining(" "));
  }

  private static byte[] ed25519(WebhookSigningKey key, byte[] prefix, byte[] body) {
    try {
      Signature signature = Signature.getInstance("Ed25519");
      signature.initSign(key.privateKey());
      signature.update(prefix);
      signature.update(body);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is required of every Java 15+ JVM", e);
    }
  }

  /** The deprecated {@code X-Imagefleet-Signature} value. */
  public static String legacySignature(WebhookSecret secret, long timestampSeconds, byte[] body) {
    byte[] prefix = (timestampSeconds + ".").getBytes(StandardCharsets.UTF_8);
    return "v1=" + HexFormat.of().formatHex(hmac(secret, prefix, body));
  }

  private static byte[] hmac(WebhookSecret secret, byte[] prefix, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.key(), "HmacSHA256"));
      mac.update(prefix);
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
    }
  }
}
