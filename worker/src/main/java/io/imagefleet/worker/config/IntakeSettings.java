package io.imagefleet.worker.config;

import java.time.Duration;

/**
 * The consumer loop's bounds.
 *
 * @param maxInFlight    jobs one worker carries at once; at the cap, intake pauses. Size it from the
 *                       upstream's rate limit times its latency, divided by the number of workers
 * @param pollTimeout    longest wait in one {@code poll}; also bounds how late a completion is committed
 * @param commitInterval how often completed offsets are committed
 * @param commitGap      the least time between a transaction's end and the next one's start, so the
 *                       broker has completed the first (see docs/configuration.md)
 * @param shutdownGrace  on SIGTERM, how long in-flight jobs may take to finish before they are released
 *                       to the next owner uncommitted
 * @param transactionTimeout how long the broker keeps a transaction of a vanished worker open before
 *                       aborting it: the longest a new owner waits to restore a partition's state
 * @param restoreTimeout longest wait to restore one partition's job states on assignment
 * @param maxWorkerFailures how many times a job that hits a bug in the worker is run before its record
 *                       is dead-lettered (a poison record must not stop its partition)
 * @param rememberedEndedJobs per partition, how many ended jobs the intake remembers to answer a
 *                       second record of one as a duplicate at once; older ones are forgotten once
 *                       committed (the state topic keeps them for a replay or the next owner)
 * @param rampUp         slow start: how long the in-flight cap takes to open fully when records come to
 *                       an idle worker or intake resumes after a pause, so that a backlog is not created
 *                       at the upstream in one burst (zero opens it at once)
 */
public record IntakeSettings(int maxInFlight, Duration pollTimeout, Duration commitInterval, Duration commitGap,
    Duration shutdownGrace, Duration transactionTimeout, Duration restoreTimeout, int maxWorkerFailures, Duration rampUp,
    int rememberedEndedJobs) {
  public IntakeSettings {
    Checks.positive("intake.max-in-flight", maxInFlight);
    Checks.positive("intake.poll-timeout", pollTimeout);
    Checks.positive("intake.commit-interval", commitInterval);
    Checks.notNegative("intake.commit-gap", commitGap);
    Checks.positive("intake.shutdown-grace", shutdownGrace);
    Checks.positive("intake.max-worker-failures", maxWorkerFailures);
    Checks.positive("state.transaction-timeout", transactionTimeout);
    Checks.positive("state.restore-timeout", restoreTimeout);
    Checks.notNegative("intake.ramp-up", rampUp);
    Checks.positive("state.remembered-ended-jobs", rememberedEndedJobs);
  }
}
