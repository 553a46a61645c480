package io.imagefleet.bench;

import io.imagefleet.bench.EventCollector.JobTrace;
import io.imagefleet.sandbox.upstream.TaskTiming;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Writes one line per measured job to {@code jobs.csv} in the run's directory: when it was created,
 * accepted, given a task, when that task ended by plan, when the contender decided the job's end
 * and when a {@code read_committed} reader saw it, in milliseconds from the batch's first job. The
 * table says how much a contender lost; this says where: the ramp-up, the bursts of jobs that start
 * and end together, the drain, a straggler (docs/benchmark.md, "Reading the figures").
 */
final class JobTimeline {
  static final String FILE = "jobs.csv";
  static final String HEADER =
      "job_id,created_ms,accepted_ms,task_created_ms,task_ended_ms,decided_ms,seen_ms";

  private JobTimeline() {}

  /**
   * Writes the jobs seen to end, ordered by acceptance; a moment not known (no task, say) is left
   * empty.
   */
  static Path write(
      Path runDir,
      Map<String, Instant> created,
      Map<String, JobTrace> traces,
      Function<String, Optional<TaskTiming>> tasks) {
    Instant origin = created.values().stream().min(Comparator.naturalOrder()).orElse(Instant.EPOCH);
    Path file = runDir.resolve(FILE);
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(HEADER);
      out.write('\n');
      var ended =
          traces.entrySet().stream()
              .filter(e -> e.getValue().endedAt != null && created.containsKey(e.getKey()))
              .sorted(
                  Comparator.comparing(
                      (Map.Entry<String, JobTrace> e) -> e.getValue().acceptedAt,
                      Comparator.nullsLast(Comparator.naturalOrder())))
              .toList();
      for (Map.Entry<String, JobTrace> entry : ended) {
        JobTrace t = entry.getValue();
        Optional<TaskTiming> task = t.taskId == null ? Optional.empty() : tasks.apply(t.taskId);
        out.write(
            String.join(
                ",",
                entry.getKey(),
                since(origin, created.get(entry.getKey())),
                since(origin, t.acceptedAt),
                since(origin, task.map(TaskTiming::createdAt).orElse(null)),
                since(origin, task.map(TaskTiming::endsAt).orElse(null)),
                since(origin, t.decidedAt),
                since(origin, t.endedAt)));
        out.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return file;
  }

  private static String since(Instant origin, Instant moment) {
    return moment == null ? "" : Long.toString(Duration.between(origin, moment).toMillis());
  }
}
