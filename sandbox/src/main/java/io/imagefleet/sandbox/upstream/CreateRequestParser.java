package io.imagefleet.sandbox.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Validates a create call's JSON body against the gateway's published API and applies the defaults
 * ({@code size 1:1}, {@code quality high}, {@code n 1}). Every rejection is a 400 {@code
 * invalid_request} naming the offending field in {@code param}. These are the endpoint's bounds,
 * the same for every model; what one model cannot do is {@link SimModel#check}'s to refuse.
 */
final class CreateRequestParser {

  static final int MAX_REFERENCE_IMAGES = 16;
  static final int MAX_IMAGES = 10;
  static final int MAX_CALLBACK_URL_CHARS = 2_048;
  private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|\\[?[0-9a-f]*:[0-9a-f:.]*]?");

  private CreateRequestParser() {}

  /**
   * @throws RejectedRequestException with a 400 answer when the body breaks the contract
   */
  static CreateRequest parse(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw reject(null, "The request body must be a JSON object.");
    }
    String model = requiredText(body, "model");
    String prompt = requiredText(body, "prompt");
    ImageSize size =
        optionalText(body, "size")
            .map(
                s ->
                    ImageSize.parse(s)
                        .orElseThrow(
                            () ->
                                reject(
                                    "size",
                                    "size must be one of "
                                        + ImageSize.ACCEPTED
                                        + ", but was '"
                                        + s
                                        + "'.")))
            .orElse(ImageSize.SQUARE);
    ImageQuality quality =
        optionalText(body, "quality")
            .map(
                q ->
                    ImageQuality.parse(q)
                        .orElseThrow(
                            () ->
                                reject(
                                    "quality",
                                    "quality must be one of "
                                        + ImageQuality.ACCEPTED
                                        + ", but was '"
                                        + q
                                        + "'.")))
            .orElse(ImageQuality.HIGH);
    int n = imageCount(body);
    List<String> imageUrls = imageUrls(body);
    Optional<String> callbackUrl = callbackUrl(body);
    return new CreateRequest(model, prompt, size, quality, n, imageUrls, callbackUrl);
  }

  private static String requiredText(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      throw reject(field, field + " is required.");
    }
    if (!node.isTextual() || node.asText().isBlank()) {
      throw reject(field, field + " must be a non-blank string.");
    }
    return node.asText();
  }

  private static Optional<String> optionalText(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      throw reject(field, field + " must be a string.");
    }
    return Optional.of(node.asText());
  }

  private static int imageCount(JsonNode body) {
    JsonNode node = body.get("n");
    if (node == null || node.isNull()) {
      return 1;
    }
    if (!node.isIntegralNumber()
        || !node.canConvertToInt()
        || node.asInt() < 1
        || node.asInt() > MAX_IMAGES) {
      throw reject("n", "n must be an integer from 1 to " + MAX_IMAGES + ", but was " + node + ".");
    }
    return node.asInt();
  }

  private static List<String> imageUrls(JsonNode body) {
    JsonNode node = body.get("image_urls");
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw reject("image_urls", "image_urls must be an array of URLs.");
    }
    if (node.isEmpty() || node.size() > MAX_REFERENCE_IMAGES) {
      throw reject(
          "image_urls",
          "image_urls must hold 1 to "
              + MAX_REFERENCE_IMAGES
              + " URLs, but holds "
              + node.size()
              + ".");
    }
    List<String> urls = new ArrayList<>();
    for (JsonNode url : node) {
      if (!url.isTextual() || !isHttpUrl(url.asText())) {
        throw reject(
            "image_urls", "image_urls entries must be http(s) URLs, but one was " + url + ".");
      }
      urls.add(url.asText());
    }
    return urls;
  }

  private static Optional<String> callbackUrl(JsonNode body) {
    Optional<String> value = optionalText(body, "callback_url");
    if (value.isEmpty()) {
      return value;
    }
    String url = value.get();
    if (url.length() > MAX_CALLBACK_URL_CHARS) {
      throw reject(
          "callback_url",
          "callback_url must be at most " + MAX_CALLBACK_URL_CHARS + " characters.");
    }
    URI uri =
        uri(url).orElseThrow(() -> reject("callback_url", "callback_url is not a valid URL."));
    if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
      throw reject("callback_url", "callback_url must be an https URL.");
    }
    if (isInternalHost(uri.getHost())) {
      throw reject(
          "callback_url", "callback_url must not point to an internal or private address.");
    }
    return value;
  }

  private static boolean isHttpUrl(String text) {
    return uri(text)
        .filter(u -> u.getHost() != null)
        .map(u -> "https".equalsIgnoreCase(u.getScheme()) || "http".equalsIgnoreCase(u.getScheme()))
        .orElse(false);
  }

  private static Optional<URI> uri(String text) {
    try {
      return Optional.of(new URI(text));
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  /** Only literal addresses and {@code localhost} are checked: the simulator resolves no names. */
  private static boolean isInternalHost(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.equals("localhost")
        || h.endsWith(".localhost")
        || h.endsWith(".internal")
        || h.endsWith(".local")) {
      return true;
    }
    if (!IP_LITERAL.matcher(h).matches()) {
      return false;
    }
    try {
      InetAddress address =
          InetAddress.getByName(h.startsWith("[") ? h.substring(1, h.length() - 1) : h);
      return address.isLoopbackAddress()
          || address.isSiteLocalAddress()
          || address.isLinkLocalAddress()
          || address.isAnyLocalAddress()
          || isUniqueLocalIpv6(address);
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static boolean isUniqueLocalIpv6(InetAddress address) {
    byte[] bytes = address.getAddress();
    return bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
  }

  private static RejectedRequestException reject(String param, String message) {
    return new RejectedRequestException(ApiError.invalidRequest(param, message));
  }
}
