package io.imagefleet.worker.resilience;

/**
 * Where a worker tells the fleet what it learned about the upstream and where it has work. The
 * route-health topic implements it; {@link #ALONE} is a worker that learns by itself.
 */
public interface FleetLink {
  void laneChanged(LaneState state);

  void spendingChanged(SpendingState state);

  void demandChanged(WorkerDemand demand);

  FleetLink ALONE =
      new FleetLink() {
        @Override
        public void laneChanged(LaneState state) {}

        @Override
        public void spendingChanged(SpendingState state) {}

        @Override
        public void demandChanged(WorkerDemand demand) {}
      };
}
