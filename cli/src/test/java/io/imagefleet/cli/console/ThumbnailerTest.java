package io.imagefleet.cli.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ThumbnailerTest {
  private final Thumbnailer thumbnailer = new Thumbnailer(256, 40_000_000L);

  @Test
  void scalesAPictureDownToItsLongSideAsJpeg() throws Exception {
    byte[] png = image(1536, 1024, BufferedImage.TYPE_INT_RGB, "png");

    Thumbnailer.Outcome outcome = thumbnailer.scale(png);

    assertThat(outcome).isInstanceOf(Thumbnailer.Scaled.class);
    Thumbnailer.Thumbnail thumb = ((Thumbnailer.Scaled) outcome).thumbnail();
    assertThat(thumb.contentType()).isEqualTo("image/jpeg");
    BufferedImage read = ImageIO.read(new ByteArrayInputStream(thumb.bytes()));
    assertThat(read.getWidth()).isEqualTo(256);
    assertThat(read.getHeight()).isEqualTo(171);
    assertThat(thumb.bytes().length).isLessThan(png.length);
  }

  @Test
  void keepsTransparencyAsPngAndNeverScalesUp() throws Exception {
    byte[] png = image(100, 300, BufferedImage.TYPE_INT_ARGB, "png");

    Thumbnailer.Thumbnail thumb = ((Thumbnailer.Scaled) thumbnailer.scale(png)).thumbnail();

    assertThat(thumb.contentType()).isEqualTo("image/png");
    BufferedImage read = ImageIO.read(new ByteArrayInputStream(thumb.bytes()));
    assertThat(read.getWidth()).isEqualTo(85);
    assertThat(read.getHeight()).isEqualTo(256);
    assertThat(read.getColorModel().hasAlpha()).isTrue();

    BufferedImage small =
        ImageIO.read(
            new ByteArrayInputStream(
                ((Thumbnailer.Scaled)
                        thumbnailer.scale(image(40, 20, BufferedImage.TYPE_INT_RGB, "jpg")))
                    .thumbnail()
                    .bytes()));
    assertThat(small.getWidth()).isEqualTo(40);
    assertThat(small.getHeight()).isEqualTo(20);
  }

  @Test
  void refusesAHeaderThatClaimsAHugeCanvasBeforeDecodingIt() throws Exception {
    // A decompression bomb: a few bytes claiming 100,000 x 100,000 pixels.
    byte[] bomb = withPngSize(image(8, 8, BufferedImage.TYPE_INT_RGB, "png"), 100_000, 100_000);

    assertThat(thumbnailer.scale(bomb)).isEqualTo(new Thumbnailer.TooManyPixels(100_000, 100_000));
    assertThat(new Thumbnailer(256, 1_000).scale(image(40, 30, BufferedImage.TYPE_INT_RGB, "png")))
        .isEqualTo(new Thumbnailer.TooManyPixels(40, 30));
  }

  @Test
  void saysWhatItCannotDecode() {
    assertThat(thumbnailer.scale("not an image".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(Thumbnailer.NotDecodable.class);
    // A real header over damaged data.
    byte[] png = new byte[120];
    System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 0, png, 0, 8);
    assertThat(thumbnailer.scale(png)).isInstanceOf(Thumbnailer.NotDecodable.class);
  }

  static byte[] image(int width, int height, int type, String format) throws Exception {
    BufferedImage image = new BufferedImage(width, height, type);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.ORANGE);
    g.fillRect(0, 0, width / 2, height);
    g.setColor(Color.BLUE);
    g.fillOval(width / 4, height / 4, width / 2, height / 2);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(image, format, out)).isTrue();
    return out.toByteArray();
  }

  /** {@code png} with its header's width and height replaced (and the header's checksum fixed). */
  private static byte[] withPngSize(byte[] png, int width, int height) {
    ByteBuffer b = ByteBuffer.wrap(png.clone());
    // Signature (8), IHDR length (4), "IHDR" (4), then width and height.
    b.putInt(16, width).putInt(20, height);
    CRC32 crc = new CRC32();
    crc.update(b.array(), 12, 17);
    b.putInt(29, (int) crc.getValue());
    return b.array();
  }
}
