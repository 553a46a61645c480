package io.imagefleet.worker.job;

import io.imagefleet.contracts.TokenUsage;
import io.imagefleet.worker.upstream.CreateTaskRequest;
import io.imagefleet.worker.upstream.FailureKind;
import io.imagefleet.worker.upstream.TaskState;
import io.imagefleet.worker.upstream.UpstreamClient;
import io.imagefleet.worker.upstream.UpstreamOutcome;
import io.imagefleet.worker.upstream.UpstreamOutcome.Failure;
import io.imagefleet.worker.upstream.UpstreamTask;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * An upstream scripted by the test. Each kind of call takes its next answer from its own queue and,
 * when that is empty, answers as a healthy upstream would: a creation is accepted as a new task, a
 * query finds the task completed with one link per image, a download is a PNG of 1024x1024. Every
 * call is written to the trail. Answers are completed futures, so a run goes on on the caller's
 * thread.
 */
final class FakeUpstream implements UpstreamClient {
  static final Duration ESTIMATE = Duration.ofSeconds(10);
  static final TokenUsage USAGE = new TokenUsage(20, 0, 0, 1000, 0, 1020);

  final Deque<UpstreamOutcome<UpstreamTask>> creates = new ArrayDeque<>();
  final Deque<UpstreamOutcome<UpstreamTask>> queries = new ArrayDeque<>();
  final Deque<UpstreamOutcome<Download>> downloads = new ArrayDeque<>();
  final List<CreateTaskRequest> created = new ArrayList<>();
  private final Consumer<String> trail;
  private int tasks;
  private int lastN = 1;

  FakeUpstream(Consumer<String> trail) {
    this.trail = trail;
  }

  @Override
  public CompletableFuture<UpstreamOutcome<UpstreamTask>> create(CreateTaskRequest request) {
    trail.accept("create " + request.model());
    created.add(request);
    lastN = request.n();
    UpstreamOutcome<UpstreamTask> answer =
        creates.isEmpty()
            ? UpstreamOutcome.success(task("task-" + ++tasks, TaskState.PENDING, 0))
            : creates.poll();
    return CompletableFuture.completedFuture(answer);
  }

  @Override
  public CompletableFuture<UpstreamOutcome<UpstreamTask>> query(String taskId) {
    trail.accept("query " + taskId);
    UpstreamOutcome<UpstreamTask> answer =
        queries.isEmpty()
            ? UpstreamOutcome.success(completed(taskId, links(taskId, lastN)))
            : queries.poll();
    return CompletableFuture.completedFuture(answer);
  }

  @Override
  public CompletableFuture<UpstreamOutcome<Download>> download(URI link) {
    trail.accept("download " + link);
    UpstreamOutcome<Download> answer =
        downloads.isEmpty()
            ? UpstreamOutcome.success(new Download(png(1024, 1024), "image/png"))
            : downloads.poll();
    return CompletableFuture.completedFuture(answer);
  }

  @Override
  public void close() {}

  static UpstreamTask task(String id, TaskState state, int progress) {
    return new UpstreamTask(id, state, progress, ESTIMATE, List.of(), null, null, null);
  }

  static UpstreamTask completed(String id, List<String> links) {
    return new UpstreamTask(id, TaskState.COMPLETED, 100, ESTIMATE, links, USAGE, null, null);
  }

  static UpstreamTask failedTask(String id, String code) {
    return new UpstreamTask(
        id, TaskState.FAILED, 0, ESTIMATE, List.of(), null, code, "the task failed: " + code);
  }

  static List<String> links(String taskId, int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> "https://files.test/" + taskId + "/" + i + ".png")
        .toList();
  }

  static <T> Failure<T> failure(FailureKind kind, String code, int httpStatus) {
    return new Failure<>(kind, code, "upstream said " + code, httpStatus, Optional.empty());
  }

  /**
   * The smallest bytes the image inspector reads as a PNG of this pixel size: signature and IHDR.
   */
  static byte[] png(int width, int height) {
    ByteBuffer b = ByteBuffer.allocate(45);
    b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    b.putInt(13).put(new byte[] {'I', 'H', 'D', 'R'}).putInt(width).putInt(height);
    b.put(new byte[] {8, 2, 0, 0, 0});
    return b.array();
  }
}
