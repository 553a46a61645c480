package io.imagefleet.worker.upstream;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * The upstream image API, asynchronous: no call blocks a thread while waiting for the network, and
 * no returned future completes exceptionally (failures are {@link UpstreamOutcome.Failure}).
 */
public interface UpstreamClient extends AutoCloseable {

  /** {@code POST /v1/images/generations}: asks for a task; costs money once accepted. */
  CompletableFuture<UpstreamOutcome<UpstreamTask>> create(CreateTaskRequest request);

  /** {@code GET /v1/tasks/{id}}: free. */
  CompletableFuture<UpstreamOutcome<UpstreamTask>> query(String taskId);

  /** Downloads one result link (no credentials are sent to it). */
  CompletableFuture<UpstreamOutcome<Download>> download(URI link);

  @Override
  void close();

  /** A downloaded body with its declared media type. */
  record Download(byte[] body, String contentType) {}
}
