package io.imagefleet.worker.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How to reach the upstream gateway.
 *
 * @param baseUrl e.g. {@code https://api.evolink.ai}; the simulator's URL in the sandbox
 * @param apiKey sent as {@code Authorization: Bearer}; never logged
 * @param connectTimeout TCP/TLS connect timeout
 * @param requestTimeout timeout of one create or query call (a hung connection ends here)
 * @param downloadTimeout timeout of one image download
 * @param httpThreads threads of the HTTP client's executor: they parse responses, they never wait
 * @param maxConnections connections the HTTP client keeps to one host (the gateway, or one
 *     result-link host); requests beyond them wait for a free one, within their own timeout
 * @param maxCallsPerJob upstream calls (creates, polls, downloads, retries included) one job
 *     attempt may make; a job that needs more fails rather than hammering the upstream
 * @param onUnconfirmedSubmission what a job does after a task creation whose answer never arrived
 *     (the call timed out or broke, or the worker making it crashed): the upstream may have
 *     accepted and billed it, and it has no idempotency key to ask
 * @param maxDownloadBytes most bytes of one result image; a larger one fails its job with {@code
 *     download_too_large}, and reading stops there
 * @param maxConcurrentDownloads result images this worker downloads at once; more wait their turn
 * @param allowPrivateDownloads development only: let result links reach loopback and private
 *     addresses (a local simulator); link-local addresses, the cloud metadata service among them,
 *     stay refused
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

  static final Key BASE_URL = Key.of("upstream.base-url");
  static final Key API_KEY = Key.of("upstream.api-key");
  static final Key API_KEY_FILE = Key.of("upstream.api-key-file");
  static final Key CONNECT_TIMEOUT = Key.of("upstream.connect-timeout", "5s");
  static final Key REQUEST_TIMEOUT = Key.of("upstream.request-timeout", "30s");
  static final Key DOWNLOAD_TIMEOUT = Key.of("upstream.download-timeout", "60s");
  static final Key HTTP_THREADS = Key.of("upstream.http-threads", "4");
  static final Key MAX_CONNECTIONS = Key.of("upstream.max-connections", "256");
  static final Key MAX_CALLS_PER_JOB = Key.of("upstream.max-calls-per-job", "200");
  static final Key UNCONFIRMED_SUBMISSION = Key.of("upstream.unconfirmed-submission", "resubmit");
  static final Key MAX_DOWNLOAD_BYTES =
      Key.of("upstream.max-download-bytes", String.valueOf(DEFAULT_MAX_DOWNLOAD_BYTES));
  static final Key MAX_CONCURRENT_DOWNLOADS = Key.of("upstream.max-concurrent-downloads", "16");
  static final Key ALLOW_PRIVATE_DOWNLOADS = Key.of("upstream.allow-private-downloads", "false");
  static final List<Key> KEYS =
      List.of(
          BASE_URL,
          API_KEY,
          API_KEY_FILE,
          CONNECT_TIMEOUT,
          REQUEST_TIMEOUT,
          DOWNLOAD_TIMEOUT,
          HTTP_THREADS,
          MAX_CONNECTIONS,
          MAX_CALLS_PER_JOB,
          UNCONFIRMED_SUBMISSION,
          MAX_DOWNLOAD_BYTES,
          MAX_CONCURRENT_DOWNLOADS,
          ALLOW_PRIVATE_DOWNLOADS);

  /** The choice between a job's result and the risk of paying for a task twice. */
  public enum UnconfirmedSubmission {
    /**
     * Submit again: the job gets its images; the upstream may bill the lost task too (the default).
     */
    RESUBMIT,
    /**
     * Fail the job with {@code submission_unconfirmed}: never pay twice, at the cost of the job.
     */
    FAIL;

    static UnconfirmedSubmission parse(String text) {
      return switch (text.trim().toLowerCase(Locale.ROOT)) {
        case "resubmit" -> RESUBMIT;
        case "fail" -> FAIL;
        default ->
            throw new ConfigException(
                UNCONFIRMED_SUBMISSION.name()
                    + " must be resubmit or fail, but was '"
                    + text
                    + "'");
      };
    }
  }

  public UpstreamSettings {
    Objects.requireNonNull(baseUrl, BASE_URL.name());
    if (apiKey == null || apiKey.isEmpty()) {
      throw new ConfigException(
          API_KEY.name()
              + " must be set (or "
              + API_KEY_FILE.name()
              + ", or env "
              + API_KEY.envName()
              + "), but was missing");
    }
    Checks.positive(CONNECT_TIMEOUT, connectTimeout);
    Checks.positive(REQUEST_TIMEOUT, requestTimeout);
    Checks.positive(DOWNLOAD_TIMEOUT, downloadTimeout);
    Checks.positive(HTTP_THREADS, httpThreads);
    Checks.positive(MAX_CONNECTIONS, maxConnections);
    Checks.positive(MAX_CALLS_PER_JOB, maxCallsPerJob);
    Objects.requireNonNull(onUnconfirmedSubmission, UNCONFIRMED_SUBMISSION.name());
    Checks.positive(MAX_DOWNLOAD_BYTES, maxDownloadBytes);
    // The whole image is held in memory for verification before it is stored.
    if (maxDownloadBytes > Integer.MAX_VALUE - 8) {
      throw new ConfigException(
          MAX_DOWNLOAD_BYTES.name()
              + " must be at most "
              + (Integer.MAX_VALUE - 8)
              + ", but was "
              + maxDownloadBytes);
    }
    Checks.positive(MAX_CONCURRENT_DOWNLOADS, maxConcurrentDownloads);
  }

  static UpstreamSettings from(ConfigReader r) {
    return new UpstreamSettings(
        r.uri(BASE_URL),
        r.secret(API_KEY, API_KEY_FILE).orElse(null),
        r.duration(CONNECT_TIMEOUT),
        r.duration(REQUEST_TIMEOUT),
        r.duration(DOWNLOAD_TIMEOUT),
        r.integer(HTTP_THREADS),
        r.integer(MAX_CONNECTIONS),
        r.integer(MAX_CALLS_PER_JOB),
        UnconfirmedSubmission.parse(r.string(UNCONFIRMED_SUBMISSION)),
        r.wholeNumber(MAX_DOWNLOAD_BYTES),
        r.integer(MAX_CONCURRENT_DOWNLOADS),
        r.bool(ALLOW_PRIVATE_DOWNLOADS));
  }
}
