package io.imagefleet.sandbox.upstream;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/**
 * How long something takes in the simulator: a task's run time or a response's latency.
 *
 * <p>Why three shapes: {@link Fixed} for deterministic tests, {@link Uniform} for spread without
 * surprises, {@link LogNormal} for what real generation times look like (most near the median, a
 * long tail) so that a fleet's timeouts and in-flight caps meet the tail.
 */
public sealed interface DurationDistribution {

  /** A draw from this distribution, using the caller's seeded random. */
  Duration sample(Random random);

  /**
   * Parses the command-line form: {@code 5s} (fixed), {@code uniform:2s..10s}, {@code
   * lognormal:30s..3m} (median..p99).
   *
   * @throws IllegalArgumentException naming the bad text
   */
  static DurationDistribution parse(String text) {
    String t = text.trim();
    int colon = t.indexOf(':');
    if (colon < 0) {
      return fixed(DurationText.parse(t));
    }
    String kind = t.substring(0, colon);
    String[] bounds = t.substring(colon + 1).split("\\.\\.");
    if (bounds.length != 2) {
      throw new IllegalArgumentException(
          "'" + text + "' must look like 5s, uniform:2s..10s or lognormal:30s..3m");
    }
    Duration a = DurationText.parse(bounds[0]);
    Duration b = DurationText.parse(bounds[1]);
    return switch (kind) {
      case "uniform" -> uniform(a, b);
      case "lognormal" -> logNormal(a, b);
      default ->
          throw new IllegalArgumentException("'" + text + "': kind must be uniform or lognormal");
    };
  }

  /** The same value each time. */
  static DurationDistribution fixed(Duration value) {
    return new Fixed(value);
  }

  /** Uniform between min and max (inclusive, millisecond resolution). */
  static DurationDistribution uniform(Duration min, Duration max) {
    return new Uniform(min, max);
  }

  /** Log-normal with the given median and 99th percentile; draws are capped at ten times p99. */
  static DurationDistribution logNormal(Duration median, Duration p99) {
    return new LogNormal(median, p99);
  }

  /** Always {@code value}. */
  record Fixed(Duration value) implements DurationDistribution {
    public Fixed {
      requireNonNegative("value", value);
    }

    @Override
    public Duration sample(Random random) {
      return value;
    }
  }

  /** Uniform in {@code [min, max]}. */
  record Uniform(Duration min, Duration max) implements DurationDistribution {
    public Uniform {
      requireNonNegative("min", min);
      requireNonNegative("max", max);
      if (max.compareTo(min) < 0) {
        throw new IllegalArgumentException("max must be >= min (" + min + "), but was " + max);
      }
    }

    @Override
    public Duration sample(Random random) {
      long span = max.toMillis() - min.toMillis();
      return min.plusMillis(span == 0 ? 0 : (long) (random.nextDouble() * (span + 1)));
    }
  }

  /** Log-normal: {@code exp(mu + sigma * z)} with {@code mu = ln(median)}, sigma fitted to p99. */
  record LogNormal(Duration median, Duration p99) implements DurationDistribution {
    /** The standard normal quantile of 0.99. */
    private static final double Z_99 = 2.3263478740408408;

    public LogNormal {
      requireNonNegative("median", median);
      requireNonNegative("p99", p99);
      if (median.isZero()) {
        throw new IllegalArgumentException("median must be > 0, but was " + median);
      }
      if (p99.compareTo(median) < 0) {
        throw new IllegalArgumentException(
            "p99 must be >= median (" + median + "), but was " + p99);
      }
    }

    @Override
    public Duration sample(Random random) {
      double mu = Math.log(median.toMillis());
      double sigma = (Math.log(p99.toMillis()) - mu) / Z_99;
      double millis = Math.exp(mu + sigma * random.nextGaussian());
      return Duration.ofMillis(Math.round(Math.min(millis, p99.toMillis() * 10.0)));
    }
  }

  private static void requireNonNegative(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " must be >= 0, but was " + value);
    }
  }
}
