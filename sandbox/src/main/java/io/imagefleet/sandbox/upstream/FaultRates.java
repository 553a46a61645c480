package io.imagefleet.sandbox.upstream;

import java.util.Optional;

/**
 * Probabilities that a create or query call fails on purpose, drawn independently per call from the
 * simulator's seeded random. They must add up to at most 1.
 *
 * <p>Why: a fleet's retry, back-off and breaker logic is only exercised when the upstream
 * misbehaves at a known rate; deterministic single failures are scripted with prompt markers
 * instead (see {@link UpstreamSimulator}).
 *
 * @param rateLimited share of calls answered 429 {@code rate_limit_exceeded} with {@code
 *     Retry-After}
 * @param internalError share answered 500 {@code internal_error}
 * @param badGateway share answered 502
 * @param serviceUnavailable share answered 503 {@code service_unavailable}
 * @param hang share never answered (the connection stays open)
 * @param retryAfterSeconds the {@code Retry-After} header value on 429 answers
 */
public record FaultRates(
    double rateLimited,
    double internalError,
    double badGateway,
    double serviceUnavailable,
    double hang,
    int retryAfterSeconds) {

  /** No faults; 429s (if scripted) carry {@code Retry-After: 1}. */
  public static final FaultRates NONE = new FaultRates(0, 0, 0, 0, 0, 1);

  public FaultRates {
    requireRate("rateLimited", rateLimited);
    requireRate("internalError", internalError);
    requireRate("badGateway", badGateway);
    requireRate("serviceUnavailable", serviceUnavailable);
    requireRate("hang", hang);
    double sum = rateLimited + internalError + badGateway + serviceUnavailable + hang;
    if (sum > 1.0 + 1e-9) {
      throw new IllegalArgumentException("fault rates must add up to <= 1, but add up to " + sum);
    }
    if (retryAfterSeconds < 0) {
      throw new IllegalArgumentException(
          "retryAfterSeconds must be >= 0, but was " + retryAfterSeconds);
    }
  }

  public FaultRates withRateLimited(double rate) {
    return new FaultRates(
        rate, internalError, badGateway, serviceUnavailable, hang, retryAfterSeconds);
  }

  public FaultRates withInternalError(double rate) {
    return new FaultRates(
        rateLimited, rate, badGateway, serviceUnavailable, hang, retryAfterSeconds);
  }

  public FaultRates withBadGateway(double rate) {
    return new FaultRates(
        rateLimited, internalError, rate, serviceUnavailable, hang, retryAfterSeconds);
  }

  public FaultRates withServiceUnavailable(double rate) {
    return new FaultRates(rateLimited, internalError, badGateway, rate, hang, retryAfterSeconds);
  }

  public FaultRates withHang(double rate) {
    return new FaultRates(
        rateLimited, internalError, badGateway, serviceUnavailable, rate, retryAfterSeconds);
  }

  public FaultRates withRetryAfterSeconds(int seconds) {
    return new FaultRates(
        rateLimited, internalError, badGateway, serviceUnavailable, hang, seconds);
  }

  /**
   * The fault for a uniform draw {@code u} in [0, 1): cumulative over the rates, in field order.
   */
  Optional<FaultKind> pick(double u) {
    double[] rates = {rateLimited, internalError, badGateway, serviceUnavailable, hang};
    FaultKind[] kinds = {
      FaultKind.RATE_LIMITED,
      FaultKind.INTERNAL_ERROR,
      FaultKind.BAD_GATEWAY,
      FaultKind.SERVICE_UNAVAILABLE,
      FaultKind.HANG
    };
    double cumulative = 0;
    for (int i = 0; i < rates.length; i++) {
      cumulative += rates[i];
      if (u < cumulative) {
        return Optional.of(kinds[i]);
      }
    }
    return Optional.empty();
  }

  private static void requireRate(String name, double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException(name + " must be in 0..1, but was " + rate);
    }
  }
}
