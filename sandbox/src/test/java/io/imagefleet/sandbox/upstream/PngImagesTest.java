package io.imagefleet.sandbox.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PngImagesTest {

  private final PngImages images = new PngImages();

  @ParameterizedTest(name = "{0} -> {1}x{2}")
  @CsvSource({
    "1:1, 1024, 1024",
    "1024x1024, 1024, 1024",
    "2:3, 1024, 1536",
    "1024x1536, 1024, 1536",
    "3:2, 1536, 1024",
    "1536x1024, 1536, 1024"
  })
  void servesRealPngsOfTheRequestedPixelSize(String sizeName, int width, int height)
      throws IOException {
    ImageSize size = ImageSize.parse(sizeName).orElseThrow();
    PngImages.PngImage png = images.image(size, 3);
    BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png.bytes()));
    assertThat(decoded).isNotNull();
    assertThat(decoded.getWidth()).isEqualTo(width);
    assertThat(decoded.getHeight()).isEqualTo(height);
  }

  @Test
  void paintsEachSizeAndVariantOnceAndReportsItsHash() {
    PngImages.PngImage first = images.image(ImageSize.LANDSCAPE, 2);
    assertThat(images.image(ImageSize.LANDSCAPE, 2)).isSameAs(first);
    assertThat(first.sha256()).isEqualTo(PngImages.sha256(first.bytes())).hasSize(64);
  }

  @Test
  void variantsDifferInBytesAndColours() throws IOException {
    Set<String> hashes = new HashSet<>();
    Set<Integer> corners = new HashSet<>();
    for (int v = 0; v < PngImages.VARIANTS; v++) {
      PngImages.PngImage png = images.image(ImageSize.SQUARE, v);
      hashes.add(png.sha256());
      corners.add(ImageIO.read(new ByteArrayInputStream(png.bytes())).getRGB(0, 0));
    }
    assertThat(hashes).hasSize(PngImages.VARIANTS);
    assertThat(corners).hasSizeGreaterThan(1);
  }

  @Test
  void variantOfAResultIsStable() {
    assertThat(PngImages.variantFor("task-unified-1-abcd", 0))
        .isEqualTo(PngImages.variantFor("task-unified-1-abcd", 0))
        .isBetween(0, PngImages.VARIANTS - 1);
  }
}
