package io.imagefleet.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagefleet.worker.config.S3Settings;
import io.imagefleet.worker.config.Secret;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The S3 image store against a real S3-compatible server on this machine (S3Proxy, in this JVM).
 */
class S3ImageStoreIT {
  private static final String BUCKET = "imagefleet-images";
  private static LocalS3 server;

  @BeforeAll
  static void startServer() throws Exception {
    server = LocalS3.start(BUCKET);
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  private static S3Settings settings(String secret) {
    return new S3Settings(
        Optional.of(server.endpoint()),
        BUCKET,
        "fleet-a/",
        "us-east-1",
        Optional.of(LocalS3.ACCESS_KEY),
        Optional.of(Secret.of(secret)),
        true);
  }

  private static byte[] png(int width, int height, int rgb) throws Exception {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, rgb);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  @Test
  void storesAnImageUnderItsDeterministicKeyWithTypeAndChecksum() throws Exception {
    byte[] bytes = png(64, 96, 0x336699);
    ImageKey key = new ImageKey("catalog", "job-1", 1, 0, "png");
    try (S3ImageStore store = new S3ImageStore(settings(LocalS3.SECRET_KEY), 2)) {
      String location = store.put(key, bytes).join();

      assertThat(location).isEqualTo("s3://" + BUCKET + "/fleet-a/catalog/job-1/attempt-1/0.png");
      ResponseBytes<GetObjectResponse> stored =
          server
              .client()
              .getObjectAsBytes(b -> b.bucket(BUCKET).key("fleet-a/catalog/job-1/attempt-1/0.png"));
      assertThat(stored.asByteArray()).isEqualTo(bytes);
      assertThat(stored.response().contentType()).isEqualTo("image/png");
      assertThat(stored.response().metadata())
          .containsEntry("sha256", ImageInspector.sha256(bytes));
      ImageFacts facts = ImageInspector.inspect(stored.asByteArray());
      assertThat(facts.width()).isEqualTo(64);
      assertThat(facts.height()).isEqualTo(96);
    }
  }

  @Test
  void aRetryOfTheSameImageOverwritesInsteadOfAddingACopy() throws Exception {
    ImageKey key = new ImageKey("catalog", "job-2", 1, 3, "png");
    byte[] second = png(32, 32, 0xff0000);
    try (S3ImageStore store = new S3ImageStore(settings(LocalS3.SECRET_KEY), 2)) {
      store.put(key, png(32, 32, 0x00ff00)).join();
      store.put(key, second).join();
    }
    var listed =
        server.client().listObjectsV2(b -> b.bucket(BUCKET).prefix("fleet-a/catalog/job-2/"));
    assertThat(listed.contents()).hasSize(1);
    assertThat(
            server
                .client()
                .getObjectAsBytes(b -> b.bucket(BUCKET).key(listed.contents().get(0).key()))
                .asByteArray())
        .isEqualTo(second);
  }

  @Test
  void aStoreThatRefusesTheCredentialsFailsThePut() throws Exception {
    try (S3ImageStore store = new S3ImageStore(settings("not-the-secret-key-at-all-000000"), 1)) {
      assertThatThrownBy(
              () -> store.put(new ImageKey("catalog", "job-3", 1, 0, "png"), png(8, 8, 0)).join())
          .isInstanceOf(CompletionException.class);
    }
    assertThat(
            server
                .client()
                .listObjectsV2(b -> b.bucket(BUCKET).prefix("fleet-a/catalog/job-3/"))
                .contents())
        .isEmpty();
  }

  @Test
  void theWriteCheckPutsItsObjectUnderThePrefix() throws Exception {
    try (S3ImageStore store = new S3ImageStore(settings(LocalS3.SECRET_KEY), 1)) {
      assertThat(store.writeRefusal()).isEmpty();
    }
    assertThat(
            server
                .client()
                .headObject(b -> b.bucket(BUCKET).key("fleet-a/" + S3ImageStore.WRITE_CHECK_KEY))
                .contentLength())
        .isPositive();
  }

  @Test
  void theWriteCheckSaysWhyTheStoreRefusesWithoutNamingTheEndpointOrTheKeys() throws Exception {
    String secret = "not-the-secret-key-at-all-000000";
    try (S3ImageStore store = new S3ImageStore(settings(secret), 1)) {
      assertThat(store.writeRefusal())
          .hasValueSatisfying(
              why ->
                  assertThat(why)
                      .contains("bucket " + BUCKET)
                      .contains("S3 answered 403")
                      .doesNotContain(secret)
                      .doesNotContain(LocalS3.ACCESS_KEY)
                      .doesNotContain(String.valueOf(server.endpoint().getPort())));
    }
  }

  @Test
  void theReaderSeesTheWriteCheckAndSaysWhyItCannotRead() throws Exception {
    try (S3ImageStore store = new S3ImageStore(settings(LocalS3.SECRET_KEY), 1);
        S3ImageReader reader = new S3ImageReader(settings(LocalS3.SECRET_KEY));
        S3ImageReader refused = new S3ImageReader(settings("not-the-secret-key-at-all-000000"))) {
      assertThat(store.writeRefusal()).isEmpty();
      assertThat(reader.readRefusal()).isEmpty();
      assertThat(refused.readRefusal())
          .hasValueSatisfying(why -> assertThat(why).contains("bucket " + BUCKET).contains("403"));
    }
  }
}
