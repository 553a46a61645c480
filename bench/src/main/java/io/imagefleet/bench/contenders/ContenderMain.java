package io.imagefleet.bench.contenders;

import io.imagefleet.worker.cli.WorkerCommand;
import io.imagefleet.worker.config.ConfigLoader;
import io.imagefleet.worker.config.WorkerConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The main class of one contender's JVM. Each contender runs in a JVM of its own, with the same
 * heap limit and collector, so that CPU time ({@code /proc/<pid>/stat}), peak RSS ({@code VmHWM})
 * and heap are the contender's alone and not the benchmark's (which hosts the broker and the
 * simulator).
 *
 * <p>Usage: {@code ContenderMain <imagefleet|parallel-consumer|sequential> <worker.properties>}.
 * The configuration is the worker's own format; the alternatives read the same keys (in-flight cap,
 * topics, upstream, polling). Talks to the benchmark by lines on stdout that start with {@value
 * #PREFIX}, and takes commands on stdin: {@code gc} (collect, then report the live heap and the
 * jobs in flight), {@code status}, {@code stop} (close, report the peak heap, exit).
 */
public final class ContenderMain {
  public static final String PREFIX = "BENCH ";

  private ContenderMain() {}

  public static void main(String[] args) throws IOException {
    // As `imagefleet worker` does, for every contender: they all use the worker's HTTP client.
    WorkerCommand.ensureCommonPool();
    Kind kind = Kind.parse(args[0]);
    WorkerConfig config = ConfigLoader.load(Path.of(args[1]), System.getenv());
    PrintStream out = System.out;
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    AtomicLong peakHeap = new AtomicLong();
    ScheduledExecutorService sampler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "bench-heap-sampler");
              t.setDaemon(true);
              return t;
            });
    sampler.scheduleAtFixedRate(
        () -> peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max),
        0,
        20,
        TimeUnit.MILLISECONDS);

    Contender contender =
        switch (kind) {
          case IMAGEFLEET -> new WorkerContender(config);
          case PARALLEL_CONSUMER -> new ParallelConsumerContender(config);
          case SEQUENTIAL -> new SequentialContender(config);
        };
    out.println(PREFIX + "started pid=" + ProcessHandle.current().pid());
    out.flush();

    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String command;
    while ((command = in.readLine()) != null) {
      switch (command.trim()) {
        case "gc" -> {
          System.gc();
          System.gc();
          out.println(
              PREFIX
                  + "live_heap="
                  + memory.getHeapMemoryUsage().getUsed()
                  + " in_flight="
                  + contender.inFlight());
        }
        case "status" ->
            out.println(
                PREFIX
                    + "in_flight="
                    + contender.inFlight()
                    + " heap="
                    + memory.getHeapMemoryUsage().getUsed()
                    + " peak_heap="
                    + peakHeap.get());
        case "stop" -> {
          long peak = peakHeap.get();
          contender.close();
          out.println(PREFIX + "stopped peak_heap=" + peak);
          out.flush();
          System.exit(0);
        }
        default -> out.println(PREFIX + "error unknown command '" + command + "'");
      }
      out.flush();
    }
    contender.close();
    System.exit(0);
  }
}
