package io.imagefleet.worker.job;

import io.imagefleet.contracts.ImageSize;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.StoredImage;
import io.imagefleet.worker.resilience.RouteGuard;
import io.imagefleet.worker.storage.ImageFacts;
import io.imagefleet.worker.storage.ImageInspector;
import io.imagefleet.worker.storage.ImageKey;
import io.imagefleet.worker.storage.UnusableImageException;
import io.imagefleet.worker.tracing.SpanNames;
import io.imagefleet.worker.tracing.TraceStep;
import io.imagefleet.worker.upstream.ResultCheck;
import io.imagefleet.worker.upstream.UpstreamClient.Download;
import io.imagefleet.worker.upstream.UpstreamOutcome;
import io.imagefleet.worker.upstream.UpstreamOutcome.Failure;
import io.imagefleet.worker.upstream.UpstreamOutcome.Success;
import io.imagefleet.worker.upstream.UpstreamTask;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;

/**
 * Collects a completed task's images: checks its result links, downloads each image, verifies it is
 * the image the job asked for, and stores it. The task is paid for either way: an unusable answer,
 * a failed download or a failed store is a failure to end the job with, never an exception.
 */
final class ImageCollection {
  private static final Logger log = JobLog.RUN;

  private final Attempt attempt;
  private final JobServices s;

  ImageCollection(Attempt attempt, JobServices services) {
    this.attempt = attempt;
    this.s = services;
  }

  /**
   * The stored images in the order of the task's results, or the failure of the first image (by
   * position) that could not be collected. Completes once every image is stored or has failed.
   */
  CompletableFuture<UpstreamOutcome<List<StoredImage>>> collect(
      RouteGuard route, UpstreamTask task) {
    UpstreamOutcome<List<URI>> checked = ResultCheck.check(task, attempt.job().n());
    if (checked instanceof Failure<List<URI>> unusable) {
      return CompletableFuture.completedFuture(unusable.retyped());
    }
    List<URI> links = ((Success<List<URI>>) checked).value();
    List<CompletableFuture<UpstreamOutcome<StoredImage>>> saves = new ArrayList<>();
    for (int i = 0; i < links.size(); i++) {
      saves.add(save(route, i, links.get(i)));
    }
    return CompletableFuture.allOf(saves.toArray(CompletableFuture[]::new))
        .thenApply(
            all -> {
              List<StoredImage> images = new ArrayList<>();
              for (CompletableFuture<UpstreamOutcome<StoredImage>> save : saves) {
                UpstreamOutcome<StoredImage> outcome = save.join();
                if (outcome instanceof Failure<StoredImage> failure) {
                  return failure.retyped();
                }
                images.add(((Success<StoredImage>) outcome).value());
              }
              return UpstreamOutcome.success(List.copyOf(images));
            });
  }

  /**
   * Downloads and verifies one image, then stores it. The route's retry is the one retry layer: it
   * fetches the image again after a transient download failure and after bytes that fail
   * verification.
   */
  private CompletableFuture<UpstreamOutcome<StoredImage>> save(
      RouteGuard route, int index, URI link) {
    return route
        .retryOnly(
            () ->
                attempt.budgeted(
                    () ->
                        Traced.call(
                            attempt
                                .trace()
                                .imageStep(SpanNames.IMAGE_DOWNLOAD, route.model(), index),
                            () -> downloadVerified(index, link))))
        .thenCompose(
            outcome -> {
              if (outcome instanceof Failure<Verified> failure) {
                return CompletableFuture.completedFuture(failure.retyped());
              }
              Verified image = ((Success<Verified>) outcome).value();
              ImageFacts facts = image.facts();
              JobRequest job = attempt.job();
              ImageKey key =
                  new ImageKey(job.tenant(), job.jobId(), job.attempt(), index, facts.extension());
              TraceStep stored =
                  attempt.trace().imageStep(SpanNames.IMAGE_STORE, route.model(), index);
              return s.store()
                  .put(key, image.bytes())
                  .whenComplete(
                      (location, error) -> {
                        if (error == null) {
                          stored.end();
                        } else {
                          stored.fail("storage_failed");
                        }
                      })
                  .handle(
                      (location, error) ->
                          error != null
                              ? JobFailures.<StoredImage>storageFailed(index)
                              : UpstreamOutcome.success(
                                  new StoredImage(
                                      index,
                                      location,
                                      link.toString(),
                                      facts.bytes(),
                                      facts.contentType(),
                                      facts.width(),
                                      facts.height(),
                                      facts.sha256())));
            });
  }

  /**
   * One download whose bytes are checked: an image other than the one asked for fails like a
   * download.
   */
  private CompletableFuture<UpstreamOutcome<Verified>> downloadVerified(int index, URI link) {
    return s.upstream()
        .download(link)
        .thenApply(
            outcome -> {
              if (outcome instanceof Failure<Download> failure) {
                return JobFailures.downloadFailed(index, failure);
              }
              byte[] bytes = ((Success<Download>) outcome).value().body();
              try {
                ImageFacts facts = ImageInspector.inspect(bytes);
                ImageSize size = attempt.job().imageSize().orElseThrow();
                ImageInspector.verify(facts, size.width(), size.height());
                return UpstreamOutcome.success(new Verified(bytes, facts));
              } catch (UnusableImageException e) {
                JobLog.warn(
                    log, attempt, "image {} failed verification ({})", index, e.getMessage());
                return JobFailures.unusableImage(index, e.getMessage());
              }
            });
  }

  /** Downloaded bytes that passed verification, with what the check read from them. */
  private record Verified(byte[] bytes, ImageFacts facts) {}
}
