package io.imagefleet.worker.metrics;

import io.imagefleet.worker.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Decides whether an {@code Authorization} header carries the ops token. Without a configured token
 * every request passes. Thread safe (immutable).
 */
final class BearerCheck {
  private static final String PREFIX = "Bearer ";

  /** The token's digest, not the token: the comparison below needs equal lengths. */
  private final Optional<byte[]> expected;

  BearerCheck(Optional<Secret> token) {
    this.expected = token.map(t -> sha256(t.reveal()));
  }

  boolean required() {
    return expected.isPresent();
  }

  /** True when no token is configured, or {@code authorization} is {@code Bearer <the token>}. */
  boolean permits(String authorization) {
    if (expected.isEmpty()) {
      return true;
    }
    if (authorization == null
        || !authorization.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return false;
    }
    // Digests of equal length compared in constant time: neither the token's content nor its length
    // can be found by timing the answers.
    return MessageDigest.isEqual(
        expected.get(), sha256(authorization.substring(PREFIX.length()).trim()));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
