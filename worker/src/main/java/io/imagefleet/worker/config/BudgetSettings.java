package io.imagefleet.worker.config;

import io.imagefleet.contracts.TenantName;
import io.imagefleet.contracts.Topics;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Spending limits per tenant and the ledger that enforces them across the fleet.
 *
 * @param topic the budget ledger topic ({@code topics.budgets}); key = tenant
 * @param tenants limits per tenant ({@code budgets.<tenant>.daily-usd}, {@code .monthly-usd}); a
 *     tenant without an entry has no limit
 * @param decisionTimeout how long a job waits for its reservation to be decided before it fails
 *     with {@code budget_unavailable}
 */
public record BudgetSettings(
    String topic, Map<String, TenantBudget> tenants, Duration decisionTimeout) {
  static final String PREFIX = "budgets.";
  static final String ENV_PREFIX = Key.ENV_PREFIX + "BUDGETS_";

  static final Key TOPIC = Key.of("topics.budgets", Topics.BUDGETS);
  static final Key DECISION_TIMEOUT = Key.of("budgets.decision-timeout", "30s");
  static final List<Key> KEYS = List.of(TOPIC, DECISION_TIMEOUT);

  static final List<KeyPattern> PATTERNS =
      List.of(
          KeyPattern.of(PREFIX + "<tenant>.daily-usd"),
          KeyPattern.of(PREFIX + "<tenant>.monthly-usd"));

  /**
   * One tenant's limits in USD; either may be absent, not both. Periods are UTC days and months.
   */
  public record TenantBudget(Optional<BigDecimal> dailyUsd, Optional<BigDecimal> monthlyUsd) {
    public TenantBudget {
      if (dailyUsd.isEmpty() && monthlyUsd.isEmpty()) {
        throw new IllegalArgumentException("a budget needs a daily or a monthly limit");
      }
    }
  }

  public BudgetSettings {
    Checks.notBlank(TOPIC, topic);
    tenants = Map.copyOf(tenants);
    Checks.positive(DECISION_TIMEOUT, decisionTimeout);
  }

  /**
   * The limits of {@code tenant}, if it has any. Names are canonical ({@link TenantName}): {@code
   * IMAGEFLEET_BUDGETS_MY_TEAM_DAILY_USD} sets {@code my-team}, and no other spelling exists.
   */
  public Optional<TenantBudget> of(String tenant) {
    if (tenant == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(tenants.get(tenant));
  }

  /**
   * Copies {@code IMAGEFLEET_BUDGETS_<TENANT>_DAILY_USD} / {@code _MONTHLY_USD} to {@code
   * budgets.*} keys.
   */
  static void applyEnvironment(Map<String, String> values, Map<String, String> env) {
    env.forEach(
        (name, value) -> {
          if (!name.startsWith(ENV_PREFIX)) {
            return;
          }
          String rest = name.substring(ENV_PREFIX.length());
          for (String period : new String[] {"DAILY_USD", "MONTHLY_USD"}) {
            if (rest.endsWith("_" + period) && rest.length() > period.length() + 1) {
              String tenant =
                  TenantName.fromEnvironment(
                      rest.substring(0, rest.length() - period.length() - 1));
              values.put(
                  PREFIX + tenant + "." + period.toLowerCase(Locale.ROOT).replace('_', '-'), value);
            }
          }
        });
  }

  static BudgetSettings from(ConfigReader r) {
    Map<String, BigDecimal> daily = new TreeMap<>();
    Map<String, BigDecimal> monthly = new TreeMap<>();
    r.under(PREFIX)
        .forEach(
            (rest, value) -> {
              Key key = Key.of(PREFIX + rest);
              if (key.name().equals(DECISION_TIMEOUT.name())) {
                return;
              }
              int dot = rest.lastIndexOf('.');
              String tenant = dot > 0 ? rest.substring(0, dot) : "";
              String field = rest.substring(dot + 1);
              if (tenant.isEmpty() || !(field.equals("daily-usd") || field.equals("monthly-usd"))) {
                throw new ConfigException(
                    key.name()
                        + " is not a budget setting; use budgets.<tenant>.daily-usd or"
                        + " budgets.<tenant>.monthly-usd");
              }
              TenantSettings.canonical(key.name(), tenant);
              BigDecimal limit = r.money(key).orElseThrow();
              if (limit.signum() <= 0) {
                throw new ConfigException(key.name() + " must be > 0, but was " + value);
              }
              (field.equals("daily-usd") ? daily : monthly).put(tenant, limit);
            });
    Map<String, TenantBudget> tenants = new TreeMap<>();
    daily.keySet().forEach(t -> tenants.put(t, null));
    monthly.keySet().forEach(t -> tenants.put(t, null));
    tenants.replaceAll(
        (t, none) ->
            new TenantBudget(
                Optional.ofNullable(daily.get(t)), Optional.ofNullable(monthly.get(t))));
    return new BudgetSettings(r.string(TOPIC), tenants, r.duration(DECISION_TIMEOUT));
  }
}
