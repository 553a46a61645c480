package io.imagefleet.cli.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Who may look. With a token: only a request that presents it, as {@code Authorization: Bearer} or
 * in the cookie the page gets after opening {@code /?token=...} once (a browser's EventSource
 * cannot send headers). Without one the console listens on loopback only, and answers only requests
 * addressed to a loopback name: a web page elsewhere could otherwise point a name of its own at
 * 127.0.0.1 (DNS rebinding) and read the console through the person's browser.
 *
 * <p>Immutable; safe on any thread.
 */
final class AccessCheck {
  static final String COOKIE = "imagefleet_console";
  private static final Set<String> LOOPBACK_NAMES =
      Set.of("localhost", "127.0.0.1", "[::1]", "::1");

  private final Optional<byte[]> token;

  AccessCheck(Optional<String> token) {
    this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
  }

  enum Verdict {
    ALLOWED,
    /** A token is needed and none (or a wrong one) came. */
    NEEDS_TOKEN,
    /** No token is configured, and the request names a host that is not loopback. */
    NOT_LOOPBACK_HOST
  }

  boolean needsToken() {
    return token.isPresent();
  }

  /**
   * @param host the request's Host header, null when absent
   * @param authorization its Authorization header, null when absent
   * @param cookie the value of the {@link #COOKIE} cookie, null when absent
   */
  Verdict check(String host, String authorization, String cookie) {
    if (token.isEmpty()) {
      return isLoopbackName(host) ? Verdict.ALLOWED : Verdict.NOT_LOOPBACK_HOST;
    }
    if (authorization != null
        && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        && matches(authorization.substring(7).strip())) {
      return Verdict.ALLOWED;
    }
    return cookie != null && cookieValue().filter(v -> same(v, cookie)).isPresent()
        ? Verdict.ALLOWED
        : Verdict.NEEDS_TOKEN;
  }

  /**
   * What the cookie holds: a digest of the token rather than the token, which then never sits in
   * the browser's cookie store, and which is safe in a cookie whatever characters the token has.
   */
  Optional<String> cookieValue() {
    return token.map(
        t -> {
          try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("imagefleet-console:".getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(sha.digest(t));
          } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
          }
        });
  }

  /** Compared in constant time, so that the answer's timing does not spell the token. */
  boolean matches(String candidate) {
    return token.isPresent()
        && candidate != null
        && MessageDigest.isEqual(token.get(), candidate.getBytes(StandardCharsets.UTF_8));
  }

  private static boolean same(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private static boolean isLoopbackName(String host) {
    if (host == null) {
      return false;
    }
    String h = host.toLowerCase(Locale.ROOT);
    int colon = h.lastIndexOf(':');
    if (colon > h.lastIndexOf(']')) {
      h = h.substring(0, colon);
    }
    return LOOPBACK_NAMES.contains(h);
  }
}
