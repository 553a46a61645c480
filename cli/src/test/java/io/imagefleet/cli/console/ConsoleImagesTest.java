package io.imagefleet.cli.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleImagesTest {
  @TempDir Path root;

  private ConsoleImages images(long maxPixels) {
    return new ConsoleImages(
        new ImageGuard(root, Optional.empty()),
        new StoredImages(Optional.empty()),
        new Thumbnailer(256, maxPixels),
        new ThumbnailCache(10, 1_000_000));
  }

  @Test
  void answersAThumbnailMadeOnceWithoutReadingTheImageAgain() throws Exception {
    Path png =
        Files.write(
            root.resolve("0.png"),
            ThumbnailerTest.image(1024, 512, BufferedImage.TYPE_INT_RGB, "png"));
    Optional<String> location = Optional.of(png.toUri().toString());
    ConsoleImages images = images(40_000_000L);

    ConsoleImages.Answer first = images.thumbnail(location);
    // Were it read again, a different picture would give a different thumbnail.
    Files.write(png, ThumbnailerTest.image(300, 900, BufferedImage.TYPE_INT_ARGB, "png"));
    ConsoleImages.Answer again = images.thumbnail(location);

    assertThat(first).isInstanceOf(ConsoleImages.Image.class);
    assertThat(((ConsoleImages.Image) first).contentType()).isEqualTo("image/jpeg");
    assertThat(again).isInstanceOf(ConsoleImages.Image.class);
    assertThat(((ConsoleImages.Image) again).bytes())
        .isEqualTo(((ConsoleImages.Image) first).bytes());
    Files.delete(png);
    assertThat(images.full(location)).isEqualTo(new ConsoleImages.Refusal(404, notServed()));
  }

  @Test
  void sendsWhatItCannotScaleWholeAndRefusesABomb() throws Exception {
    byte[] webp = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P'};
    Path w = Files.write(root.resolve("0.webp"), webp);
    Path big =
        Files.write(
            root.resolve("1.png"),
            ThumbnailerTest.image(40, 40, BufferedImage.TYPE_INT_RGB, "png"));
    ConsoleImages images = images(1_000);

    ConsoleImages.Answer whole = images.thumbnail(Optional.of(w.toUri().toString()));

    assertThat(whole).isInstanceOf(ConsoleImages.Image.class);
    assertThat(((ConsoleImages.Image) whole).bytes()).isEqualTo(webp);
    assertThat(((ConsoleImages.Image) whole).contentType()).isEqualTo("image/webp");
    assertThat(images.thumbnail(Optional.of(big.toUri().toString())))
        .isInstanceOf(ConsoleImages.Refusal.class)
        .extracting(a -> ((ConsoleImages.Refusal) a).status())
        .isEqualTo(413);
    assertThat(images.thumbnail(Optional.empty()))
        .isEqualTo(new ConsoleImages.Refusal(404, notServed()));
  }

  private static String notServed() {
    return "no such image in the console's storage directory or bucket\n";
  }
}
