package io.imagefleet.worker.config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach the upstream gateway.
 *
 * @param baseUrl         e.g. {@code https://api.evolink.ai}; the simulator's URL in the sandbox
 * @param apiKey          sent as {@code Authorization: Bearer}; never logged
 * @param connectTimeout  TCP/TLS connect timeout
 * @param requestTimeout  timeout of one create or query call (a hung connection ends here)
 * @param downloadTimeout timeout of one image download
 * @param httpThreads     threads of the HTTP client's executor: they parse responses, they never wait
 * @param maxConnections  connections the HTTP client keeps to one host (the gateway, or one result-link
 *                        host); requests beyond them wait for a free one, within their own timeout
 * @param maxCallsPerJob  upstream calls (creates, polls, downloads, retries included) one job attempt may
 *                        make; a job that needs more fails rather than hammering the upstream
 * @param onUnconfirmedSubmission what a job does after a task creation whose answer never arrived (the
 *                        call timed out or broke, or the worker making it crashed): the upstream may
 *                        have accepted and billed it, and it has no idempotency key to ask
 * @param maxDownloadBytes most bytes of one result image; a larger one fails its job with
 *                        {@code download_too_large}, and reading stops there
 * @param maxConcurrentDownloads result images this worker downloads at once; more wait their turn
 * @param allowPrivateDownloads development only: let result links reach loopback and private addresses
 *                        (a local simulator); link-local addresses, the cloud metadata service among
 *                        them, stay refused
 */
public record UpstreamSettings(
    URI baseUrl,
    Secret apiKey,
    Duration connectTimeout,
    Duration requestTimeout,
    Duration downloadTimeout,
    int httpThreads,
    int maxConnections,
    int maxCallsPerJob,
    UnconfirmedSubmission onUnconfirmedSubmission,
    long maxDownloadBytes,
    int maxConcurrentDownloads,
    boolean allowPrivateDownloads) {

  public static final long DEFAULT_MAX_DOWNLOAD_BYTES = 50L * 1024 * 1024;

  /** The choice between a job's result and the risk of paying for a task twice. */
  public enum UnconfirmedSubmission {
    /** Submit again: the job gets its images; the upstream may bill the lost task too (the default). */
    RESUBMIT,
    /** Fail the job with {@code submission_unconfirmed}: never pay twice, at the cost of the job. */
    FAIL;

    static UnconfirmedSubmission parse(String text) {
      return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
        case "resubmit" -> RESUBMIT;
        case "fail" -> FAIL;
        default -> throw new ConfigException("upstream.unconfirmed-submission must be resubmit or fail, but was '"
            + text + "'");
      };
    }
  }

  public UpstreamSettings {
    Objects.requireNonNull(baseUrl, "upstream.base-url");
    if (apiKey == null || apiKey.isEmpty()) {
      throw new ConfigException("upstream.api-key must be set (or upstream.api-key-file, or env "
          + "IMAGEFLEET_UPSTREAM_API_KEY), but was missing");
    }
    Checks.positive("upstream.connect-timeout", connectTimeout);
    Checks.positive("upstream.request-timeout", requestTimeout);
    Checks.positive("upstream.download-timeout", downloadTimeout);
    Checks.positive("upstream.http-threads", httpThreads);
    Checks.positive("upstream.max-connections", maxConnections);
    Checks.positive("upstream.max-calls-per-job", maxCallsPerJob);
    Objects.requireNonNull(onUnconfirmedSubmission, "upstream.unconfirmed-submission");
    Checks.positive("upstream.max-download-bytes", maxDownloadBytes);
    // The whole image is held in memory for verification before it is stored.
    if (maxDownloadBytes > Integer.MAX_VALUE - 8) {
      throw new ConfigException("upstream.max-download-bytes must be at most " + (Integer.MAX_VALUE - 8)
          + ", but was " + maxDownloadBytes);
    }
    Checks.positive("upstream.max-concurrent-downloads", maxConcurrentDownloads);
  }
}
