package io.imagefleet.worker.resilience;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The lanes on which a worker has calls to make, as it shares them on the route-health topic: a
 * shared rate is divided among the workers that have work for it, so a worker whose partitions ran
 * dry lends its part to the others instead of leaving it unused.
 *
 * @param worker the worker
 * @param busyLanes the lanes on which it wants more than its part
 * @param answers per lane, the worker's answers over the recent window: the fleet judges whether a
 *     limit shows on the sum of every worker's, since one worker sees only its part of the calls
 * @param at when it was written
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record WorkerDemand(
    String worker, List<String> busyLanes, Map<String, Answers> answers, Instant at) {
  /** The key prefix of these records on the route-health topic; the worker id follows. */
  public static final String KEY_PREFIX = "demand:";

  public WorkerDemand {
    busyLanes = List.copyOf(busyLanes);
    answers = answers == null ? Map.of() : Map.copyOf(answers);
  }

  /**
   * Answers to one worker's calls on a lane over the recent window.
   *
   * @param taken answered with anything but a 429
   * @param refused answered 429
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Answers(int taken, int refused) {
    public static final Answers NONE = new Answers(0, 0);

    public Answers plus(Answers other) {
      return new Answers(taken + other.taken, refused + other.refused);
    }
  }
}
