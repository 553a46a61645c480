package io.imagefleet.bench;

import java.util.List;
import java.util.Optional;

/**
 * The noisy-neighbour scenario's runs: the two tenants with fair share on, the same load as one
 * tenant's, and the two tenants with fair share off. Each run carries its {@link
 * NoisyNeighbourFigures}.
 */
record NeighbourRuns(RunResult fair, RunResult oneTenant, Optional<RunResult> fifo) {

  List<RunResult> all() {
    return fifo.map(f -> List.of(fair, oneTenant, f)).orElse(List.of(fair, oneTenant));
  }

  /** Two tenants' throughput over the same load as one tenant's. */
  double throughputRatio() {
    return fair.throughput() / oneTenant.throughput();
  }

  boolean throughputMet() {
    return throughputRatio() >= NoisyNeighbourFigures.THROUGHPUT_TARGET;
  }
}
