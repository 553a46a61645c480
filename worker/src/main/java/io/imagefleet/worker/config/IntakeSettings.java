package io.imagefleet.worker.config;

import java.time.Duration;
import java.util.List;

/**
 * The consumer loop's bounds.
 *
 * @param maxInFlight jobs one worker carries at once; at the cap, intake pauses. Size it from the
 *     upstream's rate limit times its latency, divided by the number of workers
 * @param pollTimeout longest wait in one {@code poll}; also bounds how late a completion is
 *     committed
 * @param commitInterval how often completed offsets are committed
 * @param commitGap the least time between a transaction's end and the next one's start, so the
 *     broker has completed the first (see docs/configuration.md)
 * @param shutdownGrace on SIGTERM, how long in-flight jobs may take to finish before they are
 *     released to the next owner uncommitted
 * @param transactionTimeout how long the broker keeps a transaction of a vanished worker open
 *     before aborting it: the longest a new owner waits to restore a partition's state
 * @param restoreTimeout longest wait to restore one partition's job states on assignment
 * @param maxWorkerFailures how many times a job that hits a bug in the worker is run before its
 *     record is dead-lettered (a poison record must not stop its partition)
 * @param rememberedEndedJobs per partition, how many ended jobs the intake remembers to answer a
 *     second record of one as a duplicate at once; older ones are forgotten once committed (the
 *     state topic keeps them for a replay or the next owner)
 * @param rampUp slow start: how long the in-flight cap takes to open fully when records come to an
 *     idle worker or intake resumes after a pause, so that a backlog is not created at the upstream
 *     in one burst (zero opens it at once)
 */
public record IntakeSettings(
    int maxInFlight,
    Duration pollTimeout,
    Duration commitInterval,
    Duration commitGap,
    Duration shutdownGrace,
    Duration transactionTimeout,
    Duration restoreTimeout,
    int maxWorkerFailures,
    Duration rampUp,
    int rememberedEndedJobs) {
  static final Key MAX_IN_FLIGHT = Key.of("intake.max-in-flight", "512");
  static final Key POLL_TIMEOUT = Key.of("intake.poll-timeout", "50ms");
  // Short: transactions run one at a time, so under load they run back to back and each carries
  // every
  // ending of the one before (group commit); a longer interval only adds its own wait to every
  // ending.
  static final Key COMMIT_INTERVAL = Key.of("intake.commit-interval", "20ms");
  // See JobIntake.nextCommitAt: keeps the next transaction clear of the broker's completion of the
  // last
  // one, which otherwise costs it the client's retry backoff.
  static final Key COMMIT_GAP = Key.of("intake.commit-gap", "10ms");
  static final Key SHUTDOWN_GRACE = Key.of("intake.shutdown-grace", "30s");
  static final Key TRANSACTION_TIMEOUT = Key.of("state.transaction-timeout", "10s");
  static final Key RESTORE_TIMEOUT = Key.of("state.restore-timeout", "2m");
  static final Key MAX_WORKER_FAILURES = Key.of("intake.max-worker-failures", "3");
  static final Key RAMP_UP = Key.of("intake.ramp-up", "0s");
  static final Key REMEMBERED_ENDED_JOBS = Key.of("state.remembered-ended-jobs", "100000");
  static final List<Key> KEYS =
      List.of(
          MAX_IN_FLIGHT,
          POLL_TIMEOUT,
          COMMIT_INTERVAL,
          COMMIT_GAP,
          SHUTDOWN_GRACE,
          TRANSACTION_TIMEOUT,
          RESTORE_TIMEOUT,
          MAX_WORKER_FAILURES,
          RAMP_UP,
          REMEMBERED_ENDED_JOBS);

  public IntakeSettings {
    Checks.positive(MAX_IN_FLIGHT, maxInFlight);
    Checks.positive(POLL_TIMEOUT, pollTimeout);
    Checks.positive(COMMIT_INTERVAL, commitInterval);
    Checks.notNegative(COMMIT_GAP, commitGap);
    Checks.positive(SHUTDOWN_GRACE, shutdownGrace);
    Checks.positive(MAX_WORKER_FAILURES, maxWorkerFailures);
    Checks.positive(TRANSACTION_TIMEOUT, transactionTimeout);
    Checks.positive(RESTORE_TIMEOUT, restoreTimeout);
    Checks.notNegative(RAMP_UP, rampUp);
    Checks.positive(REMEMBERED_ENDED_JOBS, rememberedEndedJobs);
  }

  static IntakeSettings from(ConfigReader r) {
    return new IntakeSettings(
        r.integer(MAX_IN_FLIGHT),
        r.duration(POLL_TIMEOUT),
        r.duration(COMMIT_INTERVAL),
        r.duration(COMMIT_GAP),
        r.duration(SHUTDOWN_GRACE),
        r.duration(TRANSACTION_TIMEOUT),
        r.duration(RESTORE_TIMEOUT),
        r.integer(MAX_WORKER_FAILURES),
        r.duration(RAMP_UP),
        r.integer(REMEMBERED_ENDED_JOBS));
  }
}
