package io.imagefleet.worker.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagefleet.contracts.JobIdentity;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.worker.state.JobState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class SupervisedRunTest {
  private static final JobRequest JOB = JobRequest.builder("job-1", "catalog", "a chair").build();
  private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
  private final List<Run> runs = new ArrayList<>();
  private final List<JobState> startedFrom = new ArrayList<>();
  private final JobHandler handler =
      (job, partition, state, publishedAt, traceparent) -> {
        startedFrom.add(state);
        Run run = new Run();
        runs.add(run);
        return run;
      };

  @Test
  void aRunThatHitAWorkerBugStartsAgainFromWhatItRecorded() {
    SupervisedRun run = SupervisedRun.start(handler, JOB, 0, null, null, null, 3);
    JobState paid =
        JobState.submitted(JobIdentity.of(JOB), 1, "gpt-image-1.5", null, "task-7", 0, NOW, "w1");
    runs.get(0).recorded = paid;
    runs.get(0).ending.completeExceptionally(new IllegalStateException("bug"));

    assertThat(runs).hasSize(2);
    assertThat(startedFrom).containsExactly(null, paid);
    runs.get(1).ending.complete(ending());
    assertThat(run.ending()).isCompleted();
  }

  @Test
  void aStartThatThrowsCountsAsARunAndTheLastFailureEndsIt() {
    List<Integer> starts = new ArrayList<>();
    JobHandler throwing =
        (job, partition, state, publishedAt, traceparent) -> {
          starts.add(starts.size());
          throw new IllegalStateException("cannot start");
        };
    SupervisedRun run = SupervisedRun.start(throwing, JOB, 0, null, null, null, 3);

    assertThat(starts).hasSize(3);
    assertThatThrownBy(() -> run.ending().join())
        .isInstanceOf(CompletionException.class)
        .hasRootCauseMessage("cannot start");
  }

  @Test
  void aCancelledRunIsHandedOverAndNotStartedAgain() {
    SupervisedRun run = SupervisedRun.start(handler, JOB, 0, null, null, null, 3);
    run.cancel();
    runs.get(0).ending.completeExceptionally(new IllegalStateException("stopped mid-way"));

    assertThat(runs.get(0).cancelled).isTrue();
    assertThat(runs).as("a handed-over job is its next owner's").hasSize(1);
    assertThatThrownBy(() -> run.ending().join()).isInstanceOf(CancellationException.class);
  }

  private static JobEnding ending() {
    StatusEvent done = TestEvents.terminal("job-1", JobStatus.SUCCEEDED, NOW, "w1");
    return new JobEnding(done, null);
  }

  private static final class Run implements JobHandler.RunningJob {
    final CompletableFuture<JobEnding> ending = new CompletableFuture<>();
    JobState recorded;
    boolean cancelled;

    @Override
    public CompletableFuture<JobEnding> ending() {
      return ending;
    }

    @Override
    public CompletableFuture<Void> stopCreating() {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void cancel() {
      cancelled = true;
    }

    @Override
    public JobState lastRecordedState() {
      return recorded;
    }
  }
}
