package io.imagefleet.worker.resilience;

/**
 * Where a worker tells the fleet what it learned about the upstream, and how big the fleet is. The
 * route-health topic implements it; {@link #ALONE} is a worker that learns by itself.
 */
public interface FleetLink {
  void laneChanged(LaneState state);

  void spendingChanged(SpendingState state);

  /** Whether this worker is the one that raises shared rates (one raiser, so raises don't add). */
  boolean raisesRates();

  FleetLink ALONE =
      new FleetLink() {
        @Override
        public void laneChanged(LaneState state) {}

        @Override
        public void spendingChanged(SpendingState state) {}

        @Override
        public boolean raisesRates() {
          return true;
        }
      };
}
