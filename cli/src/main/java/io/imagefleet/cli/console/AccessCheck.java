package io.imagefleet.cli.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Who may look, and as whom. With tokens (the operator's, and one per tenant where per-tenant
 * access is configured): only a request that presents one, as {@code Authorization: Bearer} or in
 * the cookie the page gets after opening {@code /?token=...} once (a browser's EventSource cannot
 * send headers); the token decides the {@link Viewer}. Without any the console listens on loopback
 * only, everyone there is the operator, and it answers only requests addressed to a loopback name:
 * a web page elsewhere could otherwise point a name of its own at 127.0.0.1 (DNS rebinding) and
 * read the console through the person's browser.
 *
 * <p>Immutable; safe on any thread.
 */
final class AccessCheck {
  static final String COOKIE = "imagefleet_console";
  private static final Set<String> LOOPBACK_NAMES =
      Set.of("localhost", "127.0.0.1", "[::1]", "::1");

  /** Each token with the viewer it admits. */
  private final List<Admits> tokens;

  private record Admits(byte[] token, String cookie, Viewer viewer) {}

  /** A token and the answer to a request, when it presented one that is known. */
  record Access(Verdict verdict, Viewer viewer) {}

  AccessCheck(Optional<String> operatorToken, Map<String, String> tenantTokens) {
    List<Admits> all = new ArrayList<>();
    operatorToken.ifPresent(t -> all.add(admits(t, Viewer.OPERATOR)));
    new TreeMap<>(tenantTokens).forEach((tenant, t) -> all.add(admits(t, Viewer.tenant(tenant))));
    this.tokens = List.copyOf(all);
  }

  private static Admits admits(String token, Viewer viewer) {
    byte[] bytes = token.getBytes(StandardCharsets.UTF_8);
    return new Admits(bytes, digest(bytes), viewer);
  }

  enum Verdict {
    ALLOWED,
    /** A token is needed and none (or a wrong one) came. */
    NEEDS_TOKEN,
    /** No token is configured, and the request names a host that is not loopback. */
    NOT_LOOPBACK_HOST
  }

  boolean needsToken() {
    return !tokens.isEmpty();
  }

  /**
   * @param host the request's Host header, null when absent
   * @param authorization its Authorization header, null when absent
   * @param cookie the value of the {@link #COOKIE} cookie, null when absent
   */
  Access check(String host, String authorization, String cookie) {
    if (tokens.isEmpty()) {
      return new Access(
          isLoopbackName(host) ? Verdict.ALLOWED : Verdict.NOT_LOOPBACK_HOST, Viewer.OPERATOR);
    }
    Optional<Admits> admitted = Optional.empty();
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      admitted = presented(authorization.substring(7).strip());
    }
    if (admitted.isEmpty() && cookie != null) {
      admitted = tokens.stream().filter(a -> same(a.cookie(), cookie)).findFirst();
    }
    return admitted
        .map(a -> new Access(Verdict.ALLOWED, a.viewer()))
        .orElse(new Access(Verdict.NEEDS_TOKEN, null));
  }

  /**
   * The cookie that stands for {@code candidate}, when it is a known token: a digest of the token
   * rather than the token, which then never sits in the browser's cookie store, and which is safe
   * in a cookie whatever characters the token has.
   */
  Optional<String> cookieFor(String candidate) {
    return presented(candidate).map(Admits::cookie);
  }

  /**
   * The known token {@code candidate} is, compared with every one in constant time, so that the
   * answer's timing spells neither a token nor which one matched.
   */
  private Optional<Admits> presented(String candidate) {
    if (candidate == null) {
      return Optional.empty();
    }
    byte[] bytes = candidate.getBytes(StandardCharsets.UTF_8);
    Admits found = null;
    for (Admits a : tokens) {
      if (MessageDigest.isEqual(a.token(), bytes)) {
        found = a;
      }
    }
    return Optional.ofNullable(found);
  }

  private static String digest(byte[] token) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("imagefleet-console:".getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest(token));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
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
