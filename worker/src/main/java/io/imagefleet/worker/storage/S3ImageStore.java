package io.imagefleet.worker.storage;

import io.imagefleet.worker.config.S3Settings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * {@link ImageStore} in an S3-compatible object store: {@code
 * s3://<bucket>/<prefix><tenant>/<job>/attempt-<n>/<index>.<ext>}.
 *
 * <p>The key is the same {@link ImageKey} path as on disk, so a retry or a replay overwrites the
 * object rather than adding one. Each upload carries {@code Content-MD5}, so the store itself
 * refuses bytes damaged on the way, plus the image's content type and its SHA-256 as object
 * metadata. S3 writes are atomic: a reader sees the old object or the new one, never half of one.
 *
 * <p>Uploads use the SDK's blocking client on this store's own small pool ({@code
 * storage.threads}); the client retries throttling and 5xx answers itself. The client ({@link
 * S3Clients}) computes checksums only when an operation requires them; {@code Content-MD5} covers
 * integrity instead.
 */
public final class S3ImageStore implements ImageStore {
  private static final Map<String, String> CONTENT_TYPES =
      Map.of("png", "image/png", "jpg", "image/jpeg", "jpeg", "image/jpeg", "webp", "image/webp");

  /** The object the start-up check writes, under the prefix; no tenant's path begins with a dot. */
  static final String WRITE_CHECK_KEY = ".imagefleet-write-check";

  private static final byte[] WRITE_CHECK_BODY =
      "written by imagefleet workers when they start, to check they may write here\n"
          .getBytes(StandardCharsets.UTF_8);

  /** The start-up check's bound: the SDK's retries included, a worker start waits no longer. */
  private static final Duration WRITE_CHECK_TIMEOUT = Duration.ofSeconds(20);

  private final S3Client s3;
  private final String bucket;
  private final String prefix;
  private final ExecutorService io;

  public S3ImageStore(S3Settings settings, int threads) {
    this.bucket = settings.bucket();
    this.prefix = settings.prefix();
    this.s3 = S3Clients.open(settings);
    AtomicInteger n = new AtomicInteger();
    this.io =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "storage-s3-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * The object key of {@code key}: the prefix, then the same path as in a local directory store.
   */
  public String objectKey(ImageKey key) {
    return prefix + key.relativePath();
  }

  @Override
  public CompletableFuture<String> put(ImageKey key, byte[] bytes) {
    return CompletableFuture.supplyAsync(() -> upload(key, bytes), io);
  }

  private String upload(ImageKey key, byte[] bytes) {
    String objectKey = objectKey(key);
    PutObjectRequest request =
        PutObjectRequest.builder()
            .bucket(bucket)
            .key(objectKey)
            .contentType(CONTENT_TYPES.getOrDefault(key.extension(), "application/octet-stream"))
            .contentLength((long) bytes.length)
            .contentMD5(md5(bytes))
            .metadata(Map.of("sha256", ImageInspector.sha256(bytes)))
            .build();
    s3.putObject(request, RequestBody.fromBytes(bytes));
    return URI.create("s3://" + bucket + "/" + objectKey).toString();
  }

  /**
   * Puts the check object: a write is what the worker needs, and what a bucket policy or a wrong
   * bucket name refuses; reading or listing would prove neither.
   */
  @Override
  public Optional<String> writeRefusal() {
    PutObjectRequest request =
        PutObjectRequest.builder()
            .bucket(bucket)
            .key(prefix + WRITE_CHECK_KEY)
            .contentType("text/plain")
            .contentLength((long) WRITE_CHECK_BODY.length)
            .contentMD5(md5(WRITE_CHECK_BODY))
            .overrideConfiguration(o -> o.apiCallTimeout(WRITE_CHECK_TIMEOUT))
            .build();
    try {
      s3.putObject(request, RequestBody.fromBytes(WRITE_CHECK_BODY));
      return Optional.empty();
    } catch (SdkException e) {
      return Optional.of(
          "the image store takes no writes to bucket "
              + bucket
              + " ("
              + S3Failures.describe(e)
              + "): check storage.s3.*");
    }
  }

  private static String md5(byte[] bytes) {
    return Base64.getEncoder().encodeToString(digest("MD5", bytes));
  }

  private static byte[] digest(String algorithm, byte[] bytes) {
    try {
      return MessageDigest.getInstance(algorithm).digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is required of every JVM", e);
    }
  }

  @Override
  public void close() {
    io.shutdown();
    s3.close();
  }
}
