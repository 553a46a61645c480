package io.imagefleet.worker.config;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Builds a {@link WorkerConfig} from one properties file plus environment overrides.
 *
 * <p>Keys are listed in docs/configuration.md ({@code ConfigurationDocsTest} keeps it complete). An
 * environment variable overrides a key when its name is the key
 * upper-cased with {@code .} and {@code -} turned into {@code _}, prefixed {@code IMAGEFLEET_}
 * ({@code upstream.base-url} -> {@code IMAGEFLEET_UPSTREAM_BASE_URL}). Every {@code kafka.*} key goes
 * to the Kafka clients as is; from the environment, {@code IMAGEFLEET_KAFKA_SASL_MECHANISM} becomes
 * {@code kafka.sasl.mechanism} (Kafka names use dots only). Durations take {@code 500ms}, {@code 30s},
 * {@code 5m}, {@code 1h} or ISO-8601 ({@code PT30S}).
 */
public final class ConfigLoader {
  static final String ENV_PREFIX = "IMAGEFLEET_";
  private static final String KAFKA_PREFIX = "kafka.";

  /** Every non-Kafka key with its default; {@code null} means required or optional without default. */
  static final Map<String, String> DEFAULTS = defaults();

  private ConfigLoader() {}

  private static Map<String, String> defaults() {
    Map<String, String> d = new TreeMap<>();
    d.put("worker.id", null);
    d.put("topics.jobs", "imagefleet.jobs.v1");
    d.put("topics.events", "imagefleet.job-events.v1");
    d.put("topics.dead-letters", "imagefleet.jobs.v1.dlq");
    d.put("topics.state", "imagefleet.job-state.v1");
    d.put("state.transaction-timeout", "10s");
    d.put("state.restore-timeout", "2m");
    d.put("upstream.base-url", null);
    d.put("upstream.api-key", null);
    d.put("upstream.api-key-file", null);
    d.put("upstream.connect-timeout", "5s");
    d.put("upstream.request-timeout", "30s");
    d.put("upstream.download-timeout", "60s");
    d.put("upstream.http-threads", "4");
    d.put("upstream.max-connections", "256");
    d.put("upstream.max-calls-per-job", "200");
    d.put("upstream.unconfirmed-submission", "resubmit");
    d.put("upstream.max-download-bytes", String.valueOf(UpstreamSettings.DEFAULT_MAX_DOWNLOAD_BYTES));
    d.put("upstream.max-concurrent-downloads", "16");
    d.put("upstream.allow-private-downloads", "false");
    d.put("outage.route-wait", "10m");
    d.put("outage.probe-interval", "30s");
    d.put("intake.max-in-flight", "512");
    d.put("intake.poll-timeout", "50ms");
    // Short: transactions run one at a time, so under load they run back to back and each carries every
    // ending of the one before (group commit); a longer interval only adds its own wait to every ending
    // (bench, alternating runs: delivery p50 89 to 116 ms at 20ms against 170 to 205 ms at 200ms, the same
    // throughput within the noise, slightly more broker CPU for more and smaller transactions).
    d.put("intake.commit-interval", "20ms");
    // See IntakeSettings and JobIntake.nextCommitAt: keeps the next transaction clear of the broker's
    // completion of the last one, which otherwise costs it the client's 100 ms retry backoff.
    d.put("intake.commit-gap", "10ms");
    d.put("state.remembered-ended-jobs", "100000");
    d.put("intake.shutdown-grace", "30s");
    d.put("intake.max-worker-failures", "3");
    d.put("intake.ramp-up", "0s");
    d.put("polling.min-interval", "1s");
    d.put("polling.max-interval", "30s");
    d.put("polling.multiplier", "1.5");
    d.put("polling.jitter", "0.1");
    d.put("polling.task-timeout", "15m");
    d.put("polling.running-event-every", "5s");
    d.put("retry.max-attempts", "4");
    d.put("retry.initial-backoff", "500ms");
    d.put("retry.multiplier", "2.0");
    d.put("retry.max-backoff", "10s");
    d.put("retry.max-total-time", "2m");
    d.put("breaker.failure-rate-threshold", "50");
    d.put("breaker.slow-call-rate-threshold", "100");
    d.put("breaker.slow-call-threshold", "30s");
    d.put("breaker.window-size", "50");
    d.put("breaker.minimum-calls", "20");
    d.put("breaker.open-duration", "30s");
    d.put("breaker.half-open-calls", "5");
    d.put("storage.directory", "data/images");
    d.put("storage.threads", "4");
    DeliveryDefaults.addTo(d);
    d.put("routes.0.model", "gpt-image-1.5");
    d.put("ops.port", String.valueOf(OpsSettings.DEFAULT_PORT));
    d.put("ops.bind", OpsSettings.DEFAULT_BIND);
    d.put("ops.advertised-url", null);
    d.put("ops.heartbeat-interval", "10s");
    d.put("ops.probe-interval", "5s");
    d.put("ops.probe-timeout", "3s");
    d.put("ops.read-timeout", "5s");
    d.put("ops.token", null);
    d.put("ops.token-file", null);
    d.put("topics.workers", io.imagefleet.contracts.Topics.WORKERS);
    return d;
  }

