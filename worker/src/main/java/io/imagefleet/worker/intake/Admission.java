package io.imagefleet.worker.intake;

import io.imagefleet.contracts.ErrorCodes;
import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobError;
import io.imagefleet.contracts.JobIdentity;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.TraceHeaders;
import io.imagefleet.contracts.UndecodableJobException;
import io.imagefleet.worker.events.StatusEvents;
import io.imagefleet.worker.state.JobState;
import io.imagefleet.worker.tenant.TenantCheck;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what one job record becomes: refused (its key is not its job id, or it may not run as the
 * tenant it names), answered as a duplicate of an attempt that ended, skipped (the same record read
 * again), joined to its running twin, or run. Throws {@link UndecodableJobException} for a record
 * that is not a job. Used by the intake thread.
 */
final class Admission {
  private static final Logger log = LoggerFactory.getLogger(Admission.class);

  private final JobHandler processor;
  private final StatusEvents answers;
  private final int maxWorkerFailures;
  private final TenantCheck tenants;

  Admission(
      JobHandler processor, StatusEvents answers, int maxWorkerFailures, TenantCheck tenants) {
    this.processor = processor;
    this.answers = answers;
    this.maxWorkerFailures = maxWorkerFailures;
    this.tenants = tenants;
  }

  /** The record's answer, once decided; a null ending means there is nothing to publish. */
  CompletableFuture<JobEnding> admit(
      ConsumerRecord<byte[], byte[]> record, AssignedPartition owner) {
    JobRequest job = decode(record);
    if (!keyIsJobId(record, job)) {
      log.info(
          "record {}-{}@{} is not keyed by its job_id: refused",
          record.topic(),
          record.partition(),
          record.offset());
      return CompletableFuture.completedFuture(
          JobEnding.answer(
              answers.failed(
                  job,
                  StatusEvents.Routing.NONE,
                  null,
                  JobError.of(
                      ErrorCodes.KEY_MISMATCH,
                      "the record's key "
                          + (record.key() == null ? "is missing" : "is not its job_id")
                          + ": publish the job with its job_id as key",
                      false))));
    }
    JobIdentity id = JobIdentity.of(job);
    JobState state = owner.stateOf(id);
    if (state != null && state.isEnded() && state.attempt() >= job.attempt()) {
      if (state.recordOffset() == null || state.recordOffset() == record.offset()) {
        // The record that ended the attempt, read again (a replay, a hand-over): answered already.
        return CompletableFuture.completedFuture(null);
      }
      log.info(
          "record {}-{}@{} repeats an attempt that ended: answered DUPLICATE",
          record.topic(),
          record.partition(),
          record.offset());
      return CompletableFuture.completedFuture(
          JobEnding.answer(answers.duplicate(job, state.attempt(), state.terminalStatus())));
    }
    Optional<JobError> refused = tenants.refusal(record.topic(), job);
    if (refused.isPresent()) {
      // Before anything is reserved or paid: the job never runs as the tenant it claims.
      log.info(
          "record {}-{}@{} refused: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          refused.get().code());
      return CompletableFuture.completedFuture(
          JobEnding.answer(answers.failed(job, StatusEvents.Routing.NONE, null, refused.get())));
    }
    Optional<JobHandler.RunningJob> twin = owner.runningTwin(id, job.attempt());
    if (twin.isPresent()) {
      // The same job twice in a row (a producer retried): it ends with the first record's run.
      return twin.get().ending().handle((ending, error) -> null);
    }
    JobState resume =
        state != null && !state.isEnded() && state.attempt() == job.attempt() ? state : null;
    JobHandler.RunningJob run =
        SupervisedRun.start(
            processor,
            job,
            record.partition(),
            resume,
            Instant.ofEpochMilli(record.timestamp()),
            traceparent(record),
            maxWorkerFailures);
    owner.started(record.offset(), id, job.attempt(), run);
    return run.ending();
  }

  /**
   * The key decides the partition, and so which worker holds the job's state: it must be the job
   * id.
   */
  private static boolean keyIsJobId(ConsumerRecord<byte[], byte[]> record, JobRequest job) {
    return record.key() != null
        && Arrays.equals(record.key(), job.jobId().getBytes(StandardCharsets.UTF_8));
  }

  /** The producer's W3C {@code traceparent} header, if the record carries one. */
  private static String traceparent(ConsumerRecord<byte[], byte[]> record) {
    Header header = record.headers().lastHeader(TraceHeaders.TRACEPARENT);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static JobRequest decode(ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null) {
      throw new UndecodableJobException("record has no value (tombstone)");
    }
    JobRequest job = JobCodec.decode(record.value());
    if (job.jobId() == null || job.jobId().isBlank()) {
      // Without a job id there is no key to publish a FAILED event under: the record itself is the
      // answer.
      throw new UndecodableJobException("job request has no job_id");
    }
    return job;
  }
}
