package io.imagefleet.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;

/**
 * CPU time of the upstream simulator's threads in this JVM (its HTTP server's dispatcher, handler
 * pool and delay scheduler), so a run can show that the simulator was not what limited it.
 */
final class SimulatorCpu {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private SimulatorCpu() {}

  static Duration now() {
    long nanos = 0;
    for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info != null && isSimulator(info.getThreadName())) {
        nanos += Math.max(0, THREADS.getThreadCpuTime(info.getThreadId()));
      }
    }
    return Duration.ofNanos(nanos);
  }

  static boolean isSimulator(String threadName) {
    return threadName.startsWith("upstream-sim-") || threadName.equals("HTTP-Dispatcher");
  }
}