  /** Loads {@code file} (may be null: defaults and environment only) with overrides from {@code env}. */
  public static WorkerConfig load(Path file, Map<String, String> env) {
    Map<String, String> values = new HashMap<>();
    if (file != null) {
      values.putAll(readProperties(file));
    }
    return fromMap(values, env);
  }

  /** Builds the configuration from key/value pairs, then environment overrides. */
  public static WorkerConfig fromMap(Map<String, String> fileValues, Map<String, String> env) {
    Map<String, String> v = new HashMap<>(fileValues);
    applyEnvironment(v, env);
    return build(new Values(v));
  }

  private static Map<String, String> readProperties(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
    Map<String, String> m = new HashMap<>();
    p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k).trim()));
    return m;
  }

  static String envName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  private static void applyEnvironment(Map<String, String> v, Map<String, String> env) {
    List<String> known = new ArrayList<>(DEFAULTS.keySet());
    known.addAll(v.keySet());
    for (String key : known) {
      String fromEnv = env.get(envName(key));
      if (fromEnv != null) {
        v.put(key, fromEnv);
      }
    }
    String kafkaEnv = ENV_PREFIX + "KAFKA_";
    env.forEach((name, value) -> {
      if (name.startsWith(kafkaEnv)) {
        v.put(KAFKA_PREFIX + name.substring(kafkaEnv.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
      }
    });
    DeliveryDefaults.applyEnvironment(v, env);
  }

  private static WorkerConfig build(Values v) {
    Map<String, String> kafka = new HashMap<>();
    kafka.put(KafkaSettings.GROUP_ID, "imagefleet-workers");
    v.all().forEach((k, value) -> {
      if (k.startsWith(KAFKA_PREFIX)) {
        kafka.put(k.substring(KAFKA_PREFIX.length()), value);
      }
    });
    KeyReader keys = new KeyReader(v::optional, v.all());
    return new WorkerConfig(
        v.optional("worker.id").orElseGet(ConfigLoader::hostName),
        new KafkaSettings(kafka),
        new TopicNames(v.string("topics.jobs"), v.string("topics.events"), v.string("topics.dead-letters"),
            v.string("topics.state")),
        new UpstreamSettings(
            v.uri("upstream.base-url"),
            apiKey(v),
            v.duration("upstream.connect-timeout"),
            v.duration("upstream.request-timeout"),
            v.duration("upstream.download-timeout"),
            v.integer("upstream.http-threads"),
            v.integer("upstream.max-connections"),
            v.integer("upstream.max-calls-per-job"),
            UpstreamSettings.UnconfirmedSubmission.parse(v.string("upstream.unconfirmed-submission")),
            keys.wholeNumber("upstream.max-download-bytes", v.string("upstream.max-download-bytes")),
            v.integer("upstream.max-concurrent-downloads"),
            keys.bool("upstream.allow-private-downloads")),
        routes(v),
        new IntakeSettings(
            v.integer("intake.max-in-flight"),
            v.duration("intake.poll-timeout"),
            v.duration("intake.commit-interval"),
            v.duration("intake.commit-gap"),
            v.duration("intake.shutdown-grace"),
            v.duration("state.transaction-timeout"),
            v.duration("state.restore-timeout"),
            v.integer("intake.max-worker-failures"),
            v.duration("intake.ramp-up"),
            v.integer("state.remembered-ended-jobs")),
        new PollingSettings(
            v.duration("polling.min-interval"),
            v.duration("polling.max-interval"),
            v.decimal("polling.multiplier"),
            v.decimal("polling.jitter"),
            v.duration("polling.task-timeout"),
            v.duration("polling.running-event-every")),
        new RetrySettings(
            v.integer("retry.max-attempts"),
            v.duration("retry.initial-backoff"),
            v.decimal("retry.multiplier"),
            v.duration("retry.max-backoff"),
            v.duration("retry.max-total-time")),
        new BreakerSettings(
            (float) v.decimal("breaker.failure-rate-threshold"),
            (float) v.decimal("breaker.slow-call-rate-threshold"),
            v.duration("breaker.slow-call-threshold"),
            v.integer("breaker.window-size"),
            v.integer("breaker.minimum-calls"),
            v.duration("breaker.open-duration"),
            v.integer("breaker.half-open-calls")),
        new OutageSettings(v.duration("outage.route-wait"), v.duration("outage.probe-interval")),
        DeliveryDefaults.storage(v::optional, v.all()),
        new OpsSettings(
            v.integer("ops.port"),
            v.string("ops.bind"),
            v.optional("ops.advertised-url").map(url -> v.uri("ops.advertised-url")),
            v.duration("ops.heartbeat-interval"),
            v.string("topics.workers"),
            v.duration("ops.probe-interval"),
            v.duration("ops.probe-timeout"),
            v.duration("ops.read-timeout"),
            keys.secret("ops.token", "ops.token-file")),
        DeliveryDefaults.costs(v::optional, v.all()),
        DeliveryDefaults.callbacks(v::optional, v.all()),
        DeliveryDefaults.budgets(v::optional, v.all()));
  }

  /**
   * The configuration key an {@code IMAGEFLEET_*} environment variable sets, if it sets one: a known
   * key, or a {@code kafka.*} key for {@code IMAGEFLEET_KAFKA_*}. For checking deployment files.
   */
  public static java.util.Optional<String> keyOfEnvironmentVariable(String name) {
    String kafkaEnv = ENV_PREFIX + "KAFKA_";
    if (name.startsWith(kafkaEnv)) {
      return java.util.Optional.of(KAFKA_PREFIX + name.substring(kafkaEnv.length()).toLowerCase(Locale.ROOT).replace('_', '.'));
    }
    return DEFAULTS.keySet().stream().filter(key -> envName(key).equals(name)).findFirst();
  }

  private static Secret apiKey(Values v) {
    var inline = v.optional("upstream.api-key");
    if (inline.isPresent()) {
      return Secret.of(inline.get());
    }
    var file = v.optional("upstream.api-key-file");
    if (file.isPresent()) {
      try {
        return Secret.of(Files.readString(Path.of(file.get()), StandardCharsets.UTF_8).trim());
      } catch (IOException e) {
        throw new ConfigException("upstream.api-key-file cannot be read: " + file.get() + " (" + e.getMessage() + ")", e);
      }
    }
    return null;
  }

  /** Routes are {@code routes.0.model}, {@code routes.0.price.image-output}, ... in order of index. */
  private static List<RouteSettings> routes(Values v) {
    List<RouteSettings> routes = new ArrayList<>();
    for (int i = 0; v.optional("routes." + i + ".model").isPresent(); i++) {
      String p = "routes." + i + ".price.";
      String rateKey = "routes." + i + ".rate-limit";
      RoutePrices published = RoutePrices.gptImage15();
      routes.add(new RouteSettings(v.string("routes." + i + ".model"), new RoutePrices(
          v.money(p + "image-output", published.imageOutput()),
          v.money(p + "image-input", published.imageInput()),
          v.money(p + "image-cached-input", published.imageCachedInput()),
          v.money(p + "text-input", published.textInput()),
          v.money(p + "text-cached-input", published.textCachedInput()),
          v.money(p + "text-output", published.textOutput())),
          v.optional(rateKey).map(r -> v.decimal(rateKey)).orElse(0.0)));
    }
    return routes;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName() + "-" + ProcessHandle.current().pid();
    } catch (UnknownHostException e) {
      return "worker-" + ProcessHandle.current().pid();
    }
  }

  /** Parses {@code 250ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601. */
  public static Duration parseDuration(String key, String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("p")) {
        return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
      }
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
      }
      long n = Long.parseLong(t.substring(0, t.length() - 1).trim());
      switch (t.charAt(t.length() - 1)) {
        case 's': return Duration.ofSeconds(n);
        case 'm': return Duration.ofMinutes(n);
        case 'h': return Duration.ofHours(n);
        case 'd': return Duration.ofDays(n);
        default: break;
      }
    } catch (RuntimeException e) {
      // fall through to the error below
    }
    throw new ConfigException(key + " must be a duration like 500ms, 30s, 5m or PT30S, but was '" + text + "'");
  }

  /** Typed access with errors that name the key. */
  private record Values(Map<String, String> raw) {
    Map<String, String> all() {
      return raw;
    }

    java.util.Optional<String> optional(String key) {
      String value = raw.containsKey(key) ? raw.get(key) : DEFAULTS.get(key);
      return value == null || value.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(value);
    }

    String string(String key) {
      return optional(key).orElseThrow(() -> new ConfigException(
          key + " must be set (in the config file or env " + envName(key) + "), but was missing"));
    }

    int integer(String key) {
      String s = string(key);
      try {
        return Integer.parseInt(s);
      } catch (NumberFormatException e) {
        throw new ConfigException(key + " must be a whole number, but was '" + s + "'");
      }
    }

    double decimal(String key) {
      String s = string(key);
      try {
        return Double.parseDouble(s);
      } catch (NumberFormatException e) {
        throw new ConfigException(key + " must be a number, but was '" + s + "'");
      }
    }

    BigDecimal money(String key, BigDecimal fallback) {
      var s = optional(key);
      try {
        return s.map(BigDecimal::new).orElse(fallback);
      } catch (NumberFormatException e) {
        throw new ConfigException(key + " must be a decimal number, but was '" + s.get() + "'");
      }
    }

    Duration duration(String key) {
      return parseDuration(key, string(key));
    }

    URI uri(String key) {
      String s = string(key);
      try {
        URI uri = URI.create(s);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
          throw new IllegalArgumentException("scheme");
        }
        return uri;
      } catch (IllegalArgumentException e) {
        throw new ConfigException(key + " must be an http(s) URL, but was '" + s + "'");
      }
    }
  }
}
