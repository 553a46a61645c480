package io.imagefleet.worker.config;

import io.imagefleet.contracts.TenantName;
import io.imagefleet.contracts.TenantTopics;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Which tenants may publish where, and what a tenant's jobs may do.
 *
 * @param allowed the tenants the shared jobs topic takes ({@code tenants.allowed}); empty when the
 *     key is unset: then the tenants with a budget when there are any, else every tenant (a
 *     single-team or trusted setup), see {@code TenantDirectory#allowedOnSharedTopic}
 * @param topics the names of each tenant's own topics ({@code tenants.topic-prefix})
 * @param eventsPerTenant whether the events and callback outcomes of a job read from its tenant's
 *     own topic are also written to that tenant's topics ({@code tenants.events-per-tenant})
 * @param callbackPrefixes per tenant, the prefixes its jobs' {@code callback_url} must start with
 *     ({@code tenants.<tenant>.callback-prefixes}); a tenant without an entry may name any
 *     destination the callback rules admit
 * @param shares how a worker shares its capacity among tenants ({@code tenants.fair-share}, {@code
 *     tenants.<tenant>.weight}, ...)
 */
public record TenantSettings(
    Set<String> allowed,
    TenantTopics topics,
    boolean eventsPerTenant,
    Map<String, List<String>> callbackPrefixes,
    FairShareSettings shares) {
  static final String PREFIX = "tenants.";
  static final String CALLBACK_PREFIXES = "callback-prefixes";
  static final String ENV_PREFIX = Key.ENV_PREFIX + "TENANTS_";
  static final Key ALLOWED = Key.of("tenants.allowed");
  static final Key TOPIC_PREFIX = Key.of("tenants.topic-prefix", TenantTopics.DEFAULT_BASE);
  static final Key EVENTS_PER_TENANT = Key.of("tenants.events-per-tenant", "false");
  static final List<Key> KEYS =
      Stream.concat(
              Stream.of(ALLOWED, TOPIC_PREFIX, EVENTS_PER_TENANT), FairShareSettings.KEYS.stream())
          .toList();

  /** The fields of {@code tenants.<tenant>.<field>}, each also settable from the environment. */
  private static final List<String> TENANT_FIELDS =
      Stream.concat(Stream.of(CALLBACK_PREFIXES), FairShareSettings.FIELDS.stream()).toList();

  static final List<KeyPattern> PATTERNS = KeyPattern.each(PREFIX + "<tenant>.", TENANT_FIELDS);

  /** Settings with the default sharing: fair share on, every tenant of weight 1. */
  public TenantSettings(
      Set<String> allowed,
      TenantTopics topics,
      boolean eventsPerTenant,
      Map<String, List<String>> callbackPrefixes) {
    this(allowed, topics, eventsPerTenant, callbackPrefixes, FairShareSettings.defaults());
  }

  public TenantSettings {
    allowed = Set.copyOf(allowed);
    allowed.forEach(t -> canonical(ALLOWED.name(), t));
    Map<String, List<String>> copy = new TreeMap<>();
    callbackPrefixes.forEach((tenant, prefixes) -> copy.put(tenant, List.copyOf(prefixes)));
    callbackPrefixes = Map.copyOf(copy);
    callbackPrefixes.forEach(
        (tenant, prefixes) -> {
          String key = PREFIX + tenant + "." + CALLBACK_PREFIXES;
          canonical(key, tenant);
          for (String p : prefixes) {
            // Ending in a path separator, so "https://hooks.example.com/" cannot be passed by
            // "https://hooks.example.com.attacker.net/".
            if (!p.matches("https?://[^/?#]+/([^?#]*/)?")) {
              throw new ConfigException(
                  key
                      + " must list http(s) URL prefixes ending in '/' (a host, optionally a path),"
                      + " but had '"
                      + p
                      + "'");
            }
          }
        });
  }

  public static TenantSettings defaults() {
    return new TenantSettings(
        Set.of(), TenantTopics.defaults(), false, Map.of(), FairShareSettings.defaults());
  }

  /** The callback URL prefixes {@code tenant} is held to, if it has any. */
  public Optional<List<String>> callbackPrefixesOf(String tenant) {
    return Optional.ofNullable(tenant == null ? null : callbackPrefixes.get(tenant));
  }

  /**
   * Stops the worker on a tenant name in configuration that is not canonical: a key the worker
   * would never look up is a setting silently ignored.
   */
  static void canonical(String key, String tenant) {
    if (!TenantName.isCanonical(tenant)) {
      throw new ConfigException(
          key
              + " names tenant '"
              + tenant
              + "', which is not a tenant name: use "
              + TenantName.RULE);
    }
  }

  /**
   * Copies {@code IMAGEFLEET_TENANTS_<TENANT>_<FIELD>} to {@code tenants.<tenant>.<field>}, e.g.
   * {@code IMAGEFLEET_TENANTS_TEAM_A_CALLBACK_PREFIXES} or {@code
   * IMAGEFLEET_TENANTS_TEAM_A_WEIGHT}. The variable of a key of its own ({@code
   * IMAGEFLEET_TENANTS_SHARED_TOPIC_WEIGHT}) is that key, never a tenant's field.
   */
  static void applyEnvironment(Map<String, String> values, Map<String, String> env) {
    Set<String> ownKeys = new TreeSet<>();
    KEYS.forEach(k -> ownKeys.add(k.envName()));
    env.forEach(
        (name, value) -> {
          if (!name.startsWith(ENV_PREFIX) || ownKeys.contains(name)) {
            return;
          }
          for (String field : TENANT_FIELDS) {
            String suffix = "_" + field.toUpperCase(Locale.ROOT).replace('-', '_');
            if (name.endsWith(suffix) && name.length() > ENV_PREFIX.length() + suffix.length()) {
              String tenant =
                  TenantName.fromEnvironment(
                      name.substring(ENV_PREFIX.length(), name.length() - suffix.length()));
              values.put(PREFIX + tenant + "." + field, value);
              return;
            }
          }
        });
  }

  static TenantSettings from(ConfigReader r) {
    Set<String> allowed = new TreeSet<>(list(r.optional(ALLOWED).orElse("")));
    Map<String, List<String>> prefixes = new TreeMap<>();
    r.under(PREFIX)
        .forEach(
            (rest, value) -> {
              int dot = rest.indexOf('.');
              if (dot < 0) {
                return; // one of the keys above
              }
              String field = rest.substring(dot + 1);
              if (field.equals(CALLBACK_PREFIXES)) {
                prefixes.put(rest.substring(0, dot), list(value));
              }
            });
    return new TenantSettings(
        allowed,
        new TenantTopics(r.string(TOPIC_PREFIX)),
        r.bool(EVENTS_PER_TENANT),
        prefixes,
        FairShareSettings.from(r));
  }

  private static List<String> list(String text) {
    return Arrays.stream(text.split("[,\\s]+")).filter(s -> !s.isEmpty()).toList();
  }
}
