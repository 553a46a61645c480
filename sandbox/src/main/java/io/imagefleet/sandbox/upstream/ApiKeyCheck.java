package io.imagefleet.sandbox.upstream;

import com.sun.net.httpserver.HttpExchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Checks {@code Authorization: Bearer <key>} against the one configured key, in constant time. */
final class ApiKeyCheck {

  static final ApiError UNAUTHORIZED =
      ApiError.of(401, "unauthorized", "Invalid or missing API key.");

  private final byte[] expected;

  ApiKeyCheck(String apiKey) {
    this.expected = ("Bearer " + apiKey).getBytes(StandardCharsets.UTF_8);
  }

  boolean accepts(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    return header != null
        && MessageDigest.isEqual(expected, header.trim().getBytes(StandardCharsets.UTF_8));
  }
}
