package io.imagefleet.contracts;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The URL rules of a job: reference images the upstream will fetch, and the callback we will call.
 */
final class UrlRules {
  static final int MAX_CALLBACK_CHARS = 2048;

  /** As for callbacks: the upstream fetches these, and no real image link comes near it. */
  static final int MAX_REFERENCE_IMAGE_CHARS = 2048;

  private static final int MAX_HOST_CHARS = 253;
  private static final int MAX_LABEL_CHARS = 63;
  private static final Set<String> IMAGE_SCHEMES = Set.of("http", "https");
  private static final Set<String> IMAGE_EXTENSIONS = Set.of(".jpeg", ".jpg", ".png", ".webp");

  private UrlRules() {}

  /**
   * An absolute http(s) URL of at most {@value #MAX_REFERENCE_IMAGE_CHARS} characters with a public
   * host whose path ends in .jpeg, .jpg, .png or .webp.
   */
  static Optional<FieldError> referenceImage(String field, String url) {
    Optional<FieldError> tooLong = tooLong(field, url, MAX_REFERENCE_IMAGE_CHARS);
    if (tooLong.isPresent()) {
      return tooLong;
    }
    URI uri = parse(url);
    if (uri == null || !uri.isAbsolute()) {
      return Optional.of(ValidationCode.INVALID_URL.at(field, field + " is not an absolute URL"));
    }
    if (!IMAGE_SCHEMES.contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
      return Optional.of(
          ValidationCode.UNSUPPORTED_SCHEME.at(
              field,
              field
                  + " must be an http or https URL, but its scheme is "
                  + JobValidator.excerpt(uri.getScheme())));
    }
    if (!hasUsableHost(uri)) {
      return Optional.of(ValidationCode.INVALID_URL.at(field, field + " has no valid host"));
    }
    switch (PrivateHosts.classify(uri.getHost())) {
      case MALFORMED -> {
        return Optional.of(
            ValidationCode.INVALID_URL.at(
                field,
                field
                    + " host "
                    + JobValidator.excerpt(uri.getHost())
                    + " is not a valid host name or IP address"));
      }
      case PRIVATE -> {
        // The upstream fetches reference images from the internet: a local or private host can only
        // fail there, after the task is paid for, or point the gateway at its own network.
        return Optional.of(
            ValidationCode.PRIVATE_ADDRESS.at(
                field,
                field
                    + " host "
                    + JobValidator.excerpt(uri.getHost())
                    + " is local or private; the upstream fetches only public hosts"));
      }
      default -> {}
    }
    String path = uri.getPath().toLowerCase(Locale.ROOT);
    if (IMAGE_EXTENSIONS.stream().noneMatch(path::endsWith)) {
      return Optional.of(
          ValidationCode.UNSUPPORTED_EXTENSION.at(
              field, field + " must point to a .jpeg, .jpg, .png or .webp file"));
    }
    return Optional.empty();
  }

  /**
   * A public https URL of at most {@value #MAX_CALLBACK_CHARS} characters whose host the sender can
   * name in TLS.
   */
  static Optional<FieldError> callback(String field, String url) {
    Optional<FieldError> tooLong = tooLong(field, url, MAX_CALLBACK_CHARS);
    if (tooLong.isPresent()) {
      return tooLong;
    }
    URI uri = parse(url);
    if (uri == null || !uri.isAbsolute()) {
      return Optional.of(ValidationCode.INVALID_URL.at(field, field + " is not an absolute URL"));
    }
    if (!uri.getScheme().equalsIgnoreCase("https")) {
      return Optional.of(
          ValidationCode.UNSUPPORTED_SCHEME.at(
              field,
              field
                  + " must be an https URL, but its scheme is "
                  + JobValidator.excerpt(uri.getScheme())));
    }
    if (!hasUsableHost(uri)) {
      return Optional.of(ValidationCode.INVALID_URL.at(field, field + " has no valid host"));
    }
    return switch (PrivateHosts.classify(uri.getHost())) {
      case PUBLIC -> sendableHost(field, uri.getHost());
      case MALFORMED ->
          Optional.of(
              ValidationCode.INVALID_URL.at(
                  field,
                  field
                      + " host "
                      + JobValidator.excerpt(uri.getHost())
                      + " is not a valid host name or IP address"));
      case PRIVATE ->
          Optional.of(
              ValidationCode.PRIVATE_ADDRESS.at(
                  field,
                  field
                      + " host "
                      + JobValidator.excerpt(uri.getHost())
                      + " is local or private; callbacks go only to public hosts"));
    };
  }

  /**
   * A host name the sender can put in TLS's server name indication: no trailing dot (RFC 6066),
   * labels of at most 63 characters, at most 253 in all. {@link URI} accepts names beyond these
   * rules, and the sender could not send to them; IP literals are not names and pass.
   */
  private static Optional<FieldError> sendableHost(String field, String host) {
    if (host.startsWith("[") || PrivateHosts.parseIpv4(host) != null) {
      return Optional.empty();
    }
    if (host.endsWith(".")) {
      return Optional.of(
          ValidationCode.INVALID_URL.at(
              field, field + " host " + JobValidator.excerpt(host) + " must not end with a dot"));
    }
    boolean longLabel =
        Arrays.stream(host.split("\\.")).anyMatch(label -> label.length() > MAX_LABEL_CHARS);
    if (host.length() > MAX_HOST_CHARS || longLabel) {
      return Optional.of(
          ValidationCode.INVALID_URL.at(
              field,
              field
                  + " host "
                  + JobValidator.excerpt(host)
                  + " is not a valid DNS name (at most "
                  + MAX_HOST_CHARS
                  + " characters, "
                  + MAX_LABEL_CHARS
                  + " per label)"));
    }
    return Optional.empty();
  }

  /** Checked before parsing, so that parsing costs no more than a URL of the maximum length. */
  private static Optional<FieldError> tooLong(String field, String url, int max) {
    int chars = url.codePointCount(0, url.length());
    return chars <= max
        ? Optional.empty()
        : Optional.of(
            ValidationCode.TOO_LONG.at(
                field, field + " must be at most " + max + " characters, but has " + chars));
  }

  /** False for opaque URIs ({@code https:x}), registry-based authorities and ports above 65535. */
  private static boolean hasUsableHost(URI uri) {
    return !uri.isOpaque()
        && uri.getHost() != null
        && !uri.getHost().isEmpty()
        && uri.getPort() <= 65535;
  }

  private static URI parse(String url) {
    try {
      return new URI(url);
    } catch (URISyntaxException e) {
      return null;
    }
  }
}
