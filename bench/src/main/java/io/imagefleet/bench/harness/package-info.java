/**
 * What every run of the whole fleet on one machine shares: {@code imagefleet demo}, {@code soak},
 * {@code chaos} and the benchmark. {@link Sandbox} starts the stand-ins for the outside world,
 * {@link EventsReader} reads what the workers publish as a downstream team would, and {@link Tally}
 * counts it.
 *
 * <p>It lives in the bench module because the cli already depends on it; the worker never does.
 */
package io.imagefleet.bench.harness;
