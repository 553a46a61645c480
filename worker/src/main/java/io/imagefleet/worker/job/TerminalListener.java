package io.imagefleet.worker.job;

import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.StatusEvent;

/**
 * Told when a job attempt's terminal event is durable (Kafka acknowledged it), for work that
 * follows a job's end without being part of it, such as delivering its callback. Called on the
 * producer's IO thread: an implementation hands its work to its own threads and returns at once,
 * and whatever it does never delays or changes the job's ending.
 */
public interface TerminalListener {
  void onTerminal(JobRequest job, StatusEvent terminal);

  TerminalListener NONE = (job, terminal) -> {};
}
