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
 * @param maxCallsPerJob  upstream calls (creates, polls, downloads, retries included) one job attempt may
 *                        make; a job that needs more fails rather than hammering the upstream
 */
public record UpstreamSettings(
    URI baseUrl,
    Secret apiKey,
    Duration connectTimeout,
    Duration requestTimeout,
    Duration downloadTimeout,
    int httpThreads,
    int maxCallsPerJob) {

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
    Checks.positive("upstream.max-calls-per-job", maxCallsPerJob);
  }
}
