package io.imagefleet.cli.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.worker.config.S3Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageGuardTest {
  @TempDir Path tmp;

  @Test
  void servesAnImageUnderTheStorageDirectory() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("images"));
    Path png =
        Files.write(
            Files.createDirectories(root.resolve("team-a")).resolve("j-0.png"), new byte[] {1});

    Path real = png.toRealPath();

    assertThat(new ImageGuard(root, Optional.empty()).tryResolve(png.toUri().toString()))
        .hasValue(new ImageGuard.LocalImage(real, "image/png"));
  }

  @Test
  void refusesFilesOutsideTheStorageDirectory() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("images"));
    Path outside = Files.write(tmp.resolve("secret.png"), new byte[] {1});
    Files.write(tmp.resolve("images-other.png"), new byte[] {1});
    ImageGuard guard = new ImageGuard(root, Optional.empty());

    assertThat(guard.tryResolve(outside.toUri().toString())).isEmpty();
    assertThat(guard.tryResolve(root.toUri() + "../secret.png")).isEmpty();
    assertThat(guard.tryResolve(root.toUri() + "%2e%2e/secret.png")).isEmpty();
    // A sibling whose name starts with the directory's is not under it.
    assertThat(guard.tryResolve(tmp.resolve("images-other.png").toUri().toString())).isEmpty();
    assertThat(guard.tryResolve("file:///etc/passwd")).isEmpty();
  }

  @Test
  void refusesALinkThatLeadsOutOfTheStorageDirectory() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("images"));
    Path outside = Files.write(tmp.resolve("secret.png"), new byte[] {1});
    Path link = Files.createSymbolicLink(root.resolve("link.png"), outside);

    assertThat(new ImageGuard(root, Optional.empty()).tryResolve(link.toUri().toString()))
        .isEmpty();
  }

  @Test
  void refusesWhatIsNotALocalImageFile() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("images"));
    Path text = Files.writeString(root.resolve("notes.txt"), "hi");
    Files.createDirectories(root.resolve("dir.png"));
    ImageGuard guard = new ImageGuard(root, Optional.empty());

    assertThat(guard.tryResolve(text.toUri().toString())).isEmpty();
    assertThat(guard.tryResolve(root.resolve("dir.png").toUri().toString())).isEmpty();
    assertThat(guard.tryResolve(root.resolve("missing.png").toUri().toString())).isEmpty();
    assertThat(guard.tryResolve("s3://bucket/team-a/j-0.png")).isEmpty();
    assertThat(guard.tryResolve("https://upstream.example/j-0.png")).isEmpty();
    assertThat(guard.tryResolve("file://otherhost" + root.resolve("j.png").toUri().getPath()))
        .isEmpty();
    assertThat(guard.tryResolve("relative/j.png")).isEmpty();
    assertThat(guard.tryResolve("not a uri")).isEmpty();
    assertThat(guard.tryResolve(null)).isEmpty();
  }

  @Test
  void servesAnImageInTheConfiguredBucketUnderItsPrefix() {
    ImageGuard guard = new ImageGuard(tmp, bucket("fleet-images", "prod/"));

    assertThat(guard.tryResolve("s3://fleet-images/prod/team-a/j-1/attempt-1/0.png"))
        .hasValueSatisfying(
            s -> {
              assertThat(s).isInstanceOf(ImageGuard.S3Image.class);
              assertThat(((ImageGuard.S3Image) s).key())
                  .isEqualTo("prod/team-a/j-1/attempt-1/0.png");
              assertThat(s.contentType()).isEqualTo("image/png");
            });
    assertThat(guard.tryResolve("s3://fleet-images/prod/team-a/j-1/attempt-1/1.JPEG"))
        .hasValueSatisfying(s -> assertThat(s.contentType()).isEqualTo("image/jpeg"));
  }

  @Test
  void refusesAnotherBucketOrALocationOutsideThePrefix() {
    ImageGuard guard = new ImageGuard(tmp, bucket("fleet-images", "prod/"));

    assertThat(guard.tryResolve("s3://other-bucket/prod/team-a/j-1/attempt-1/0.png")).isEmpty();
    assertThat(guard.tryResolve("s3://fleet-images.evil/prod/team-a/0.png")).isEmpty();
    assertThat(guard.tryResolve("s3://user@fleet-images/prod/team-a/0.png")).isEmpty();
    assertThat(guard.tryResolve("s3://fleet-images:9000/prod/team-a/0.png")).isEmpty();
    assertThat(guard.tryResolve("s3://fleet-images/staging/team-a/j-1/attempt-1/0.png")).isEmpty();
    assertThat(guard.tryResolve("s3://fleet-images/prod")).isEmpty();
    assertThat(guard.tryResolve("s3:fleet-images/prod/team-a/0.png")).isEmpty();
    assertThat(guard.tryResolve("s3://fleet-images/prod/team-a/0.png?versionId=1")).isEmpty();
    // Without S3 settings no bucket is served at all.
    assertThat(
            new ImageGuard(tmp, Optional.empty())
                .tryResolve("s3://fleet-images/prod/team-a/j-1/attempt-1/0.png"))
        .isEmpty();
  }

  @Test
  void refusesKeysThatOnlyNormalisingWouldBringUnderThePrefix() {
    ImageGuard guard = new ImageGuard(tmp, bucket("fleet-images", "prod/"));

    assertThat(guard.tryResolve("s3://fleet-images/prod/../secrets/0.png")).isEmpty();
    assertThat(guard.tryResolve("s3://fleet-images/prod/./team-a/0.png")).isEmpty();
    assertThat(guard.tryResolve("s3://fleet-images/prod//team-a/0.png")).isEmpty();
    assertThat(guard.tryResolve("s3://fleet-images/prod/%2e%2e/secrets/0.png")).isEmpty();
    assertThat(guard.tryResolve("s3://fleet-images/prod/team-a%2F..%2F..%2Fx/0.png")).isEmpty();
    assertThat(guard.tryResolve("s3://fleet-images/prod/team-a\\..\\0.png")).isEmpty();
  }

  @Test
  void refusesAnS3ObjectThatIsNotAnImage() {
    ImageGuard guard = new ImageGuard(tmp, bucket("fleet-images", ""));

    assertThat(guard.tryResolve("s3://fleet-images/team-a/j-1/attempt-1/0.png")).isPresent();
    assertThat(guard.tryResolve("s3://fleet-images/team-a/j-1/attempt-1/0.txt")).isEmpty();
    assertThat(guard.tryResolve("s3://fleet-images/team-a/j-1/attempt-1/png")).isEmpty();
    assertThat(guard.tryResolve("s3://fleet-images/team-a/j-1.png/attempt-1/0")).isEmpty();
    assertThat(guard.tryResolve("s3://fleet-images/")).isEmpty();
  }

  private static Optional<S3Settings> bucket(String name, String prefix) {
    return Optional.of(
        new S3Settings(
            Optional.empty(),
            name,
            prefix,
            "us-east-1",
            Optional.empty(),
            Optional.empty(),
            false));
  }
}
