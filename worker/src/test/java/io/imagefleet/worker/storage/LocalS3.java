package io.imagefleet.worker.storage;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.awaitility.Awaitility;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server (S3Proxy over an in-memory jclouds blob store) on 127.0.0.1, started
 * in the test JVM. It checks AWS signatures (v2 and v4), so a client with wrong credentials is
 * refused.
 */
public final class LocalS3 implements AutoCloseable {
  public static final String ACCESS_KEY = "AKIAIMAGEFLEETTEST01";
  public static final String SECRET_KEY = "imagefleet-test-secret-key-0123456789";

  private final S3Proxy proxy;
  private final BlobStoreContext context;
  private final S3Client client;

  private LocalS3(S3Proxy proxy, BlobStoreContext context) {
    this.proxy = proxy;
    this.context = context;
    this.client =
        S3Client.builder()
            .endpointOverride(endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
            .forcePathStyle(true)
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .httpClient(UrlConnectionHttpClient.create())
            .build();
  }

  /** Starts a server with the given buckets created. */
  public static LocalS3 start(String... buckets) throws Exception {
    BlobStoreContext context =
        ContextBuilder.newBuilder("transient")
            .credentials("unused", "unused")
            .overrides(new Properties())
            .build(BlobStoreContext.class);
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(context.getBlobStore())
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .endpoint(URI.create("http://127.0.0.1:0"))
            .build();
    proxy.start();
    // start() returns before Jetty has bound its port; the port is known once it has started.
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> "STARTED".equals(proxy.getState()));
    LocalS3 s3 = new LocalS3(proxy, context);
    for (String bucket : buckets) {
      s3.client.createBucket(b -> b.bucket(bucket));
    }
    return s3;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  /** A client of its own, to read what the worker stored. */
  public S3Client client() {
    return client;
  }

  /** Worker configuration keys that point {@code storage.type=s3} here. */
  public Map<String, String> workerSettings(String bucket, String prefix) {
    Map<String, String> values = new HashMap<>();
    values.put("storage.type", "s3");
    values.put("storage.s3.endpoint", endpoint().toString());
    values.put("storage.s3.bucket", bucket);
    values.put("storage.s3.prefix", prefix);
    values.put("storage.s3.region", "us-east-1");
    values.put("storage.s3.access-key-id", ACCESS_KEY);
    values.put("storage.s3.secret-access-key", SECRET_KEY);
    values.put("storage.s3.path-style", "true");
    return values;
  }

  @Override
  public void close() throws Exception {
    client.close();
    proxy.stop();
    context.close();
  }
}
