package io.imagefleet.worker.storage;

import io.imagefleet.worker.config.S3Settings;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The one way to build an S3 client from {@link S3Settings}, so that whoever writes images (the
 * worker) and whoever reads them (the console) sign, address and time out alike.
 *
 * <p>Checksums are computed only when an operation requires them, which every S3-compatible server
 * understands (newer SDK defaults send trailing checksums that several of them refuse).
 */
final class S3Clients {
  private S3Clients() {}

  static S3Client open(S3Settings settings) {
    AwsCredentialsProvider credentials =
        settings.accessKeyId().isPresent()
            ? StaticCredentialsProvider.create(
                AwsBasicCredentials.create(
                    settings.accessKeyId().get(),
                    settings.secretAccessKey().orElseThrow().reveal()))
            : DefaultCredentialsProvider.builder().build();
    S3ClientBuilder builder =
        S3Client.builder()
            .region(Region.of(settings.region()))
            .credentialsProvider(credentials)
            .forcePathStyle(settings.pathStyle())
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .httpClient(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(10))
                    .socketTimeout(Duration.ofSeconds(60))
                    .build());
    settings.endpoint().ifPresent(builder::endpointOverride);
    return builder.build();
  }
}
