package io.imagefleet.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The noisy-neighbour scenario's runs: the two tenants with fair share on, the same load as one
 * tenant's, and the two tenants with fair share off. Each run carries its {@link
 * NoisyNeighbourFigures}.
 */
record NeighbourRuns(RunResult fair, RunResult oneTenant, Optional<RunResult> fifo) {

  /** A run and what it measured, as the report names it. */
  record Named(String name, RunResult run) {}

  List<Named> named() {
    List<Named> named = new ArrayList<>();
    named.add(new Named("two tenants, fair share", fair));
    named.add(new Named("one tenant (both batches busy's)", oneTenant));
    fifo.ifPresent(f -> named.add(new Named("two tenants, fair share off (FIFO)", f)));
    return named;
  }

  List<RunResult> all() {
    return named().stream().map(Named::run).toList();
  }

  /** Two tenants' throughput over the same load as one tenant's. */
  double throughputRatio() {
    return fair.throughput() / oneTenant.throughput();
  }

  boolean throughputMet() {
    return throughputRatio() >= NoisyNeighbourFigures.THROUGHPUT_TARGET;
  }
}
