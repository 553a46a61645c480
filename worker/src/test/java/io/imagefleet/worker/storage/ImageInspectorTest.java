package io.imagefleet.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageInspectorTest {

  @Test
  void readsTypeSizeAndHashOfAPng() throws Exception {
    byte[] png = png(64, 32);
    ImageFacts facts = ImageInspector.inspect(png);
    assertThat(facts.contentType()).isEqualTo("image/png");
    assertThat(facts.extension()).isEqualTo("png");
    assertThat(facts.width()).isEqualTo(64);
    assertThat(facts.height()).isEqualTo(32);
    assertThat(facts.bytes()).isEqualTo(png.length);
    assertThat(facts.sha256()).hasSize(64).isEqualTo(ImageInspector.sha256(png));
  }

  @Test
  void refusesBytesThatAreNotAnImage() {
    assertThatThrownBy(
            () ->
                ImageInspector.inspect(
                    "<html>502 Bad Gateway</html>".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(UnusableImageException.class)
        .hasMessageContaining("not a PNG");
  }

  @Test
  void refusesAnImageOfTheWrongPixelSize() throws Exception {
    ImageFacts facts = ImageInspector.inspect(png(64, 32));
    assertThatThrownBy(() -> ImageInspector.verify(facts, 1024, 1024))
        .isInstanceOf(UnusableImageException.class)
        .hasMessageContaining("64x32");
  }

  @Test
  void refusesATruncatedPng() throws Exception {
    byte[] png = png(64, 32);
    byte[] truncated = Arrays.copyOf(png, 12);
    assertThatThrownBy(() -> ImageInspector.inspect(truncated))
        .isInstanceOf(UnusableImageException.class);
  }

  static byte[] png(int width, int height) throws Exception {
    var out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), "png", out);
    return out.toByteArray();
  }
}
