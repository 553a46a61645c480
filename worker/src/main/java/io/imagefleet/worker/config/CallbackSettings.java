package io.imagefleet.worker.config;

import io.imagefleet.contracts.TenantName;
import io.imagefleet.contracts.Topics;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * How terminal events are delivered to a job's {@code callback_url}.
 *
 * @param topic where delivery outcomes are published ({@code topics.callbacks})
 * @param owedTopic where owed callbacks and their progress are kept ({@code topics.callbacks-owed})
 * @param groupId the consumer group of the workers that deliver; empty means the intake's group id
 *     + {@code .callbacks}
 * @param secrets the active signing secrets per tenant ({@code callbacks.secret.<tenant>}), in the
 *     order configured; every one signs each request, so a receiver may hold any of them while a
 *     secret is rotated
 * @param signingKeys the active Ed25519 signing keys per tenant ({@code
 *     callbacks.ed25519-secret.<tenant>}), each adding a {@code v1a} signature
 * @param timeout one HTTP attempt, connect to last byte
 * @param retrySchedule the pauses between attempts: one more attempt than pauses in all
 * @param maxResponseBytes most bytes of a receiver's answer that are read
 * @param threads deliveries in progress at once, all tenants together
 * @param tenantConcurrency deliveries in progress at once for one tenant
 * @param maxPending owed callbacks one worker holds in memory; at the bound it stops reading more
 * @param allowPrivateDestinations development only: let callbacks reach loopback and private
 *     addresses (and plain http)
 * @param resolve fixed answers for host names ({@code callbacks.resolve.<host>=<ip>}), like curl's
 *     --resolve; the address is still checked
 * @param trustStore PKCS12 trust store for receivers' certificates; empty means the JDK's
 * @param trustStorePassword its password
 */
