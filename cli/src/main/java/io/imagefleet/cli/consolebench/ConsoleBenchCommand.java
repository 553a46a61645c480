package io.imagefleet.cli.consolebench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagefleet.contracts.Json;
import io.imagefleet.contracts.Topics;
import io.imagefleet.sandbox.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code imagefleet bench console}: a console in its own JVM under a busy fleet's events, with
 * pages open. Prints and writes what each page received, how late, whether it fell behind, and the
 * console's live heap over the run.
 */
@Command(
    name = "console",
    mixinStandardHelpOptions = true,
    description = {
      "Measures the web console under load: whether its pages keep up and its memory stays flat.",
      "Publishes job life cycles (ACCEPTED, SUBMITTED, RUNNING twice, SUCCEEDED over 3 s) at"
          + " --jobs-per-second to the events topic of an embedded broker for --seconds, with"
          + " `imagefleet console` running in its own JVM and --pages pages reading its event"
          + " stream. Reports events published and delivered per page per second, each page's"
          + " lag (event time to arrival), resyncs (a page that fell behind), whether every page"
          + " saw every job's ending, and the console's live heap after a full GC every"
          + " --heap-every seconds. Writes OUT (default target/bench/console.json)."
    })
public final class ConsoleBenchCommand implements Callable<Integer> {
  private static final int PARTITIONS = 6;

  @Option(
      names = "--jobs-per-second",
      paramLabel = "N",
      defaultValue = "1000",
      description = "Jobs started per second (default ${DEFAULT-VALUE}); 5 events each.")
  int jobsPerSecond;

  @Option(
      names = "--seconds",
      paramLabel = "S",
      defaultValue = "60",
      description = "How long jobs start (default ${DEFAULT-VALUE}); the last end 3 s later.")
  int seconds;

  @Option(
      names = "--pages",
      paramLabel = "N",
      defaultValue = "10",
      description = "Pages reading the event stream (default ${DEFAULT-VALUE}).")
  int pages;

  @Option(
      names = "--console-jobs",
      paramLabel = "N",
      defaultValue = "2000",
      description = "The console's --jobs: jobs it keeps (default ${DEFAULT-VALUE}).")
  int consoleJobs;

  @Option(
      names = "--heap",
      paramLabel = "MB",
      defaultValue = "256",
      description = "The console JVM's -Xmx in MB (default ${DEFAULT-VALUE}).")
  int heapMb;

  @Option(
      names = "--heap-every",
      paramLabel = "S",
      defaultValue = "10",
      description = "Seconds between live-heap samples (default ${DEFAULT-VALUE}).")
  int heapEvery;

  @Option(
      names = "--out",
      paramLabel = "OUT",
      description = "Where the figures go (default: target/bench/console.json under the project).")
  Path out;

  @Spec CommandSpec spec;

  private final PrintStream console = System.out;

  /** One live-heap sample: seconds since the load began, bytes, jobs started by then. */
  record HeapSample(double atSeconds, long bytes, long jobsStarted) {}

  @Override
  public Integer call() throws Exception {
    if (jobsPerSecond < 1 || seconds < 1 || pages < 1 || consoleJobs < 1 || heapEvery < 1) {
      throw new ParameterException(
          spec.commandLine(),
          "--jobs-per-second, --seconds, --pages, --console-jobs and --heap-every must be >= 1");
    }
    Path file =
        (out != null
                ? out
                : Path.of(System.getProperty("imagefleet.home", "."), "target/bench/console.json"))
            .toAbsolutePath()
            .normalize();
    Path work = Files.createTempDirectory("imagefleet-bench-console-");
    String prefix = "cb" + Long.toString(Instant.now().getEpochSecond(), 36);
    console.printf(
        "bench console: %,d jobs/s for %d s (%,d events/s), %d pages, console --jobs %,d,"
            + " -Xmx%dm%n",
        jobsPerSecond,
        seconds,
        jobsPerSecond * LifeCycleLoad.EVENTS_PER_JOB,
        pages,
        consoleJobs,
        heapMb);
    try {
      return run(work, prefix, file);
    } finally {
      // The broker's log of a long run is hundreds of megabytes.
      delete(work);
    }
  }

