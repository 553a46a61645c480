package io.imagefleet.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.contracts.ErrorCodes;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.contracts.StoredImage;
import io.imagefleet.worker.events.StatusEvents.Routing;
import io.imagefleet.worker.upstream.FailureKind;
import io.imagefleet.worker.upstream.UpstreamClient.Download;
import io.imagefleet.worker.upstream.UpstreamOutcome;
import io.imagefleet.worker.upstream.UpstreamOutcome.Failure;
import io.imagefleet.worker.upstream.UpstreamOutcome.Success;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ImageCollectionTest {
  private final JobFixture fixture = new JobFixture();
  private final Attempt attempt = fixture.attempt(JobFixture.job("images-1").n(2).build());
  private final ImageCollection collection = new ImageCollection(attempt, fixture.services);

  private UpstreamOutcome<List<StoredImage>> collect(List<String> links) {
    CompletableFuture<UpstreamOutcome<List<StoredImage>>> collected =
        collection.collect(
            fixture.route(JobFixture.ROUTE), FakeUpstream.completed("task-1", links));
    fixture.scheduler.runUntil(collected::isDone, Duration.ofMinutes(5));
    assertThat(collected).isCompleted();
    return collected.join();
  }

  private static Failure<?> failure(UpstreamOutcome<?> outcome) {
    assertThat(outcome).isInstanceOf(Failure.class);
    return (Failure<?>) outcome;
  }

  private static UpstreamOutcome<Download> wrongSize() {
    return UpstreamOutcome.success(new Download(FakeUpstream.png(512, 512), "image/png"));
  }

  @Test
  void storesEveryImageInTheOrderOfTheResults() {
    UpstreamOutcome<List<StoredImage>> outcome = collect(FakeUpstream.links("task-1", 2));

    List<StoredImage> images = ((Success<List<StoredImage>>) outcome).value();
    assertThat(images).extracting(StoredImage::index).containsExactly(0, 1);
    assertThat(images)
        .extracting(StoredImage::sourceUrl)
        .containsExactly("https://files.test/task-1/0.png", "https://files.test/task-1/1.png");
    assertThat(images.get(0).location()).startsWith("mem://");
    assertThat(fixture.stored).containsOnlyKeys(0, 1);
  }

  @Test
  void unusableResultsFailWithoutDownloadingAnything() {
    Failure<?> failure = failure(collect(List.of("https://files.test/0.png")));

    assertThat(failure.code()).isEqualTo(ErrorCodes.INVALID_UPSTREAM_RESULT);
    assertThat(fixture.calls("download")).isZero();
  }

  @Test
  void anImageThatFailsVerificationIsFetchedAgainByTheRoutesRetry() {
    fixture.upstream.downloads.add(wrongSize());
    UpstreamOutcome<List<StoredImage>> outcome = collect(FakeUpstream.links("task-1", 2));

    assertThat(outcome).isInstanceOf(Success.class);
    assertThat(fixture.calls("download")).isEqualTo(3);
  }

  @Test
  void verificationIsRetriedWithinRetryMaxAttemptsLikeAnyDownload() {
    for (int i = 0; i < 10; i++) {
      fixture.upstream.downloads.add(wrongSize());
    }
    Failure<?> failure = failure(collect(FakeUpstream.links("task-1", 2)));

    assertThat(failure.code()).isEqualTo(ErrorCodes.IMAGE_DOWNLOAD_FAILED);
    assertThat(failure.message())
        .isEqualTo("image 0: image is 512x512 but the job asked for 1024x1024");
    assertThat(fixture.calls("download")).as("retry.max-attempts for each image").isEqualTo(8);
    assertThat(fixture.calls("store")).isZero();
  }

  @Test
  void theFirstImageThatFailedByPositionEndsTheJob() {
    fixture.upstream.downloads.add(
        UpstreamOutcome.success(new Download(FakeUpstream.png(1024, 1024), "image/png")));
    for (int i = 0; i < 4; i++) {
      fixture.upstream.downloads.add(
          FakeUpstream.failure(FailureKind.TRANSIENT, "download_http_503", 503));
    }
    Failure<?> failure = failure(collect(FakeUpstream.links("task-1", 2)));

    assertThat(failure.message()).startsWith("image 1: ");
    assertThat(failure.code()).isEqualTo(ErrorCodes.IMAGE_DOWNLOAD_FAILED);
  }

  @Test
  void aRefusedDownloadKeepsItsCodeAndIsNotRetried() {
    fixture.upstream.downloads.add(
        FakeUpstream.failure(FailureKind.REJECTED, ErrorCodes.DOWNLOAD_TOO_LARGE, 0));
    Failure<?> failure = failure(collect(FakeUpstream.links("task-1", 2)));

    assertThat(failure.code()).isEqualTo(ErrorCodes.DOWNLOAD_TOO_LARGE);
    assertThat(fixture.calls("download")).as("the refused one once, the other once").isEqualTo(2);
  }

  @Test
  void anImageThatCannotBeStoredFailsWithStorageFailed() {
    fixture.storageFails = true;
    Failure<?> failure = failure(collect(FakeUpstream.links("task-1", 2)));

    assertThat(failure.code()).isEqualTo(ErrorCodes.STORAGE_FAILED);
    assertThat(failure.message()).isEqualTo("image 0 could not be stored");
  }

  @Test
  void everyDownloadCountsAgainstTheJobsCallBudget() {
    fixture.upstream.downloads.add(wrongSize());
    collect(FakeUpstream.links("task-1", 2));

    StatusEvent failed =
        fixture
            .services
            .events()
            .failed(attempt.job(), Routing.NONE, null, JobFailures.unconfirmedError());
    assertThat(attempt.withCounts(failed).upstreamCalls()).isEqualTo(3);
  }
}
