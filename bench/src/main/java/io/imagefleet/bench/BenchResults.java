package io.imagefleet.bench;

import io.imagefleet.bench.contenders.Kind;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything one benchmark run measured.
 *
 * @param main each contender on the scenario's batch
 * @param sweep imagefleet and Parallel Consumer at each in-flight cap of the sweep
 * @param scaleOut imagefleet with 1 then 2 workers (empty unless asked)
 * @param transactionFloor what exactly-once delivery alone costs here (empty when imagefleet did
 *     not run)
 * @param elapsed wall time of the whole run
 * @param neighbours the noisy-neighbour scenario's runs (empty for every other scenario; its fair
 *     run is also the main one)
 */
record BenchResults(
    Scenario scenario,
    List<RunResult> main,
    List<RunResult> sweep,
    List<RunResult> scaleOut,
    Optional<TransactionFloor.Result> transactionFloor,
    Duration elapsed,
    Optional<NeighbourRuns> neighbours) {

  BenchResults {
    main = List.copyOf(main);
    sweep = List.copyOf(sweep);
    scaleOut = List.copyOf(scaleOut);
  }

  Optional<RunResult> main(Kind kind) {
    return main.stream().filter(r -> r.contender() == kind).findFirst();
  }

  /** Throughput of 2 workers over 1, when the scale-out runs were made. */
  Optional<Double> scaleOutFactor() {
    if (scaleOut.size() < 2) {
      return Optional.empty();
    }
    return Optional.of(scaleOut.get(1).throughput() / scaleOut.get(0).throughput());
  }
}