public record CallbackSettings(
    String topic,
    String owedTopic,
    Optional<String> groupId,
    Map<String, List<WebhookSecret>> secrets,
    Map<String, List<WebhookSigningKey>> signingKeys,
    Duration timeout,
    List<Duration> retrySchedule,
    int maxResponseBytes,
    int threads,
    int tenantConcurrency,
    int maxPending,
    boolean allowPrivateDestinations,
    Map<String, List<InetAddress>> resolve,
    Optional<Path> trustStore,
    Optional<Secret> trustStorePassword) {

  static final String SECRET_PREFIX = "callbacks.secret.";
  static final String SECRET_FILE_PREFIX = "callbacks.secret-file.";
  static final String RESOLVE_PREFIX = "callbacks.resolve.";
  static final String SIGNING_KEY_PREFIX = "callbacks.ed25519-secret.";
  static final String SIGNING_KEY_FILE_PREFIX = "callbacks.ed25519-secret-file.";
  static final String SECRET_ENV_PREFIX = Key.ENV_PREFIX + "CALLBACKS_SECRET_";

  static final List<KeyPattern> PATTERNS =
      Stream.of(
              SECRET_PREFIX + "<tenant>",
              SECRET_FILE_PREFIX + "<tenant>",
              SIGNING_KEY_PREFIX + "<tenant>",
              SIGNING_KEY_FILE_PREFIX + "<tenant>",
              RESOLVE_PREFIX + "<host>")
          .map(KeyPattern::of)
          .toList();

  static final Key TOPIC = Key.of("topics.callbacks", Topics.CALLBACKS);
  static final Key OWED_TOPIC = Key.of("topics.callbacks-owed", Topics.CALLBACKS_OWED);
  static final Key GROUP_ID = Key.of("callbacks.group-id");
  static final Key TIMEOUT = Key.of("callbacks.timeout", "10s");
  static final Key RETRY_SCHEDULE = Key.of("callbacks.retry-schedule", "5s,5m,30m,2h,5h,10h,10h");
  static final Key MAX_RESPONSE_BYTES = Key.of("callbacks.max-response-bytes", "65536");
  static final Key THREADS = Key.of("callbacks.threads", "8");
  static final Key TENANT_CONCURRENCY = Key.of("callbacks.tenant-concurrency", "2");
  static final Key MAX_PENDING = Key.of("callbacks.max-pending", "10000");
  static final Key ALLOW_PRIVATE_DESTINATIONS =
      Key.of("callbacks.allow-private-destinations", "false");
  static final Key TRUST_STORE = Key.of("callbacks.trust-store");
  static final Key TRUST_STORE_PASSWORD = Key.of("callbacks.trust-store-password");
  static final Key TRUST_STORE_PASSWORD_FILE = Key.of("callbacks.trust-store-password-file");
  static final List<Key> KEYS =
      List.of(
          TOPIC,
          OWED_TOPIC,
          GROUP_ID,
          TIMEOUT,
          RETRY_SCHEDULE,
          MAX_RESPONSE_BYTES,
          THREADS,
          TENANT_CONCURRENCY,
          MAX_PENDING,
          ALLOW_PRIVATE_DESTINATIONS,
          TRUST_STORE,
          TRUST_STORE_PASSWORD,
          TRUST_STORE_PASSWORD_FILE);

  public CallbackSettings {
    Checks.notBlank(TOPIC, topic);
    Checks.notBlank(OWED_TOPIC, owedTopic);
    Map<String, List<WebhookSecret>> copy = new TreeMap<>();
    secrets.forEach(
        (tenant, list) -> {
          if (list.isEmpty()) {
            throw new ConfigException(SECRET_PREFIX + tenant + " must name at least one secret");
          }
          copy.put(tenant, List.copyOf(list));
        });
    secrets = Collections.unmodifiableMap(copy);
    Map<String, List<WebhookSigningKey>> keys = new TreeMap<>();
    signingKeys.forEach((tenant, list) -> keys.put(tenant, List.copyOf(list)));
    signingKeys = Collections.unmodifiableMap(keys);
    Checks.positive(TIMEOUT, timeout);
    retrySchedule = List.copyOf(retrySchedule);
    retrySchedule.forEach(pause -> Checks.notNegative(RETRY_SCHEDULE, pause));
    Checks.positive(MAX_RESPONSE_BYTES, maxResponseBytes);
    Checks.positive(THREADS, threads);
    Checks.positive(TENANT_CONCURRENCY, tenantConcurrency);
    Checks.positive(MAX_PENDING, maxPending);
    if (tenantConcurrency >= threads) {
      throw new ConfigException(
          TENANT_CONCURRENCY.name()
              + " must be below "
              + THREADS.name()
              + " ("
              + threads
              + ") so that one tenant cannot hold every sender, but was "
              + tenantConcurrency);
    }
    resolve = Map.copyOf(resolve);
  }

  /**
   * The active signing secrets of {@code tenant}, empty when it has none. Names are canonical
   * ({@link TenantName}): {@code IMAGEFLEET_CALLBACKS_SECRET_TEAM_A} is {@code team-a}'s, and only
   * {@code team-a}'s jobs are signed with it.
   */
  public List<WebhookSecret> secretsOf(String tenant) {
    if (tenant == null) {
      return List.of();
    }
    return secrets.getOrDefault(tenant, List.of());
  }

  /** The active Ed25519 signing keys of {@code tenant}, empty when it has none. */
  public List<WebhookSigningKey> signingKeysOf(String tenant) {
    if (tenant == null) {
      return List.of();
    }
    return signingKeys.getOrDefault(tenant, List.of());
  }

  /**
   * Copies {@code IMAGEFLEET_CALLBACKS_SECRET_<TENANT>} variables to {@code
   * callbacks.secret.<tenant>} keys.
   */
  static void applyEnvironment(Map<String, String> values, Map<String, String> env) {
    env.forEach(
        (name, value) -> {
          if (name.startsWith(SECRET_ENV_PREFIX) && name.length() > SECRET_ENV_PREFIX.length()) {
            values.put(
                SECRET_PREFIX
                    + TenantName.fromEnvironment(name.substring(SECRET_ENV_PREFIX.length())),
                value);
          }
        });
  }

  static CallbackSettings from(ConfigReader r) {
    Map<String, List<WebhookSecret>> secrets = new TreeMap<>();
    // Every file is read, even one an inline secret overrides: a broken mount fails the start.
    r.under(SECRET_FILE_PREFIX)
        .keySet()
        .forEach(
            tenant -> {
              Key key = Key.of(SECRET_FILE_PREFIX + tenant);
              secrets.put(tenant, webhookSecrets(key.name(), r.secretFile(key).orElseThrow()));
            });
    r.under(SECRET_PREFIX)
        .forEach(
            (tenant, value) ->
                secrets.put(tenant, webhookSecrets(SECRET_PREFIX + tenant, Secret.of(value))));
    Map<String, List<WebhookSigningKey>> signingKeys = new TreeMap<>();
    r.under(SIGNING_KEY_FILE_PREFIX)
        .keySet()
        .forEach(
            tenant -> {
              Key key = Key.of(SIGNING_KEY_FILE_PREFIX + tenant);
              signingKeys.put(
                  tenant,
                  split(r.secretFile(key).orElseThrow())
                      .map(k -> WebhookSigningKey.parse(key.name(), Secret.of(k)))
                      .toList());
            });
    r.under(SIGNING_KEY_PREFIX)
        .forEach(
            (tenant, value) ->
                signingKeys.put(
                    tenant,
                    split(Secret.of(value))
                        .map(
                            k -> WebhookSigningKey.parse(SIGNING_KEY_PREFIX + tenant, Secret.of(k)))
                        .toList()));
    secrets.keySet().forEach(t -> TenantSettings.canonical(SECRET_PREFIX + t, t));
    signingKeys.keySet().forEach(t -> TenantSettings.canonical(SIGNING_KEY_PREFIX + t, t));
    Map<String, List<InetAddress>> resolve = new TreeMap<>();
    r.under(RESOLVE_PREFIX)
        .forEach(
            (host, addresses) ->
                resolve.put(
                    host.toLowerCase(Locale.ROOT), literals(RESOLVE_PREFIX + host, addresses)));
    Optional<Path> trustStore = r.optional(TRUST_STORE).map(Path::of);
    List<Duration> schedule =
        Arrays.stream(r.optional(RETRY_SCHEDULE).orElse("").split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .map(s -> ConfigReader.parseDuration(RETRY_SCHEDULE.name(), s))
            .toList();
    return new CallbackSettings(
        r.string(TOPIC),
        r.string(OWED_TOPIC),
        r.optional(GROUP_ID),
        secrets,
        signingKeys,
        r.duration(TIMEOUT),
        schedule,
        r.integer(MAX_RESPONSE_BYTES),
        r.integer(THREADS),
        r.integer(TENANT_CONCURRENCY),
        r.integer(MAX_PENDING),
        r.bool(ALLOW_PRIVATE_DESTINATIONS),
        resolve,
        trustStore,
        r.secret(TRUST_STORE_PASSWORD, TRUST_STORE_PASSWORD_FILE));
  }

  /**
   * Several secrets are listed with commas or white space between them (neither occurs in base64),
   * the newest first by convention: all of them sign every request.
   */
  private static List<WebhookSecret> webhookSecrets(String key, Secret text) {
    List<WebhookSecret> list =
        split(text).map(s -> WebhookSecret.parse(key, Secret.of(s))).toList();
    if (list.isEmpty()) {
      throw new ConfigException(key + " must name at least one secret, but was empty");
    }
    return list;
  }

  private static Stream<String> split(Secret text) {
    return Arrays.stream(text.reveal().split("[,\\s]+")).filter(s -> !s.isEmpty());
  }

  /** IP literals only: a fixed answer that needed DNS would defeat its purpose. */
  private static List<InetAddress> literals(String key, String text) {
    return Arrays.stream(text.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .map(
            s -> {
              if (!s.matches("[0-9.]+|\\[?[0-9a-fA-F:.]+\\]?")) {
                throw new ConfigException(key + " must list IP addresses, but had '" + s + "'");
              }
              try {
                return InetAddress.getByName(
                    s.contains(":") && !s.startsWith("[") ? "[" + s + "]" : s);
              } catch (UnknownHostException e) {
                throw new ConfigException(key + " must list IP addresses, but had '" + s + "'");
              }
            })
        .toList();
  }
}
