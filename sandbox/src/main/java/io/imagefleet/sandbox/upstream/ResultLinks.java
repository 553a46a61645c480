package io.imagefleet.sandbox.upstream;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Result links of completed tasks: {@code /files/<taskId>/<index>.png?expires=<epoch
 * s>&sig=<hmac>}. Like a CDN's pre-signed URL they need no API key, stop working {@code ttl} after
 * the task was created, and a changed {@code expires} breaks the signature. Thread-safe.
 */
final class ResultLinks {

  private static final Pattern PATH = Pattern.compile("/files/([^/]+)/(\\d{1,3})\\.png");
  private static final Pattern EXPIRES = Pattern.compile("(?:^|&)expires=(\\d{1,12})(?:&|$)");
  private static final Pattern SIG = Pattern.compile("(?:^|&)sig=([0-9a-f]{1,64})(?:&|$)");

  /** A parsed result link. */
  record Link(String taskId, int index, long expiresEpochSecond, String signature) {}

  /** What a download of a link gets. */
  enum Verdict {
    VALID,
    BAD_SIGNATURE,
    EXPIRED
  }

  private final URI baseUrl;
  private final byte[] secret;
  private final Duration ttl;

  ResultLinks(URI baseUrl, Duration ttl) {
    this.baseUrl = baseUrl;
    this.ttl = ttl;
    this.secret = new byte[32];
    new SecureRandom().nextBytes(secret);
  }

  List<String> urlsFor(SimTask task) {
    long expires = task.createdAt().plus(ttl).getEpochSecond();
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < task.request().n(); i++) {
      String path = "/files/" + task.id() + "/" + i + ".png";
      urls.add(
          baseUrl.resolve(path) + "?expires=" + expires + "&sig=" + sign(task.id(), i, expires));
    }
    return urls;
  }

  /** Parses the path and raw query of a request; empty when it is not a result link at all. */
  static Optional<Link> parse(String path, String rawQuery) {
    Matcher p = PATH.matcher(path);
    if (!p.matches()) {
      return Optional.empty();
    }
    String query = rawQuery == null ? "" : rawQuery;
    Matcher e = EXPIRES.matcher(query);
    Matcher s = SIG.matcher(query);
    long expires = e.find() ? Long.parseLong(e.group(1)) : -1;
    String sig = s.find() ? s.group(1) : "";
    return Optional.of(new Link(p.group(1), Integer.parseInt(p.group(2)), expires, sig));
  }

  /** Parses an absolute result URL as handed out in a task's {@code results}. */
  static Optional<Link> parse(URI url) {
    return parse(url.getPath() == null ? "" : url.getPath(), url.getRawQuery());
  }

  Verdict verify(Link link, Instant now) {
    byte[] expected =
        sign(link.taskId(), link.index(), link.expiresEpochSecond())
            .getBytes(StandardCharsets.US_ASCII);
    if (link.expiresEpochSecond() < 0
        || !MessageDigest.isEqual(expected, link.signature().getBytes(StandardCharsets.US_ASCII))) {
      return Verdict.BAD_SIGNATURE;
    }
    return now.getEpochSecond() >= link.expiresEpochSecond() ? Verdict.EXPIRED : Verdict.VALID;
  }

  private String sign(String taskId, int index, long expires) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      byte[] digest =
          mac.doFinal((taskId + "/" + index + "/" + expires).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }
}
