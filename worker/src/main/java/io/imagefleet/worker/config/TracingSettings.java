package io.imagefleet.worker.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether and where the worker sends its traces (OpenTelemetry, OTLP over HTTP). Off unless an
 * endpoint is set: then no span is made at all.
 *
 * @param otlpEndpoint the collector's OTLP/HTTP traces URL, e.g. {@code
 *     http://otel-collector:4318/v1/traces}; empty turns tracing off. It is printed by {@code
 *     --print-config}, so it may not carry credentials
 * @param serviceName the {@code service.name} the worker's spans are reported under
 * @param sampleRatio share of the traces the worker starts itself that are kept (0 to 1); a trace a
 *     producer started follows the producer's sampling decision
 * @param otlpHeaders headers sent with every export (a hosted collector's API key), as {@code
 *     name=value} pairs
 */
public record TracingSettings(
    Optional<URI> otlpEndpoint,
    String serviceName,
    double sampleRatio,
    Map<String, Secret> otlpHeaders) {
  static final Key OTLP_ENDPOINT = Key.of("tracing.otlp-endpoint");
  static final Key SERVICE_NAME = Key.of("tracing.service-name", "imagefleet-worker");
  static final Key SAMPLE_RATIO = Key.of("tracing.sample-ratio", "1.0");
  static final Key OTLP_HEADERS = Key.of("tracing.otlp-headers");
  static final Key OTLP_HEADERS_FILE = Key.of("tracing.otlp-headers-file");
  static final List<Key> KEYS =
      List.of(OTLP_ENDPOINT, SERVICE_NAME, SAMPLE_RATIO, OTLP_HEADERS, OTLP_HEADERS_FILE);

  /** An HTTP header name (RFC 9110 token). */
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  public TracingSettings {
    Objects.requireNonNull(otlpEndpoint, OTLP_ENDPOINT.name());
    otlpEndpoint.ifPresent(
        url -> {
          if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new ConfigException(
                OTLP_ENDPOINT.name() + " must be an http(s) URL, but was " + url);
          }
          if (url.getRawUserInfo() != null) {
            throw new ConfigException(
                OTLP_ENDPOINT.name()
                    + " must not carry credentials (it is printed with the configuration)");
          }
        });
    Checks.notBlank(SERVICE_NAME, serviceName);
    Checks.between(SAMPLE_RATIO, 0, 1, sampleRatio);
    otlpHeaders = Map.copyOf(otlpHeaders == null ? Map.of() : otlpHeaders);
  }

  static TracingSettings from(ConfigReader r) {
    return new TracingSettings(
        r.optionalUri(OTLP_ENDPOINT),
        r.string(SERVICE_NAME),
        r.decimal(SAMPLE_RATIO),
        r.secret(OTLP_HEADERS, OTLP_HEADERS_FILE).map(TracingSettings::headers).orElse(Map.of()));
  }

  /**
   * Reads {@code name=value,name=value}, the form of OpenTelemetry's {@code
   * OTEL_EXPORTER_OTLP_HEADERS}: values percent-decoded ({@code Bearer%20key}), a {@code +} kept as
   * it is (base64 keys have them). Messages name the entry, never a value.
   */
  static Map<String, Secret> headers(Secret all) {
    Map<String, Secret> headers = new LinkedHashMap<>();
    String[] entries = all.reveal().split(",");
    for (int i = 0; i < entries.length; i++) {
      String entry = entries[i].strip();
      int eq = entry.indexOf('=');
      String name = eq < 0 ? "" : entry.substring(0, eq).strip();
      if (!HEADER_NAME.matcher(name).matches()) {
        throw new ConfigException(
            OTLP_HEADERS.name()
                + ": entry "
                + (i + 1)
                + " is not name=value with an HTTP header name (name=value,name=value)");
      }
      String value;
      try {
        value =
            URLDecoder.decode(
                entry.substring(eq + 1).strip().replace("+", "%2B"), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(
            OTLP_HEADERS.name() + ": the value of " + name + " has a broken %-escape");
      }
      headers.put(name, Secret.of(value));
    }
    return headers;
  }

  /** Tracing is off: no endpoint, no spans. */
  public static TracingSettings defaults() {
    return new TracingSettings(Optional.empty(), "imagefleet-worker", 1.0, Map.of());
  }

  public boolean enabled() {
    return otlpEndpoint.isPresent();
  }
}
