package io.imagefleet.worker.config;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * How one worker shares its in-flight capacity among the tenants that have work waiting.
 *
 * @param enabled whether it does ({@code tenants.fair-share}); off, records are taken in the order
 *     they are read, as one queue, and weights, urgency and per-tenant caps do nothing
 * @param urgentShare the part of the capacity urgent tenants are served first up to ({@code
 *     tenants.urgent-share}); the other tenants always keep the rest when they have work
 * @param sharedTopicWeight the weight of the shared jobs topic, which counts as one lane of its own
 *     ({@code tenants.shared-topic-weight}): its tenants are only claimed, so they are not told
 *     apart
 * @param tenants per tenant, its weight, urgency and caps ({@code tenants.<tenant>.*}); a tenant
 *     without an entry has weight 1, is not urgent and has no cap
 */
public record FairShareSettings(
    boolean enabled,
    double urgentShare,
    double sharedTopicWeight,
    Map<String, TenantShare> tenants) {
  static final String WEIGHT = "weight";
  static final String URGENT = "urgent";
  static final String MAX_IN_FLIGHT = "max-in-flight";
  static final String MAX_CREATIONS_PER_SECOND = "max-creations-per-second";
  static final List<String> FIELDS =
      List.of(WEIGHT, URGENT, MAX_IN_FLIGHT, MAX_CREATIONS_PER_SECOND);

  static final Key ENABLED = Key.of("tenants.fair-share", "true");
  static final Key URGENT_SHARE = Key.of("tenants.urgent-share", "0.5");
  static final Key SHARED_TOPIC_WEIGHT = Key.of("tenants.shared-topic-weight", "1");
  static final List<Key> KEYS = List.of(ENABLED, URGENT_SHARE, SHARED_TOPIC_WEIGHT);

  /**
   * One tenant's part in the sharing.
   *
   * @param weight its share relative to the others with work waiting ({@code
   *     tenants.<tenant>.weight}, default 1)
   * @param urgent whether its work is admitted first ({@code tenants.<tenant>.urgent})
   * @param maxInFlight most of its jobs in flight on one worker ({@code
   *     tenants.<tenant>.max-in-flight})
   * @param maxStartsPerSecond most of its jobs one worker starts per second ({@code
   *     tenants.<tenant>.max-creations-per-second}): each start makes at most one paid creation
   */
  public record TenantShare(
      double weight, boolean urgent, OptionalInt maxInFlight, OptionalDouble maxStartsPerSecond) {
    public static final TenantShare DEFAULT =
        new TenantShare(1, false, OptionalInt.empty(), OptionalDouble.empty());
  }

  public FairShareSettings {
    if (!(urgentShare > 0 && urgentShare < 1)) {
      throw new ConfigException(
          URGENT_SHARE.name()
              + " must be above 0 and below 1 (the rest is kept for the other tenants), but was "
              + urgentShare);
    }
    Checks.positiveNumber(SHARED_TOPIC_WEIGHT, sharedTopicWeight);
    tenants = Map.copyOf(tenants);
  }

  public static FairShareSettings defaults() {
    return new FairShareSettings(true, 0.5, 1, Map.of());
  }

  /** The share of {@code tenant}: its own entry, or weight 1 without urgency or caps. */
  public TenantShare of(String tenant) {
    return tenants.getOrDefault(tenant, TenantShare.DEFAULT);
  }

  /** Reads the keys above and every {@code tenants.<tenant>.<field>} of {@link #FIELDS}. */
  static FairShareSettings from(ConfigReader r) {
    Map<String, Map<String, String>> fields = new TreeMap<>();
    r.under(TenantSettings.PREFIX)
        .forEach(
            (rest, value) -> {
              int dot = rest.indexOf('.');
              if (dot > 0 && FIELDS.contains(rest.substring(dot + 1))) {
                fields
                    .computeIfAbsent(rest.substring(0, dot), t -> new TreeMap<>())
                    .put(rest.substring(dot + 1), value);
              }
            });
    Map<String, TenantShare> tenants = new TreeMap<>();
    fields.forEach((tenant, values) -> tenants.put(tenant, share(r, tenant, values)));
    return new FairShareSettings(
        r.bool(ENABLED), r.decimal(URGENT_SHARE), r.decimal(SHARED_TOPIC_WEIGHT), tenants);
  }

  private static TenantShare share(ConfigReader r, String tenant, Map<String, String> values) {
    String prefix = TenantSettings.PREFIX + tenant + ".";
    TenantSettings.canonical(prefix + values.keySet().iterator().next(), tenant);
    Key weight = Key.of(prefix + WEIGHT, "1");
    Key urgent = Key.of(prefix + URGENT, "false");
    Key maxInFlight = Key.of(prefix + MAX_IN_FLIGHT);
    Key maxStarts = Key.of(prefix + MAX_CREATIONS_PER_SECOND);
    double w = r.decimal(weight);
    Checks.positiveNumber(weight, w);
    OptionalInt cap = OptionalInt.empty();
    if (r.optional(maxInFlight).isPresent()) {
      int n = r.integer(maxInFlight);
      Checks.positive(maxInFlight, n);
      cap = OptionalInt.of(n);
    }
    OptionalDouble pace = OptionalDouble.empty();
    if (r.optional(maxStarts).isPresent()) {
      double perSecond = r.decimal(maxStarts);
      Checks.positiveNumber(maxStarts, perSecond);
      pace = OptionalDouble.of(perSecond);
    }
    return new TenantShare(w, r.bool(urgent), cap, pace);
  }
}
