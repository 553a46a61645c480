package io.imagefleet.bench.contenders;

import io.imagefleet.worker.Worker;
import io.imagefleet.worker.config.WorkerConfig;

/** The production worker, started exactly as {@code imagefleet worker} starts it. */
final class WorkerContender implements Contender {
  private final Worker worker;

  WorkerContender(WorkerConfig config) {
    this.worker = Worker.start(config);
  }

  @Override
  public int inFlight() {
    return worker.inFlight();
  }

  @Override
  public void close() {
    worker.close();
  }
}
