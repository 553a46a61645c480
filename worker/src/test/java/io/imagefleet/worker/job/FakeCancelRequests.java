package io.imagefleet.worker.job;

import io.imagefleet.contracts.CancelRequest;
import io.imagefleet.contracts.JobRequest;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Cancel requests a test publishes by hand: {@link #publish} tells every watching run it covers, as
 * the control topic reader does; rounds are applied at once unless {@link #holdRounds()}.
 */
final class FakeCancelRequests implements CancelRequests {
  private record Watching(JobRequest job, Instant publishedAt, Consumer<CancelRequest> onCancel) {}

  private final List<Watching> watching = new CopyOnWriteArrayList<>();
  private final List<CancelRequest> published = new CopyOnWriteArrayList<>();
  private volatile CompletableFuture<Void> round = CompletableFuture.completedFuture(null);

  @Override
  public Watch watch(JobRequest job, Instant publishedAt, Consumer<CancelRequest> onCancel) {
    Watching w = new Watching(job, publishedAt, onCancel);
    watching.add(w);
    published.stream()
        .filter(r -> r.covers(job.tenant(), job.jobId(), publishedAt))
        .findFirst()
        .ifPresent(onCancel);
    return () -> watching.remove(w);
  }

  @Override
  public CompletableFuture<Void> appliedThrough(Instant at) {
    return round;
  }

  /** Jobs wait at their first creation until {@link #endRound()}. */
  void holdRounds() {
    round = new CompletableFuture<>();
  }

  void endRound() {
    round.complete(null);
  }

  void publish(CancelRequest request) {
    published.add(request);
    for (Watching w : watching) {
      if (request.covers(w.job().tenant(), w.job().jobId(), w.publishedAt())) {
        w.onCancel().accept(request);
      }
    }
  }

  int watches() {
    return watching.size();
  }
}
