package io.imagefleet.worker.config;

import io.imagefleet.contracts.Topics;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How operators see a worker: its HTTP endpoint ({@code /metrics}, {@code /health/live}, {@code
 * /health/ready}, {@code /status}), the heartbeat it publishes for {@code imagefleet status}, and
 * the broker probe behind readiness.
 *
 * @param port HTTP port of the ops endpoint; 0 picks a free port (tests, several workers on one
 *     host)
 * @param bind address the endpoint listens on; loopback by default, so only the host itself (a
 *     sidecar, the container's own health check) reaches it until an operator opens it
 * @param advertisedUrl the endpoint's URL as other machines reach it; default {@code http://<host
 *     name>:<port>}
 * @param heartbeatInterval how often the worker publishes its status to {@code workersTopic}; zero
 *     turns heartbeats off
 * @param workersTopic compacted topic of worker heartbeats, keyed by worker id
 * @param probeInterval how often readiness checks that the broker answers
 * @param probeTimeout how long one broker probe may take before the broker counts as unreachable
 * @param readTimeout how long a connection may stay silent, mid-request or between requests, before
 *     it is dropped
 * @param token bearer token that {@code /metrics} and {@code /status} require when set; the probes
 *     stay open, since orchestrators call them without credentials
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

  static final Key PORT = Key.of("ops.port", String.valueOf(DEFAULT_PORT));
  static final Key BIND = Key.of("ops.bind", DEFAULT_BIND);
  static final Key ADVERTISED_URL = Key.of("ops.advertised-url");
  static final Key HEARTBEAT_INTERVAL = Key.of("ops.heartbeat-interval", "10s");
  static final Key WORKERS_TOPIC = Key.of("topics.workers", Topics.WORKERS);
  static final Key PROBE_INTERVAL = Key.of("ops.probe-interval", "5s");
  static final Key PROBE_TIMEOUT = Key.of("ops.probe-timeout", "3s");
  static final Key READ_TIMEOUT = Key.of("ops.read-timeout", "5s");
  static final Key TOKEN = Key.of("ops.token");
  static final Key TOKEN_FILE = Key.of("ops.token-file");
  static final List<Key> KEYS =
      List.of(
          PORT,
          BIND,
          ADVERTISED_URL,
          HEARTBEAT_INTERVAL,
          WORKERS_TOPIC,
          PROBE_INTERVAL,
          PROBE_TIMEOUT,
          READ_TIMEOUT,
          TOKEN,
          TOKEN_FILE);

  public OpsSettings {
    if (port < 0 || port > 65_535) {
      throw new ConfigException(PORT.name() + " must be between 0 and 65535, but was " + port);
    }
    Checks.notBlank(BIND, bind);
    Objects.requireNonNull(advertisedUrl, ADVERTISED_URL.name());
    if (heartbeatInterval == null || heartbeatInterval.isNegative()) {
      throw new ConfigException(
          HEARTBEAT_INTERVAL.name()
              + " must be a duration >= 0 (0s turns heartbeats off),"
              + " but was "
              + heartbeatInterval);
    }
    Checks.notBlank(WORKERS_TOPIC, workersTopic);
    Checks.positive(PROBE_INTERVAL, probeInterval);
    Checks.positive(PROBE_TIMEOUT, probeTimeout);
    Checks.positive(READ_TIMEOUT, readTimeout);
    Objects.requireNonNull(token, TOKEN.name());
    if (token.isPresent() && token.get().isEmpty()) {
      throw new ConfigException(TOKEN.name() + " must not be empty when set, but was empty");
    }
  }

  static OpsSettings from(ConfigReader r) {
    return new OpsSettings(
        r.integer(PORT),
        r.string(BIND),
        r.optionalUri(ADVERTISED_URL),
        r.duration(HEARTBEAT_INTERVAL),
        r.string(WORKERS_TOPIC),
        r.duration(PROBE_INTERVAL),
        r.duration(PROBE_TIMEOUT),
        r.duration(READ_TIMEOUT),
        r.secret(TOKEN, TOKEN_FILE));
  }

  /** The defaults of every {@code ops.*} key; what a configuration without them gets. */
  public static OpsSettings defaults() {
    return new OpsSettings(
        DEFAULT_PORT,
        DEFAULT_BIND,
        Optional.empty(),
        Duration.ofSeconds(10),
        Topics.WORKERS,
        Duration.ofSeconds(5),
        Duration.ofSeconds(3),
        Duration.ofSeconds(5),
        Optional.empty());
  }

  public boolean heartbeatsEnabled() {
    return !heartbeatInterval.isZero();
  }
}
