package io.imagefleet.cli.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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

    assertThat(new ImageGuard(root).tryResolve(png.toUri().toString()))
        .hasValueSatisfying(
            s -> {
              assertThat(s.contentType()).isEqualTo("image/png");
              assertThat(s.path()).isEqualTo(real);
            });
  }

  @Test
  void refusesFilesOutsideTheStorageDirectory() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("images"));
    Path outside = Files.write(tmp.resolve("secret.png"), new byte[] {1});
    Files.write(tmp.resolve("images-other.png"), new byte[] {1});
    ImageGuard guard = new ImageGuard(root);

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

    assertThat(new ImageGuard(root).tryResolve(link.toUri().toString())).isEmpty();
  }

  @Test
  void refusesWhatIsNotALocalImageFile() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("images"));
    Path text = Files.writeString(root.resolve("notes.txt"), "hi");
    Files.createDirectories(root.resolve("dir.png"));
    ImageGuard guard = new ImageGuard(root);

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
}
