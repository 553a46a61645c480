package io.imagefleet.worker.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.imagefleet.contracts.ErrorCodes;
import io.imagefleet.worker.config.Secret;
import io.imagefleet.worker.config.UpstreamSettings;
import io.imagefleet.worker.config.UpstreamSettings.UnconfirmedSubmission;
import io.imagefleet.worker.upstream.UpstreamClient.Download;
import io.imagefleet.worker.upstream.UpstreamOutcome.Failure;
import io.imagefleet.worker.upstream.UpstreamOutcome.Success;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Result downloads against a real local HTTP server: size cap, destination check, concurrency
 * bound.
 */
class HttpUpstreamClientDownloadTest {
  private static final int CAP = 4096;

  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger inProgress = new AtomicInteger();
  private final AtomicInteger mostAtOnce = new AtomicInteger();
  private final CountDownLatch release = new CountDownLatch(1);
  private final HttpServer server = startServer();

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  @Test
  void downloadsAnImageWithinTheCap() {
    try (HttpUpstreamClient client = client(true, 4)) {
      Download image = ((Success<Download>) client.download(link("/bytes/4096")).join()).value();
      assertThat(image.body()).hasSize(CAP);
    }
  }

  @Test
  void refusesAnImageThatDeclaresMoreThanTheCap() {
    try (HttpUpstreamClient client = client(true, 4)) {
      Failure<Download> failure = (Failure<Download>) client.download(link("/bytes/4097")).join();
      assertThat(failure.code()).isEqualTo(ErrorCodes.DOWNLOAD_TOO_LARGE);
      assertThat(failure.kind()).as("never retried").isEqualTo(FailureKind.REJECTED);
    }
  }

  @Test
  void stopsReadingAnUndeclaredBodyOnceItPassesTheCap() {
    try (HttpUpstreamClient client = client(true, 4)) {
      // Chunked, no Content-Length, and far larger than the cap: reading stops at the cap.
      Failure<Download> failure =
          (Failure<Download>) client.download(link("/chunked/100000000")).join();
      assertThat(failure.code()).isEqualTo(ErrorCodes.DOWNLOAD_TOO_LARGE);
    }
  }

  @Test
  void refusesALoopbackLinkUnlessPrivateDownloadsAreAllowed() {
    try (HttpUpstreamClient client = client(false, 4)) {
      Failure<Download> failure = (Failure<Download>) client.download(link("/bytes/10")).join();
      assertThat(failure.code()).isEqualTo(ErrorCodes.INVALID_UPSTREAM_RESULT);
      assertThat(failure.message()).contains("127.0.0.1");
      Failure<Download> metadata =
          (Failure<Download>)
              client.download(URI.create("http://169.254.169.254/latest/meta-data/")).join();
      assertThat(metadata.code()).isEqualTo(ErrorCodes.INVALID_UPSTREAM_RESULT);
      assertThat(requests).as("nothing was sent").hasValue(0);
    }
  }

  @Test
  void neverHasMoreDownloadsInProgressThanTheBound() throws Exception {
    try (HttpUpstreamClient client = client(true, 2)) {
      List<CompletableFuture<UpstreamOutcome<Download>>> downloads = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        downloads.add(client.download(link("/slow/" + i)));
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> requests.get() == 2);
      await()
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(2))
          .until(() -> requests.get() == 2);
      release.countDown();
      CompletableFuture.allOf(downloads.toArray(CompletableFuture[]::new))
          .get(10, TimeUnit.SECONDS);
      assertThat(downloads).allSatisfy(d -> assertThat(d.join()).isInstanceOf(Success.class));
      assertThat(mostAtOnce).hasValue(2);
    }
  }

  /**
   * Counts a held request as in progress only while it waits: the count drops before the answer is
   * written, because once the client has the answer it may rightly start the next download before
   * this handler thread gets to run again.
   */
  private void holdUntilReleased() {
    mostAtOnce.accumulateAndGet(inProgress.incrementAndGet(), Math::max);
    try {
      release.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      inProgress.decrementAndGet();
    }
  }

  private HttpServer startServer() {
    try {
      HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
      s.setExecutor(Executors.newFixedThreadPool(8));
      s.createContext(
          "/",
          exchange -> {
            requests.incrementAndGet();
            try (exchange) {
              String[] path = exchange.getRequestURI().getPath().split("/");
              if (path[1].equals("slow")) {
                holdUntilReleased();
              }
              long size = path[1].equals("slow") ? 10 : Long.parseLong(path[2]);
              exchange.sendResponseHeaders(200, path[1].equals("chunked") ? 0 : size);
              try (OutputStream out = exchange.getResponseBody()) {
                byte[] block = new byte[8192];
                for (long sent = 0; sent < size; sent += block.length) {
                  out.write(block, 0, (int) Math.min(block.length, size - sent));
                }
              }
            } catch (IOException e) {
              // the client hung up on purpose (a download past the cap)
            }
          });
      s.start();
      return s;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private URI link(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  private static HttpUpstreamClient client(boolean allowPrivate, int maxConcurrent) {
    return new HttpUpstreamClient(
        new UpstreamSettings(
            URI.create("http://127.0.0.1:1"),
            Secret.of("sk-test"),
            Duration.ofSeconds(2),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            2,
            8,
            100,
            UnconfirmedSubmission.RESUBMIT,
            CAP,
            maxConcurrent,
            allowPrivate));
  }
}
