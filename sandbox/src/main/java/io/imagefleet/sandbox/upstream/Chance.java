package io.imagefleet.sandbox.upstream;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Every random draw of the simulator, from one seeded {@link Random} so a run can be reproduced
 * (exactly so when calls arrive in the same order). Thread-safe: {@code Random} is.
 */
final class Chance {

  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  private final Random random;

  Chance(long seed) {
    this.random = new Random(seed);
  }

  Duration sample(DurationDistribution distribution) {
    return distribution.sample(random);
  }

  Optional<FaultKind> fault(FaultRates rates) {
    return rates.pick(random.nextDouble());
  }

  /** A task error code drawn by the given rates (iterated in key order), or empty for success. */
  Optional<String> failure(Map<String, Double> rates) {
    if (rates.isEmpty()) {
      return Optional.empty();
    }
    double u = random.nextDouble();
    double cumulative = 0;
    for (Map.Entry<String, Double> e : rates.entrySet()) {
      cumulative += e.getValue();
      if (u < cumulative) {
        return Optional.of(e.getKey());
      }
    }
    return Optional.empty();
  }

  String idSuffix() {
    char[] chars = new char[10];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = ALPHABET[random.nextInt(ALPHABET.length)];
    }
    return new String(chars);
  }
}