  private int run(Path work, String prefix, Path file) throws Exception {
    try (EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.builder().dataDir(work.resolve("kafka")).start()) {
      Properties client = new Properties();
      client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      createTopics(client);
      try (ConsoleProcess web =
          ConsoleProcess.start(
              broker.bootstrapServers(),
              consoleJobs,
              heapMb,
              Files.createDirectories(work.resolve("images")),
              work.resolve("console.log"),
              childOptions(),
              Duration.ofSeconds(60))) {
        console.println("  console " + web.url() + " (pid " + web.pid() + ")");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<PageReader> readers = new ArrayList<>();
        try {
          for (int i = 0; i < pages; i++) {
            PageReader page = new PageReader(http, web.url(), prefix, i + 1);
            readers.add(page);
            page.open(Duration.ofSeconds(30));
          }
          ObjectNode figures = measure(client, web, readers, prefix);
          Files.createDirectories(file.getParent());
          Json.mapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), figures);
          console.println("Figures: " + file);
          return 0;
        } finally {
          for (PageReader page : readers) {
            page.close();
          }
        }
      }
    }
  }

  private ObjectNode measure(
      Properties client, ConsoleProcess web, List<PageReader> readers, String prefix)
      throws Exception {
    LifeCycleLoad load =
        new LifeCycleLoad(
            client, Topics.JOB_EVENTS, prefix, jobsPerSecond, Duration.ofSeconds(seconds));
    List<HeapSample> heap = new CopyOnWriteArrayList<>();
    long idle = web.liveHeapBytes();
    heap.add(new HeapSample(0, idle, 0));
    Instant began = Instant.now();
    for (PageReader page : readers) {
      page.settledFrom(began.plus(settling()));
    }
    Duration cpuBefore = web.cpu();
    ScheduledExecutorService sampler =
        Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "bench-console-heap"));
    sampler.scheduleWithFixedDelay(
        () -> {
          try {
            double at = Duration.between(began, Instant.now()).toMillis() / 1000.0;
            long started = Math.min(load.jobs(), (long) (at * jobsPerSecond));
            heap.add(new HeapSample(at, web.liveHeapBytes(), started));
          } catch (Exception e) {
            console.println("  heap sample failed: " + e.getMessage());
          }
        },
        heapEvery,
        heapEvery,
        TimeUnit.SECONDS);
    try {
      load.run();
    } finally {
      sampler.shutdownNow();
      sampler.awaitTermination(60, TimeUnit.SECONDS);
    }
    Duration sending = load.sendingTime();
    Duration cpu = web.cpu().minus(cpuBefore);
    // The pages get what is published within moments, or never: wait for stragglers briefly.
    Instant drained = Instant.now().plusSeconds(15);
    while (Instant.now().isBefore(drained)
        && readers.stream().anyMatch(p -> p.endings() < load.jobs() && p.resyncs() == 0)) {
      TimeUnit.MILLISECONDS.sleep(100);
    }
    long afterRun = web.liveHeapBytes();
    for (PageReader page : readers) {
      page.close();
    }
    return report(load, sending, cpu, readers, heap, idle, afterRun);
  }

  private ObjectNode report(
      LifeCycleLoad load,
      Duration sending,
      Duration cpu,
      List<PageReader> readers,
      List<HeapSample> heap,
      long idle,
      long afterRun) {
    double secs = Math.max(0.001, sending.toMillis() / 1000.0);
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("scenario", "console");
    n.put("jobs_per_second", jobsPerSecond);
    n.put("seconds", seconds);
    n.put("pages", pages);
    n.put("console_jobs", consoleJobs);
    n.put("console_heap_mb", heapMb);
    n.put("jobs", load.jobs());
    n.put("events_published", load.published());
    n.put("events_failed", load.failed());
    n.put("publish_seconds", round(secs, 2));
    n.put("events_published_per_s", round(load.published() / secs, 1));
    console.printf(
        "  published %,d events of %,d jobs in %.1f s: %,.1f events/s (%d failed)%n",
        load.published(), load.jobs(), secs, load.published() / secs, load.failed());
    // Includes the heap samples' full collections: a little more than the console alone needs.
    double cpuMsPerThousand = cpu.toMillis() * 1000.0 / Math.max(1, load.published());
    n.put("console_cpu_s", round(cpu.toMillis() / 1000.0, 2));
    n.put("console_cpu_ms_per_1000_events", round(cpuMsPerThousand, 1));
    console.printf(
        "  console CPU %.1f s over the load: %.1f ms per 1,000 events (to %d pages)%n",
        cpu.toMillis() / 1000.0, cpuMsPerThousand, readers.size());
    console.printf(
        "  %-5s %12s %10s %20s %20s %8s %13s%n",
        "page",
        "job changes",
        "per s",
        "lag p50/p99/max ms",
        "after " + settling().toSeconds() + " s",
        "resyncs",
        "endings seen");
    ArrayNode pageNodes = n.putArray("page_figures");
    boolean allKeptUp = true;
    long worstP99 = 0;
    long worstMax = 0;
    long worstSettledP99 = 0;
    for (PageReader page : readers) {
      Histogram lags = page.lags();
      Histogram settled = page.settledLags();
      boolean complete = page.endings() == load.jobs();
      allKeptUp &= complete && page.resyncs() == 0;
      worstP99 = Math.max(worstP99, lags.getValueAtPercentile(99));
      worstMax = Math.max(worstMax, lags.getMaxValue());
      worstSettledP99 = Math.max(worstSettledP99, settled.getValueAtPercentile(99));
      ObjectNode p = pageNodes.addObject();
      p.put("page", page.index());
      p.put("job_changes", page.jobChanges());
      p.put("job_changes_per_s", round(page.jobChanges() / secs, 1));
      p.put("lag_p50_ms", lags.getValueAtPercentile(50));
      p.put("lag_p99_ms", lags.getValueAtPercentile(99));
      p.put("lag_max_ms", lags.getMaxValue());
      p.put("settled_lag_p50_ms", settled.getValueAtPercentile(50));
      p.put("settled_lag_p99_ms", settled.getValueAtPercentile(99));
      p.put("settled_lag_max_ms", settled.getMaxValue());
      p.put("resyncs", page.resyncs());
      p.put("endings_seen", page.endings());
      p.put("saw_every_ending", complete);
      console.printf(
          "  %-5d %,12d %,10.1f %20s %20s %,8d %,13d%s%n",
          page.index(),
          page.jobChanges(),
          page.jobChanges() / secs,
          lags.getValueAtPercentile(50)
              + "/"
              + lags.getValueAtPercentile(99)
              + "/"
              + lags.getMaxValue(),
          settled.getValueAtPercentile(50)
              + "/"
              + settled.getValueAtPercentile(99)
              + "/"
              + settled.getMaxValue(),
          page.resyncs(),
          page.endings(),
          complete ? "" : " (missed " + (load.jobs() - page.endings()) + ")");
    }
    n.put("every_page_kept_up", allKeptUp);
    n.put("worst_lag_p99_ms", worstP99);
    n.put("worst_lag_max_ms", worstMax);
    n.put("settled_after_s", settling().toSeconds());
    n.put("worst_settled_lag_p99_ms", worstSettledP99);

    ArrayNode samples = n.putArray("live_heap");
    StringBuilder line = new StringBuilder();
    for (HeapSample s : heap) {
      ObjectNode h = samples.addObject();
      h.put("at_s", round(s.atSeconds(), 1));
      h.put("bytes", s.bytes());
      h.put("jobs_started", s.jobsStarted());
      line.append(String.format(" %.0fs %.1f", s.atSeconds(), s.bytes() / 1e6));
    }
    // Bounded means flat once the console holds --console-jobs jobs: compare the first sample
    // after that with the last one taken under load.
    double fullAt = (double) consoleJobs / jobsPerSecond + 3;
    HeapSample firstFull =
        heap.stream().filter(s -> s.atSeconds() >= fullAt).findFirst().orElse(null);
    HeapSample last = heap.get(heap.size() - 1);
    n.put("live_heap_idle_bytes", idle);
    n.put("live_heap_after_run_bytes", afterRun);
    console.println("  console live heap after GC, MB:" + line + "; after the run " + mb(afterRun));
    if (firstFull != null && firstFull != last) {
      n.put("live_heap_first_full_bytes", firstFull.bytes());
      n.put("live_heap_last_bytes", last.bytes());
      n.put("live_heap_last_over_first_full", round((double) last.bytes() / firstFull.bytes(), 3));
      console.printf(
          "  bounded: %s at %.0f s (%,d jobs started, %,d kept) -> %s at %.0f s (%,d jobs"
              + " started): %.2fx%n",
          mb(firstFull.bytes()),
          firstFull.atSeconds(),
          firstFull.jobsStarted(),
          consoleJobs,
          mb(last.bytes()),
          last.atSeconds(),
          last.jobsStarted(),
          (double) last.bytes() / firstFull.bytes());
    }
    console.println(
        allKeptUp
            ? "  every page kept up: no resync, every job's ending seen"
            : "  some page fell behind (a resync or a missed ending): see the table");
    return n;
  }

  private void createTopics(Properties client) throws Exception {
    try (Admin admin = Admin.create(client)) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(Topics.JOB_EVENTS, PARTITIONS, (short) 1),
                  new NewTopic(Topics.DEAD_LETTERS, PARTITIONS, (short) 1),
                  new NewTopic(Topics.WORKERS, 1, (short) 1)))
          .all()
          .get(60, TimeUnit.SECONDS);
    }
  }

  /**
   * The first seconds of a run, apart: both JVMs still compile then, and a short run's lag is
   * mostly theirs.
   */
  private Duration settling() {
    return Duration.ofSeconds(Math.min(10, seconds / 2));
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** To profile the console, e.g. {@code -XX:StartFlightRecording=filename=console.jfr}. */
  private static List<String> childOptions() {
    String extra = System.getenv("IMAGEFLEET_BENCH_CHILD_OPTS");
    return extra == null || extra.isBlank() ? List.of() : List.of(extra.trim().split("\\s+"));
  }

  private static String mb(long bytes) {
    return String.format("%.1f MB", bytes / 1e6);
  }

  private static double round(double v, int places) {
    double f = Math.pow(10, places);
    return Math.round(v * f) / f;
  }
}
