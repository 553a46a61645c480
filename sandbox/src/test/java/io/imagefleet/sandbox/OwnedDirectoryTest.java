package io.imagefleet.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnedDirectoryTest {
  @TempDir Path tmp;

  @Test
  void claimsANewDirectoryAndClearsItOnTheNextRun() throws Exception {
    Path dir = OwnedDirectory.claim(tmp.resolve("data/demo"), "demo");
    Files.createDirectories(dir.resolve("images/job-1"));
    Files.writeString(dir.resolve("images/job-1/0.png"), "png");

    assertThat(OwnedDirectory.claim(dir, "demo")).isEqualTo(dir);
    try (var entries = Files.list(dir)) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .containsExactly(OwnedDirectory.MARKER);
    }
  }

  @Test
  void claimsAnEmptyDirectory() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertThat(OwnedDirectory.claim(empty, "sandbox").resolve(OwnedDirectory.MARKER)).exists();
  }

  @Test
  void refusesADirectoryWithFilesOfSomeoneElseAndTouchesNothing() throws Exception {
    Path file = Files.writeString(tmp.resolve("README.md"), "a checkout");
    assertThatThrownBy(() -> OwnedDirectory.claim(tmp, "demo"))
        .isInstanceOf(OwnedDirectory.ForeignDirectoryException.class)
        .hasMessageContaining(
            "was not made by imagefleet (it holds README.md): nothing was deleted");
    assertThat(file).hasContent("a checkout");
    assertThat(tmp.resolve(OwnedDirectory.MARKER)).doesNotExist();
  }

  @Test
  void refusesAFile() throws Exception {
    Path file = Files.writeString(tmp.resolve("data"), "x");
    assertThatThrownBy(() -> OwnedDirectory.claim(file, "demo"))
        .isInstanceOf(OwnedDirectory.ForeignDirectoryException.class);
    assertThat(file).hasContent("x");
  }
}
