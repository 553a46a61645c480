package io.imagefleet.worker.resilience;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;

/**
 * The lanes on which a worker has calls to make, as it shares them on the route-health topic: a
 * shared rate is divided among the workers that have work for it, so a worker whose partitions ran
 * dry lends its part to the others instead of leaving it unused.
 *
 * @param worker the worker
 * @param busyLanes the lanes with calls waiting or made within the last seconds
 * @param at when it was written
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record WorkerDemand(String worker, List<String> busyLanes, Instant at) {
  /** The key prefix of these records on the route-health topic; the worker id follows. */
  public static final String KEY_PREFIX = "demand:";

  public WorkerDemand {
    busyLanes = List.copyOf(busyLanes);
  }
}
