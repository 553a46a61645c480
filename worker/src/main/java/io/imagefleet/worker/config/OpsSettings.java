package io.imagefleet.worker.config;

import io.imagefleet.contracts.Topics;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How operators see a worker: its HTTP endpoint ({@code /metrics}, {@code /health/live},
 * {@code /health/ready}, {@code /status}), the heartbeat it publishes for {@code imagefleet status},
 * and the broker probe behind readiness.
 *
 * @param port              HTTP port of the ops endpoint; 0 picks a free port (tests, several workers on one host)
 * @param bind              address the endpoint listens on; loopback by default, so only the host itself (a
 *                          sidecar, the container's own health check) reaches it until an operator opens it
 * @param advertisedUrl     the endpoint's URL as other machines reach it; default {@code http://<host name>:<port>}
 * @param heartbeatInterval how often the worker publishes its status to {@code workersTopic}; zero turns heartbeats off
 * @param workersTopic      compacted topic of worker heartbeats, keyed by worker id
 * @param probeInterval     how often readiness checks that the broker answers
 * @param probeTimeout      how long one broker probe may take before the broker counts as unreachable
 * @param readTimeout       how long a connection may stay silent, mid-request or between requests, before
 *                          it is dropped
 * @param token             bearer token that {@code /metrics} and {@code /status} require when set; the
 *                          probes stay open, since orchestrators call them without credentials
 */
public record OpsSettings(
    int port,
    String bind,
    Optional<URI> advertisedUrl,
    Duration heartbeatInterval,
    String workersTopic,
    Duration probeInterval,
    Duration probeTimeout,
    Duration readTimeout,
    Optional<Secret> token) {

  public static final int DEFAULT_PORT = 9400;
  public static final String DEFAULT_BIND = "127.0.0.1";

  public OpsSettings {
    if (port < 0 || port > 65_535) {
      throw new ConfigException("ops.port must be between 0 and 65535, but was " + port);
    }
    Checks.notBlank("ops.bind", bind);
    Objects.requireNonNull(advertisedUrl, "ops.advertised-url");
    if (heartbeatInterval == null || heartbeatInterval.isNegative()) {
      throw new ConfigException("ops.heartbeat-interval must be a duration >= 0 (0s turns heartbeats off), but was "
          + heartbeatInterval);
    }
    Checks.notBlank("topics.workers", workersTopic);
    Checks.positive("ops.probe-interval", probeInterval);
    Checks.positive("ops.probe-timeout", probeTimeout);
    Checks.positive("ops.read-timeout", readTimeout);
    Objects.requireNonNull(token, "ops.token");
    if (token.isPresent() && token.get().isEmpty()) {
      throw new ConfigException("ops.token must not be empty when set, but was empty");
    }
  }

  /** The defaults of every {@code ops.*} key; what a configuration without them gets. */
  public static OpsSettings defaults() {
    return new OpsSettings(DEFAULT_PORT, DEFAULT_BIND, Optional.empty(), Duration.ofSeconds(10), Topics.WORKERS,
        Duration.ofSeconds(5), Duration.ofSeconds(3), Duration.ofSeconds(5), Optional.empty());
  }

  public boolean heartbeatsEnabled() {
    return !heartbeatInterval.isZero();
  }
}
