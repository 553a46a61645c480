package io.imagefleet.contracts;

import java.util.Locale;

/**
 * Stable, machine-readable codes for broken job rules, carried in {@link FieldError#code()}.
 *
 * <p>Producers branch on these codes rather than on messages, so a code is never renamed or reused;
 * new rules get new codes. The wire form is {@link #wire()}, e.g. {@code too_long}.
 */
public enum ValidationCode {
  /** The field is absent, null or blank but must be set. */
  REQUIRED,
  /** The text (or the prompt's token count) is above its limit. */
  TOO_LONG,
  /** The number is outside its allowed range. */
  OUT_OF_RANGE,
  /** The value is not one of the values the fleet supports. */
  UNSUPPORTED_VALUE,
  /** The list or map has more entries than allowed. */
  TOO_MANY,
  /** The text is not an absolute URL with a host. */
  INVALID_URL,
  /** The URL's scheme is not allowed here (http or https for images, https for callbacks). */
  UNSUPPORTED_SCHEME,
  /** The URL's path does not end in a supported image extension. */
  UNSUPPORTED_EXTENSION,
  /** The URL's host is local, private or otherwise not on the public internet. */
  PRIVATE_ADDRESS,
  /** The text does not match the field's pattern. */
  INVALID_FORMAT,
  /** The message's schema version is newer than this reader understands. */
  UNSUPPORTED_VERSION,
  /** The number has more decimal places than the field allows (an amount in USD: 6). */
  TOO_PRECISE,
  /**
   * The value is valid on some route, but not on the route the job asks for (a prompt longer than
   * that model takes, a size, quality, image count or number of reference images it does not
   * support). The message names the route and its limit; another route may accept the job.
   */
  UNSUPPORTED_BY_ROUTE;

  private final String wire = name().toLowerCase(Locale.ROOT);

  /** The code on the wire, as in {@code "code": "out_of_range"}. */
  public String wire() {
    return wire;
  }

  /** A {@link FieldError} with this code. */
  public FieldError at(String field, String message) {
    return new FieldError(field, wire, message);
  }
}
