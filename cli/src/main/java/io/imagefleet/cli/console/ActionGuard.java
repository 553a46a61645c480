package io.imagefleet.cli.console;

import java.util.Locale;
import java.util.Optional;

/**
 * Which POSTs may act: only those the console's own page sends. A page of another site can make a
 * browser send a form or a simple request to the console, with its cookie; it cannot add a custom
 * header or a JSON content type without a CORS preflight, which the console never grants. The
 * Origin and Sec-Fetch-Site headers, when the browser sends them, must say the same site.
 *
 * <p>Stateless.
 */
final class ActionGuard {
  static final String HEADER = "X-Imagefleet-Action";

  private ActionGuard() {}

  /**
   * Why a POST is refused, or empty when it may act.
   *
   * @param host the Host header
   * @param origin the Origin header, null when absent
   * @param fetchSite the Sec-Fetch-Site header, null when absent
   * @param contentType the Content-Type header, null when absent
   * @param actionHeader the {@link #HEADER} header, null when absent
   */
  static Optional<String> refusal(
      String host, String origin, String fetchSite, String contentType, String actionHeader) {
    if (!"1".equals(actionHeader)) {
      return Optional.of("an action needs the header " + HEADER + ": 1");
    }
    if (contentType == null
        || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      return Optional.of("an action needs Content-Type: application/json");
    }
    if (origin != null
        && (host == null
            || !(origin.equalsIgnoreCase("http://" + host)
                || origin.equalsIgnoreCase("https://" + host)))) {
      return Optional.of("an action must come from the console's own page, not from " + origin);
    }
    if (fetchSite != null && !"same-origin".equalsIgnoreCase(fetchSite)) {
      return Optional.of("an action must come from the console's own page (" + fetchSite + ")");
    }
    return Optional.empty();
  }
}
