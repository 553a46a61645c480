package io.imagefleet.worker.callback;

import io.imagefleet.worker.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a callback body the way receivers verify it: {@code v1=} + hex HMAC-SHA256, keyed with the
 * tenant's secret, over {@code "<timestamp>.<body>"}. The timestamp is inside the MAC so a captured
 * request cannot be replayed later with a fresh timestamp; receivers reject old timestamps.
 */
public final class CallbackSigner {
  /** Unix seconds when the request was signed. */
  public static final String TIMESTAMP_HEADER = "X-Imagefleet-Timestamp";

  /** {@code v1=<hex hmac>}; later schemes would add {@code v2=...} alongside. */
  public static final String SIGNATURE_HEADER = "X-Imagefleet-Signature";

  /**
   * The delivered event's {@code event_id}: the same on every retry, for receivers to drop repeats.
   */
  public static final String EVENT_ID_HEADER = "X-Imagefleet-Event-Id";

  /** 1 for the first try of a delivery, then 2, 3, ... */
  public static final String ATTEMPT_HEADER = "X-Imagefleet-Delivery-Attempt";

  private CallbackSigner() {}

  public static String signature(Secret secret, long timestampSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
      return "v1=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
    }
  }
}
