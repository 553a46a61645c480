package io.imagefleet.cli.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.contracts.StoredImage;
import io.imagefleet.worker.config.S3Settings;
import io.imagefleet.worker.config.Secret;
import io.imagefleet.worker.storage.LocalS3;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The console over a worker that stores its images in an S3-compatible store (a real one in this
 * JVM): it serves them, whole and as thumbnails, from the workers' bucket and prefix alone, and
 * neither an answer nor its log names the store or its credentials.
 */
class ConsoleS3IT {
  private static final String BUCKET = "fleet-images";
  private static final String OTHER_BUCKET = "other-images";

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<String> answers = new ArrayList<>();

  @Test
  void servesThumbnailsAndImagesFromTheWorkersBucketOnly() throws Exception {
    Logger imagesLog = (Logger) LoggerFactory.getLogger(ConsoleImages.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    imagesLog.addAppender(logged);
    LocalS3 s3 = LocalS3.start(BUCKET, OTHER_BUCKET);
    boolean s3Stopped = false;
    try (ConsoleFleet fleet =
        new ConsoleFleet(Optional.empty(), s3.workerSettings(BUCKET, "prod/"))) {
      String job = "s3-console-" + fleet.id;
      fleet.submit(JobRequest.builder(job, "team-a", "a red chair").size("3:2").n(2).build());
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> get("/api/jobs?tenant=team-a&status=succeeded", fleet).body().contains(job));
      String key = "prod/team-a/" + job + "/attempt-1/0.png";
      byte[] stored = s3.client().getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();

      HttpResponse<byte[]> full = bytes("/api/image?tenant=team-a&index=0&job=" + job, fleet);
      assertThat(full.statusCode()).isEqualTo(200);
      assertThat(full.headers().firstValue("content-type")).contains("image/png");
      assertThat(full.body()).isEqualTo(stored);

      HttpResponse<byte[]> thumb =
          bytes("/api/image?tenant=team-a&index=0&size=thumb&job=" + job, fleet);
      assertThat(thumb.statusCode()).isEqualTo(200);
      BufferedImage small = ImageIO.read(new ByteArrayInputStream(thumb.body()));
      assertThat(Math.max(small.getWidth(), small.getHeight()))
          .isEqualTo(ConsoleImages.THUMBNAIL_SIDE);
      assertThat(thumb.body().length).isLessThan(stored.length);

      // An event that points into another bucket (the object is there) is not served.
      s3.client().putObject(b -> b.bucket(OTHER_BUCKET).key(key), RequestBody.fromBytes(stored));
      String forged = "forged-" + fleet.id;
      fleet.sendEvent(succeeded(forged, "s3://" + OTHER_BUCKET + "/" + key));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> get("/api/jobs?tenant=team-a", fleet).body().contains(forged));
      assertThat(bytes("/api/image?tenant=team-a&index=0&job=" + forged, fleet).statusCode())
          .isEqualTo(404);
      assertThat(
              bytes("/api/image?tenant=team-a&index=0&size=thumb&job=" + forged, fleet)
                  .statusCode())
          .isEqualTo(404);
      assertThat(bytes("/api/image?tenant=team-a&index=5&job=" + job, fleet).statusCode())
          .isEqualTo(404);

      // The thumbnail made once is kept; with the store gone it is still there, the rest is 502.
      s3.close();
      s3Stopped = true;
      assertThat(
              bytes("/api/image?tenant=team-a&index=0&size=thumb&job=" + job, fleet).statusCode())
          .isEqualTo(200);
      HttpResponse<String> down = get("/api/image?tenant=team-a&index=1&job=" + job, fleet);
      assertThat(down.statusCode()).isEqualTo(502);
      for (int i = 0; i < 3; i++) {
        get("/api/image?tenant=team-a&index=1&job=" + job, fleet);
      }
      assertThat(logged.list)
          .as("a store that is down logs once a minute, not once a request")
          .filteredOn(e -> e.getFormattedMessage().contains("could not be read"))
          .hasSize(1);

      get("/api/job?tenant=team-a&job=" + job, fleet);
      get("/api/jobs", fleet);
      get("/api/fleet", fleet);
      assertThat(answers)
          .isNotEmpty()
          .allSatisfy(
              a ->
                  assertThat(a)
                      .doesNotContain(s3.endpoint().getAuthority())
                      .doesNotContain(LocalS3.ACCESS_KEY)
                      .doesNotContain(LocalS3.SECRET_KEY)
                      .doesNotContain("s3://"));
      assertThat(logged.list)
          .isNotEmpty()
          .allSatisfy(
              e -> {
                assertThat(e.getThrowableProxy()).isNull();
                assertThat(e.getFormattedMessage())
                    .doesNotContain(s3.endpoint().getAuthority())
                    .doesNotContain(LocalS3.ACCESS_KEY)
                    .doesNotContain(LocalS3.SECRET_KEY)
                    .doesNotContain(BUCKET);
              });
    } finally {
      imagesLog.detachAppender(logged);
      if (!s3Stopped) {
        s3.close();
      }
    }
  }

  private HttpResponse<String> get(String path, ConsoleFleet fleet) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(fleet.url(path)).build(), HttpResponse.BodyHandlers.ofString());
    answers.add(r.headers().map() + "\n" + r.body());
    return r;
  }

  private HttpResponse<byte[]> bytes(String path, ConsoleFleet fleet) throws Exception {
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(fleet.url(path)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (!r.headers().firstValue("content-type").orElse("").startsWith("image/")) {
      answers.add(r.headers().map() + "\n" + new String(r.body(), StandardCharsets.UTF_8));
    }
    return r;
  }

  private static StatusEvent succeeded(String job, String location) {
    StoredImage image = new StoredImage(0, location, null, 1234, "image/png", 1536, 1024, "00");
    return new StatusEvent(
        1,
        UUID.randomUUID().toString(),
        job,
        "team-a",
        JobStatus.SUCCEEDED,
        1,
        "r",
        null,
        "task",
        100,
        List.of(image),
        null,
        new BigDecimal("0.011"),
        null,
        1,
        null,
        null,
        null,
        Instant.now(),
        "forger");
  }

  @Test
  void saysAtStartWhenTheWorkersBucketCannotBeRead() throws Exception {
    Logger imagesLog = (Logger) LoggerFactory.getLogger(ConsoleImages.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    imagesLog.addAppender(logged);
    try (LocalS3 s3 = LocalS3.start(BUCKET)) {
      S3Settings wrongSecret =
          new S3Settings(
              Optional.of(s3.endpoint()),
              BUCKET,
              "prod/",
              "us-east-1",
              Optional.of(LocalS3.ACCESS_KEY),
              Optional.of(Secret.of("not-the-secret-key-at-all-000000")),
              true);
      try (ConsoleImages images =
          new ConsoleImages(
              Files.createTempDirectory("console-images"), Optional.of(wrongSecret))) {
        images.checkStore();
      }
      assertThat(logged.list)
          .singleElement()
          .satisfies(
              e ->
                  assertThat(e.getFormattedMessage())
                      .contains("the console shows no images from S3")
                      .contains("403")
                      .doesNotContain(s3.endpoint().getAuthority())
                      .doesNotContain(LocalS3.ACCESS_KEY)
                      .doesNotContain("not-the-secret-key-at-all-000000"));
    } finally {
      imagesLog.detachAppender(logged);
    }
  }
}
