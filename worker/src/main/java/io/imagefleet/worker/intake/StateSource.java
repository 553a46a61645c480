package io.imagefleet.worker.intake;

import io.imagefleet.worker.state.PartitionStates;

/** Restores the job states of one partition when it is assigned. Called on the intake thread. */
@FunctionalInterface
public interface StateSource {
  PartitionStates restore(int partition);
}
