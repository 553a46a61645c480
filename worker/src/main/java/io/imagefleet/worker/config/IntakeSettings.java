package io.imagefleet.worker.config;

import java.time.Duration;

/**
 * The consumer loop's bounds.
 *
 * @param maxInFlight    jobs one worker carries at once; at the cap, intake pauses. Size it from the
 *                       upstream's rate limit times its latency, divided by the number of workers
 * @param pollTimeout    longest wait in one {@code poll}; also bounds how late a completion is committed
 * @param commitInterval how often completed offsets are committed
 * @param shutdownGrace  on SIGTERM, how long in-flight jobs may take to finish before they are released
 *                       to the next owner uncommitted
 * @param transactionTimeout how long the broker keeps a transaction of a vanished worker open before
 *                       aborting it: the longest a new owner waits to restore a partition's state
 * @param restoreTimeout longest wait to restore one partition's job states on assignment
 * @param maxWorkerFailures how many times a job that hits a bug in the worker is run before its record
 *                       is dead-lettered (a poison record must not stop its partition)
 */
public record IntakeSettings(int maxInFlight, Duration pollTimeout, Duration commitInterval, Duration shutdownGrace,
    Duration transactionTimeout, Duration restoreTimeout, int maxWorkerFailures) {
  public IntakeSettings {
    Checks.positive("intake.max-in-flight", maxInFlight);
    Checks.positive("intake.poll-timeout", pollTimeout);
    Checks.positive("intake.commit-interval", commitInterval);
    Checks.positive("intake.shutdown-grace", shutdownGrace);
    Checks.positive("intake.max-worker-failures", maxWorkerFailures);
    Checks.positive("state.transaction-timeout", transactionTimeout);
    Checks.positive("state.restore-timeout", restoreTimeout);
  }
}
