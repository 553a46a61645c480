package io.imagefleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.bench.EventCollector.JobTrace;
import io.imagefleet.sandbox.upstream.TaskTiming;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobTimelineTest {
  private static final Instant T0 = Instant.parse("2026-11-24T12:00:00Z");

  @Test
  void writesEveryEndedJobOfTheBatchInOrderOfAcceptanceInMillisecondsFromTheFirstJob(
      @TempDir Path dir) throws Exception {
    Map<String, Instant> created =
        Map.of("late", T0.plusMillis(5), "early", T0, "unended", T0.plusMillis(1));
    Map<String, JobTrace> traces =
        Map.of(
            "late", trace(40, "task-late", 2100, 2300),
            "early", trace(10, "task-early", 2050, 2250),
            "unended", trace(20, "task-unended", -1, -1),
            "warm-up", trace(1, null, 5, 6)); // not in the measured batch
    Map<String, TaskTiming> tasks =
        Map.of(
            "task-early", new TaskTiming("task-early", T0.plusMillis(30), Duration.ofSeconds(2)),
            "task-late", new TaskTiming("task-late", T0.plusMillis(60), Duration.ofSeconds(2)));

    Path file = JobTimeline.write(dir, created, traces, id -> Optional.ofNullable(tasks.get(id)));

    assertThat(file).isEqualTo(dir.resolve(JobTimeline.FILE));
    assertThat(Files.readAllLines(file))
        .containsExactly(
            JobTimeline.HEADER, "early,0,10,30,2030,2050,2250", "late,5,40,60,2060,2100,2300");
  }

  @Test
  void leavesAMomentItDoesNotKnowEmpty(@TempDir Path dir) throws Exception {
    Path file =
        JobTimeline.write(
            dir, Map.of("j", T0), Map.of("j", trace(3, null, 9, 12)), id -> Optional.empty());

    assertThat(Files.readAllLines(file)).containsExactly(JobTimeline.HEADER, "j,0,3,,,9,12");
  }

  /** A job accepted at {@code accepted} ms, decided and seen at the given ms (-1: not ended). */
  private static JobTrace trace(long accepted, String taskId, long decided, long seen) {
    JobTrace t = new JobTrace();
    t.acceptedAt = T0.plusMillis(accepted);
    t.taskId = taskId;
    if (seen >= 0) {
      t.decidedAt = T0.plusMillis(decided);
      t.endedAt = T0.plusMillis(seen);
    }
    return t;
  }
}
