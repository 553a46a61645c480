package io.imagefleet.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDirectoryImageStoreTest {
  @TempDir Path root;
  private LocalDirectoryImageStore store;

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  @Test
  void writesTheImageUnderTheKeysPathAndLeavesNoTemporaryFile() throws Exception {
    store = new LocalDirectoryImageStore(root, 2);

    String location =
        store.put(new ImageKey("acme", "job-1", 1, 0, "png"), new byte[] {1, 2, 3}).join();

    Path image = root.resolve("acme/job-1/attempt-1/0.png");
    assertThat(Path.of(URI.create(location))).isEqualTo(image.toAbsolutePath().normalize());
    assertThat(Files.readAllBytes(image)).containsExactly(1, 2, 3);
    assertThat(filesUnder(root)).containsExactly(image);
  }

  @Test
  void writingAKeyAgainReplacesTheImage() throws Exception {
    store = new LocalDirectoryImageStore(root, 2);
    ImageKey key = new ImageKey("acme", "job-1", 1, 0, "png");

    store.put(key, new byte[] {1}).join();
    store.put(key, new byte[] {2, 2}).join();

    assertThat(Files.readAllBytes(root.resolve(key.relativePath()))).containsExactly(2, 2);
    assertThat(filesUnder(root)).hasSize(1);
  }

  @Test
  void concurrentWritesOfOneKeyFromTwoStoresNeverShareATemporaryFile() throws Exception {
    // Two workers (a zombie and the partition's next owner) may store the same image at once.
    store = new LocalDirectoryImageStore(root, 4);
    try (LocalDirectoryImageStore other = new LocalDirectoryImageStore(root, 4)) {
      ImageKey key = new ImageKey("acme", "job-1", 1, 0, "png");
      byte[] bytes = new byte[64 * 1024];
      List<CompletableFuture<String>> writes = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        writes.add((i % 2 == 0 ? store : other).put(key, bytes));
      }

      CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();

      assertThat(Files.size(root.resolve(key.relativePath()))).isEqualTo(bytes.length);
      assertThat(filesUnder(root)).hasSize(1);
    }
  }

  @Test
  void aFailedWriteLeavesNoTemporaryFileBehind() throws Exception {
    store = new LocalDirectoryImageStore(root, 1);
    ImageKey key = new ImageKey("acme", "job-1", 1, 0, "png");
    // The image's name is taken by a non-empty directory: the move into place fails after the
    // write.
    Files.createDirectories(root.resolve(key.relativePath()).resolve("blocker"));

    assertThatThrownBy(() -> store.put(key, new byte[] {1, 2, 3}).join())
        .hasCauseInstanceOf(UncheckedIOException.class);
    assertThat(filesUnder(root)).isEmpty();
  }

  @Test
  void refusesAKeyThatEscapesTheDirectory() {
    store = new LocalDirectoryImageStore(root, 1);

    assertThatThrownBy(
            () -> store.put(new ImageKey("..", "..", 1, 0, "png"), new byte[] {1}).join())
        .hasCauseInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theWriteCheckCreatesTheDirectoryAndLeavesNothingInIt() throws Exception {
    Path images = root.resolve("not-yet/images");
    store = new LocalDirectoryImageStore(images, 1);

    assertThat(store.writeRefusal()).isEmpty();
    assertThat(images).isDirectory();
    assertThat(filesUnder(root)).isEmpty();
  }

  @Test
  void theWriteCheckSaysWhyADirectoryTakesNoWrites() throws Exception {
    Path file = Files.write(root.resolve("a-file"), new byte[] {1});
    store = new LocalDirectoryImageStore(file.resolve("images"), 1);

    assertThat(store.writeRefusal())
        .hasValueSatisfying(
            why ->
                assertThat(why)
                    .contains("the storage directory " + file.resolve("images"))
                    .contains("takes no writes")
                    .contains("storage.directory"));
  }

  private static List<Path> filesUnder(Path dir) throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).toList();
    }
  }
}
