package io.imagefleet.worker.events;

import io.imagefleet.contracts.ErrorCodes;
import io.imagefleet.contracts.JobError;
import io.imagefleet.contracts.JobIdentity;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.JobValidator;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.contracts.StoredImage;
import io.imagefleet.contracts.TokenUsage;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * Builds the status events of one worker: stamps event id, time and worker id.
 *
 * <p>An event repeats what the job's producer wrote, and a producer may write anything. So an event
 * never grows with its input: tenant, job id and route are {@linkplain JobIdentity#bounded
 * bounded}, and metadata is echoed only when it keeps the contract's limits (an invalid job's field
 * errors say what was wrong with it instead).
 */
public final class StatusEvents {
  /** Longest error message an event repeats; upstream messages have no published limit. */
  static final int MAX_MESSAGE_CHARS = 1000;

  private final String workerId;
  private final Clock clock;
  private final BiFunction<JobRequest, String, Optional<BigDecimal>> estimate;

  public StatusEvents(String workerId, Clock clock) {
    this(workerId, clock, (job, route) -> Optional.empty());
  }

  /**
   * With {@code estimate(job, route)}: the estimated cost stamped on every event of a valid job.
   */
  public StatusEvents(
      String workerId, Clock clock, BiFunction<JobRequest, String, Optional<BigDecimal>> estimate) {
    this.workerId = workerId;
    this.clock = clock;
    this.estimate = estimate;
  }

  /**
   * The route a job is on and why, when it is not the job's own route.
   *
   * @param route the route used, or null before one is chosen
   * @param reason why the job left its own route, or null
   */
  public record Routing(String route, String reason) {
    public static final Routing NONE = new Routing(null, null);
  }

  public StatusEvent accepted(JobRequest job, Routing routing) {
    return event(job, JobStatus.ACCEPTED, routing, null, null, List.of(), null, null, null);
  }

  public StatusEvent submitted(JobRequest job, Routing routing, String taskId) {
    return event(job, JobStatus.SUBMITTED, routing, taskId, 0, List.of(), null, null, null);
  }

  public StatusEvent running(JobRequest job, Routing routing, String taskId, int progress) {
    return event(job, JobStatus.RUNNING, routing, taskId, progress, List.of(), null, null, null);
  }

  public StatusEvent succeeded(
      JobRequest job,
      Routing routing,
      String taskId,
      List<StoredImage> images,
      TokenUsage usage,
      BigDecimal cost) {
    return event(job, JobStatus.SUCCEEDED, routing, taskId, 100, images, usage, cost, null);
  }

  public StatusEvent failed(JobRequest job, Routing routing, String taskId, JobError error) {
    return event(job, JobStatus.FAILED, routing, taskId, null, List.of(), null, null, error);
  }

  /**
   * The answer to a record that repeats an attempt which ended with {@code ended}: nothing was run.
   */
  public StatusEvent duplicate(JobRequest job, int endedAttempt, JobStatus ended) {
    JobError error =
        JobError.of(
            ErrorCodes.DUPLICATE_JOB,
            "attempt "
                + endedAttempt
                + " of this job already ended ("
                + ended
                + "); this record was not run. Publish it with attempt "
                + (endedAttempt + 1)
                + " to run the job again",
            false);
    return event(job, JobStatus.DUPLICATE, Routing.NONE, null, null, List.of(), null, null, error);
  }

  /**
   * {@code event} without what can grow with upstream answers: images keep their stored location
   * and facts but not the upstream's link, and an error keeps its code and the start of its
   * message. What a terminal event is published as when it would not fit in a record whole.
   */
  public static StatusEvent trimmed(StatusEvent event) {
    List<StoredImage> images =
        event.images().stream()
            .map(
                i ->
                    new StoredImage(
                        i.index(),
                        JobIdentity.bounded(i.location()),
                        null,
                        i.bytes(),
                        i.contentType(),
                        i.width(),
                        i.height(),
                        i.sha256()))
            .toList();
    JobError error =
        event.error() == null
            ? null
            : JobError.of(
                event.error().code(), cut(event.error().message()), event.error().retryable());
    return new StatusEvent(
        event.schemaVersion(),
        event.eventId(),
        event.jobId(),
        event.tenant(),
        event.status(),
        event.attempt(),
        JobIdentity.bounded(event.route()),
        null,
        JobIdentity.bounded(event.upstreamTaskId()),
        event.progress(),
        images,
        event.usage(),
        event.costUsd(),
        event.estimatedCostUsd(),
        event.upstreamCalls(),
        event.unconfirmedSubmissions(),
        error,
        Map.of(),
        event.occurredAt(),
        event.workerId(),
        event.cancellation());
  }

  private StatusEvent event(
      JobRequest job,
      JobStatus status,
      Routing routing,
      String taskId,
      Integer progress,
      List<StoredImage> images,
      TokenUsage usage,
      BigDecimal cost,
      JobError error) {
    return new StatusEvent(
        StatusEvent.SCHEMA_VERSION,
        UUID.randomUUID().toString(),
        JobIdentity.bounded(job.jobId()),
        JobIdentity.bounded(job.tenant()),
        status,
        job.attempt(),
        JobIdentity.bounded(routing.route()),
        routing.reason(),
        taskId,
        progress,
        images,
        usage,
        cost,
        estimateOf(job, routing, error),
        null,
        null,
        bounded(error),
        echoable(job.metadata()),
        clock.instant(),
        workerId);
  }

  /**
   * On the route the event names (the job's own before one is chosen); none for an invalid or
   * refused job.
   */
  private BigDecimal estimateOf(JobRequest job, Routing routing, JobError error) {
    if (error != null
        && (ErrorCodes.INVALID_JOB.equals(error.code())
            || ErrorCodes.KEY_MISMATCH.equals(error.code())
            || ErrorCodes.DUPLICATE_JOB.equals(error.code()))) {
      return null;
    }
    return estimate
        .apply(job, routing.route() != null ? routing.route() : job.route())
        .orElse(null);
  }

  /**
   * Metadata within the contract's limits is echoed; any other is left out (its field errors say
   * why).
   */
  static Map<String, String> echoable(Map<String, String> metadata) {
    if (metadata.size() > JobValidator.MAX_METADATA_ENTRIES) {
      return Map.of();
    }
    boolean withinLimits =
        metadata.entrySet().stream()
            .allMatch(
                e ->
                    !e.getKey().isEmpty()
                        && e.getKey().length() <= JobValidator.MAX_METADATA_KEY_CHARS * 2
                        && e.getKey().codePointCount(0, e.getKey().length())
                            <= JobValidator.MAX_METADATA_KEY_CHARS
                        && e.getValue().length() <= JobValidator.MAX_METADATA_VALUE_CHARS * 2
                        && e.getValue().codePointCount(0, e.getValue().length())
                            <= JobValidator.MAX_METADATA_VALUE_CHARS);
    return withinLimits ? metadata : Map.of();
  }

  private static JobError bounded(JobError error) {
    if (error == null || error.message() == null || error.message().length() <= MAX_MESSAGE_CHARS) {
      return error;
    }
    return new JobError(
        error.code(), cut(error.message()), error.retryable(), error.field(), error.fieldErrors());
  }

  private static String cut(String message) {
    if (message == null || message.length() <= MAX_MESSAGE_CHARS) {
      return message;
    }
    int end =
        Character.isHighSurrogate(message.charAt(MAX_MESSAGE_CHARS - 1))
            ? MAX_MESSAGE_CHARS - 1
            : MAX_MESSAGE_CHARS;
    return message.substring(0, end) + "...";
  }
}
