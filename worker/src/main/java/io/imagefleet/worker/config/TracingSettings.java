package io.imagefleet.worker.config;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
 */
public record TracingSettings(Optional<URI> otlpEndpoint, String serviceName, double sampleRatio) {
  static final Key OTLP_ENDPOINT = Key.of("tracing.otlp-endpoint");
  static final Key SERVICE_NAME = Key.of("tracing.service-name", "imagefleet-worker");
  static final Key SAMPLE_RATIO = Key.of("tracing.sample-ratio", "1.0");
  static final List<Key> KEYS = List.of(OTLP_ENDPOINT, SERVICE_NAME, SAMPLE_RATIO);

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
  }

  static TracingSettings from(ConfigReader r) {
    return new TracingSettings(
        r.optionalUri(OTLP_ENDPOINT), r.string(SERVICE_NAME), r.decimal(SAMPLE_RATIO));
  }

  /** Tracing is off: no endpoint, no spans. */
  public static TracingSettings defaults() {
    return new TracingSettings(Optional.empty(), "imagefleet-worker", 1.0);
  }

  public boolean enabled() {
    return otlpEndpoint.isPresent();
  }
}
