package io.imagefleet.sandbox.upstream;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Start-up settings of an {@link UpstreamSimulator}, validated once. The runtime-changeable part is
 * {@link SimulatorKnobs}.
 *
 * <p>The admin endpoints need no authentication, so the simulator binds to the loopback address by
 * default; bind it elsewhere only on an isolated network.
 *
 * @param bindHost address to listen on; default {@code 127.0.0.1}
 * @param port port to listen on; 0 (default) picks a free one
 * @param apiKey the only accepted {@code Authorization: Bearer} key
 * @param models the known routes (model names); a create for any other answers 403
 * @param linkTtl how long result links work after task creation; default 24 h
 * @param expiredLinkStatus status of a download after its link expired: 410 (default) or 403
 * @param maxHang how long a hung call is held before its connection is dropped; default 10 min
 * @param seed seed of the random draws (durations, faults, ids) so runs are reproducible
 * @param handlerThreads HTTP handler threads; handlers never sleep, so few are enough
 * @param clock the simulator's notion of now; inject a fixed or mutable clock in tests
 * @param userGroup reported as {@code usage.user_group}
 * @param creditsPerUsd credits reserved per USD of estimated cost (the gateway's ratio is
 *     unpublished)
 * @param knobs initial runtime behaviour
 */
public record SimulatorConfig(
    String bindHost,
    int port,
    String apiKey,
    List<String> models,
    Duration linkTtl,
    int expiredLinkStatus,
    Duration maxHang,
    long seed,
    int handlerThreads,
    Clock clock,
    String userGroup,
    double creditsPerUsd,
    SimulatorKnobs knobs) {

  /**
   * The routes of the image family known by default, each served with its own rules and prices
   * ({@code SimModel}).
   */
  public static final List<String> DEFAULT_MODELS =
      List.of(
          "gpt-image-1.5",
          "gpt-image-1.5-lite",
          "gpt-image-1",
          "gpt-image-1-mini",
          "gpt-image-2",
          "gpt-image-2-beta");

  /** The API key accepted by default. */
  public static final String DEFAULT_API_KEY = "sk-simulator-local";

  public SimulatorConfig {
    requireText("bindHost", bindHost);
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be in 0..65535, but was " + port);
    }
    requireText("apiKey", apiKey);
    models = List.copyOf(Objects.requireNonNull(models, "models"));
    if (models.isEmpty()) {
      throw new IllegalArgumentException("models must not be empty");
    }
    models.forEach(model -> requireText("models[]", model));
    requirePositive("linkTtl", linkTtl);
    if (expiredLinkStatus != 403 && expiredLinkStatus != 410) {
      throw new IllegalArgumentException(
          "expiredLinkStatus must be 403 or 410, but was " + expiredLinkStatus);
    }
    requirePositive("maxHang", maxHang);
    if (handlerThreads < 1) {
      throw new IllegalArgumentException("handlerThreads must be > 0, but was " + handlerThreads);
    }
    Objects.requireNonNull(clock, "clock");
    requireText("userGroup", userGroup);
    if (!(creditsPerUsd > 0)) {
      throw new IllegalArgumentException("creditsPerUsd must be > 0, but was " + creditsPerUsd);
    }
    Objects.requireNonNull(knobs, "knobs");
  }

  /** Loopback, ephemeral port, the default key and models, 24 h links, seed 42, default knobs. */
  public static SimulatorConfig ofDefaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this config's values, to change a few. */
  public Builder toBuilder() {
    return new Builder()
        .bindHost(bindHost)
        .port(port)
        .apiKey(apiKey)
        .models(models)
        .linkTtl(linkTtl)
        .expiredLinkStatus(expiredLinkStatus)
        .maxHang(maxHang)
        .seed(seed)
        .handlerThreads(handlerThreads)
        .clock(clock)
        .userGroup(userGroup)
        .creditsPerUsd(creditsPerUsd)
        .knobs(knobs);
  }

  private static void requireText(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank, but was '" + value + "'");
    }
  }

  private static void requirePositive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be > 0, but was " + value);
    }
  }

  /** Builds a {@link SimulatorConfig}; every setting has a default. */
  public static final class Builder {
    private String bindHost = "127.0.0.1";
    private int port;
    private String apiKey = DEFAULT_API_KEY;
    private List<String> models = DEFAULT_MODELS;
    private Duration linkTtl = Duration.ofHours(24);
    private int expiredLinkStatus = 410;
    private Duration maxHang = Duration.ofMinutes(10);
    private long seed = 42;
    private int handlerThreads = 4;
    private Clock clock = Clock.systemUTC();
    private String userGroup = "default";
    private double creditsPerUsd = 10.0;
    private SimulatorKnobs knobs = SimulatorKnobs.DEFAULTS;

    private Builder() {}

    public Builder bindHost(String value) {
      bindHost = value;
      return this;
    }

    public Builder port(int value) {
      port = value;
      return this;
    }

    public Builder apiKey(String value) {
      apiKey = value;
      return this;
    }

    public Builder models(List<String> value) {
      models = value;
      return this;
    }

    public Builder models(String... value) {
      models = List.of(value);
      return this;
    }

    public Builder linkTtl(Duration value) {
      linkTtl = value;
      return this;
    }

    public Builder expiredLinkStatus(int value) {
      expiredLinkStatus = value;
      return this;
    }

    public Builder maxHang(Duration value) {
      maxHang = value;
      return this;
    }

    public Builder seed(long value) {
      seed = value;
      return this;
    }

    public Builder handlerThreads(int value) {
      handlerThreads = value;
      return this;
    }

    public Builder clock(Clock value) {
      clock = value;
      return this;
    }

    public Builder userGroup(String value) {
      userGroup = value;
      return this;
    }

    public Builder creditsPerUsd(double value) {
      creditsPerUsd = value;
      return this;
    }

    public Builder knobs(SimulatorKnobs value) {
      knobs = value;
      return this;
    }

    public Builder taskDuration(DurationDistribution value) {
      knobs = knobs.withTaskDuration(value);
      return this;
    }

    public Builder createLatency(DurationDistribution value) {
      knobs = knobs.withCreateLatency(value);
      return this;
    }

    public Builder queryLatency(DurationDistribution value) {
      knobs = knobs.withQueryLatency(value);
      return this;
    }

    public Builder createFaults(FaultRates value) {
      knobs = knobs.withCreateFaults(value);
      return this;
    }

    public Builder queryFaults(FaultRates value) {
      knobs = knobs.withQueryFaults(value);
      return this;
    }

    public Builder taskFailureRates(Map<String, Double> value) {
      knobs = knobs.withTaskFailureRates(value);
      return this;
    }

    public Builder quotaExhausted(boolean value) {
      knobs = knobs.withQuotaExhausted(value);
      return this;
    }

    /** The creation limit per API key and model, requests per second (0 = unlimited). */
    public Builder createsPerSecond(double value) {
      knobs = knobs.withCreatesPerSecond(value);
      return this;
    }

    /** The query limit per API key, requests per second (0 = unlimited). */
    public Builder queriesPerSecond(double value) {
      knobs = knobs.withQueriesPerSecond(value);
      return this;
    }

    public SimulatorConfig build() {
      return new SimulatorConfig(
          bindHost,
          port,
          apiKey,
          models,
          linkTtl,
          expiredLinkStatus,
          maxHang,
          seed,
          handlerThreads,
          clock,
          userGroup,
          creditsPerUsd,
          knobs);
    }
  }
}
