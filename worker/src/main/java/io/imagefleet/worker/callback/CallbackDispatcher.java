package io.imagefleet.worker.callback;

import io.imagefleet.contracts.CallbackDelivery;
import io.imagefleet.contracts.TraceHeaders;
import io.imagefleet.worker.config.CallbackSettings;
import io.imagefleet.worker.config.WebhookSecret;
import io.imagefleet.worker.tracing.JobTracing;
import io.imagefleet.worker.tracing.TraceStep;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one attempt of an owed callback and says what follows: delivered, failed, refused, or owed
 * again at a later time. It keeps no state between attempts: the step it returns is written to the
 * owed callbacks topic by {@link OwedCallbacks}, so a delivery survives the worker that started it.
 *
 * <p>Attempts run on the sender threads ({@code callbacks.threads}) through each tenant's lane
 * ({@link TenantLanes}), so one tenant's slow receiver never holds more than its share. Each
 * attempt resolves the host, refuses private destinations, and connects to the vetted address
 * ({@link PinnedHttpClient}). Transient failures (connection, timeout, 408, 425, 429, 5xx) are
 * retried on the {@link RetrySchedule}, never sooner than a {@code Retry-After}; 410 Gone ends the
 * delivery and stops this worker sending anything more to that endpoint; other answers end the
 * delivery. Redirects are never followed.
 */
public final class CallbackDispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CallbackDispatcher.class);

  /** Endpoints that answered 410 Gone, remembered up to this many (the oldest forgotten first). */
  private static final int GONE_ENDPOINTS = 10_000;

  private final CallbackSettings settings;
  private final DestinationCheck destinations;
  private final PinnedHttpClient http;
  private final RetrySchedule schedule;
  private final ThreadPoolExecutor senders;
  private final TenantLanes lanes;
  private final Clock clock;
  private final String workerId;
  private final JobTracing tracing;
  private final Set<String> gone =
      Collections.synchronizedSet(
          Collections.newSetFromMap(
              new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                  return size() > GONE_ENDPOINTS;
                }
              }));

  public CallbackDispatcher(
      CallbackSettings settings, String workerId, ScheduledExecutorService scheduler, Clock clock) {
    this(settings, workerId, scheduler, clock, JobTracing.off());
  }

  /** With each HTTP attempt traced ({@code callback.send}) under the commit that owed it. */
  public CallbackDispatcher(
      CallbackSettings settings,
      String workerId,
      ScheduledExecutorService scheduler,
      Clock clock,
      JobTracing tracing) {
    this(
        settings,
        workerId,
        scheduler,
        clock,
        InetAddress::getAllByName,
        settings.allowPrivateDestinations()
            ? address -> false
            : DestinationCheck.privateAddresses(),
        tracing);
  }

  /** With a given resolver and address policy: for tests that prove the address is pinned. */
  CallbackDispatcher(
      CallbackSettings settings,
      String workerId,
      ScheduledExecutorService scheduler,
      Clock clock,
      DestinationCheck.Resolver resolver,
      Predicate<InetAddress> forbidden) {
    this(settings, workerId, scheduler, clock, resolver, forbidden, JobTracing.off());
  }

  private CallbackDispatcher(
      CallbackSettings settings,
      String workerId,
      ScheduledExecutorService scheduler,
      Clock clock,
      DestinationCheck.Resolver resolver,
      Predicate<InetAddress> forbidden,
      JobTracing tracing) {
    this.tracing = tracing;
    this.settings = settings;
    this.workerId = workerId;
    this.clock = clock;
    this.destinations = new DestinationCheck(resolver, settings.resolve(), forbidden);
    this.http = new PinnedHttpClient(tls(settings), scheduler);
    this.schedule =
        new RetrySchedule(settings.retrySchedule(), () -> ThreadLocalRandom.current().nextDouble());
    AtomicInteger n = new AtomicInteger();
    this.senders =
        new ThreadPoolExecutor(
            settings.threads(),
            settings.threads(),
            0,
            TimeUnit.MILLISECONDS,
            // Bounded by the lanes: at most threads x tenants tasks, each for a delivery the
            // owner holds within callbacks.max-pending.
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "callback-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.lanes = new TenantLanes(senders, settings.tenantConcurrency());
  }

  private static SSLContext tls(CallbackSettings settings) {
    try {
      if (settings.trustStore().isEmpty()) {
        return SSLContext.getDefault();
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      char[] password =
          settings.trustStorePassword().map(s -> s.reveal().toCharArray()).orElse(null);
      try (InputStream in = Files.newInputStream(settings.trustStore().get())) {
        store.load(in, password);
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(
          "callbacks.trust-store "
              + settings.trustStore().orElse(null)
              + " cannot be used: "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Makes the next attempt of {@code owed}, whose state was read at {@code offset}, and completes
   * with the step that follows it.
   */
  CompletableFuture<OwedCallback> attempt(OwedCallback owed, long offset) {
    return lanes.run(owed.tenant() == null ? "" : owed.tenant(), () -> safely(owed, offset));
  }

  /**
   * Every way an attempt can end becomes a step, the unexpected ones included: an exception that
   * left the sender thread would leave the delivery owed with nobody attempting it.
   */
  private OwedCallback safely(OwedCallback owed, long offset) {
    try {
      return runAttempt(owed, offset);
    } catch (RuntimeException e) {
      log.warn("job {}: callback attempt failed unexpectedly", owed.jobId(), e);
      return end(
          owed,
          offset,
          owed.attempts(),
          OwedCallback.State.FAILED,
          null,
          "the request could not be built or sent (" + e.getClass().getSimpleName() + ")");
    }
  }

  private OwedCallback runAttempt(OwedCallback owed, long offset) {
    URI url;
    try {
      url = new URI(owed.url());
    } catch (URISyntaxException | NullPointerException e) {
      return refuse(owed, offset, "callback_url is not a URL");
    }
    List<WebhookSecret> secrets = settings.secretsOf(owed.tenant());
    if (secrets.isEmpty()) {
      return refuse(owed, offset, "no callback secret is configured for tenant " + owed.tenant());
    }
    boolean https = "https".equalsIgnoreCase(url.getScheme());
    if (!https
        && !(settings.allowPrivateDestinations() && "http".equalsIgnoreCase(url.getScheme()))) {
      return refuse(owed, offset, "callbacks go only to https URLs");
    }
    if (url.getHost() == null) {
      return refuse(owed, offset, "callback_url has no host");
    }
    String endpoint = withoutSecrets(owed.url());
    if (gone.contains(endpoint)) {
      return refuse(
          owed, offset, "the endpoint answered 410 Gone before: nothing more is sent to it");
    }
    Destination destination;
    try {
      destination = destinations.check(url.getHost());
    } catch (UnknownHostException e) {
      return retryOrFail(
          owed,
          offset,
          owed.attempts() + 1,
          null,
          Optional.empty(),
          "host " + url.getHost() + " does not resolve");
    }
    if (destination instanceof Destination.Refused refused) {
      return refuse(owed, offset, refused.reason());
    }
    InetAddress address = ((Destination.Vetted) destination).address();
    int attempts = owed.attempts() + 1;
    byte[] body = owed.bodyBytes();
    long timestamp = clock.instant().getEpochSecond();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("User-Agent", "imagefleet-callbacks/1");
    headers.putAll(
        CallbackSigner.headers(
            owed.webhookId(),
            timestamp,
            body,
            secrets,
            settings.signingKeysOf(owed.tenant()),
            attempts));
    // Each HTTP attempt is a span of the job's trace; the receiver continues it from the header.
    TraceStep sent = tracing.startCallback(owed.traceparent(), owed.jobId(), owed.tenant());
    String traceparent = sent.traceparent();
    if (traceparent != null) {
      headers.put(TraceHeaders.TRACEPARENT, traceparent);
    }
    PinnedHttpClient.Response answer;
    try {
      answer =
          http.post(url, address, headers, body, settings.timeout(), settings.maxResponseBytes());
    } catch (IOException e) {
      sent.fail("no_answer");
      return retryOrFail(
          owed,
          offset,
          attempts,
          null,
          Optional.empty(),
          "no answer from " + url.getHost() + " (" + e.getClass().getSimpleName() + ")");
    }
    int status = answer.status();
    sent.answered(status);
    if (status >= 200 && status < 300) {
      sent.end();
    } else {
      sent.fail("http_" + status);
    }
    if (status >= 200 && status < 300) {
      log.info(
          "job {}: callback delivered to {} (HTTP {}, {} attempt(s))",
          owed.jobId(),
          endpoint,
          status,
          attempts);
      return end(owed, offset, attempts, OwedCallback.State.DELIVERED, status, null);
    } else if (status >= 300 && status < 400) {
      return end(
          owed,
          offset,
          attempts,
          OwedCallback.State.FAILED,
          status,
          "the receiver answered a redirect (HTTP " + status + "); redirects are not followed");
    } else if (status == 410) {
      gone.add(endpoint);
      return end(
          owed,
          offset,
          attempts,
          OwedCallback.State.FAILED,
          status,
          "the receiver answered 410 Gone: nothing more is sent to " + endpoint);
    } else if (status == 408 || status == 425 || status == 429 || status >= 500) {
      return retryOrFail(
          owed,
          offset,
          attempts,
          status,
          RetrySchedule.retryAfter(answer.retryAfter(), clock.instant()),
          "the receiver answered HTTP " + status);
    } else {
      return end(
          owed,
          offset,
          attempts,
          OwedCallback.State.FAILED,
          status,
          "the receiver answered HTTP " + status);
    }
  }

  private OwedCallback retryOrFail(
      OwedCallback owed,
      long offset,
      int attempts,
      Integer status,
      Optional<Duration> retryAfter,
      String why) {
    Optional<Duration> pause = schedule.pauseAfter(attempts, retryAfter);
    if (pause.isEmpty()) {
      return end(
          owed,
          offset,
          attempts,
          OwedCallback.State.FAILED,
          status,
          why + "; gave up after " + attempts + " attempt(s)");
    }
    log.debug(
        "job {}: callback attempt {} failed ({}), again in {}",
        owed.jobId(),
        attempts,
        why,
        pause.get());
    Instant now = clock.instant();
    return owed.next(
        attempts,
        OwedCallback.State.OWED,
        now.plus(pause.get()),
        status,
        why,
        offset,
        now,
        workerId);
  }

  private OwedCallback refuse(OwedCallback owed, long offset, String why) {
    return end(owed, offset, owed.attempts(), OwedCallback.State.REFUSED, null, why);
  }

  private OwedCallback end(
      OwedCallback owed,
      long offset,
      int attempts,
      OwedCallback.State state,
      Integer status,
      String error) {
    if (state != OwedCallback.State.DELIVERED) {
      log.warn(
          "job {}: callback to {} {}: {}", owed.jobId(), withoutSecrets(owed.url()), state, error);
    }
    return owed.next(attempts, state, null, status, error, offset, clock.instant(), workerId);
  }

  /** The public record of how a delivery ended, for the callbacks topic. */
  static CallbackDelivery outcome(OwedCallback ended) {
    return new CallbackDelivery(
        CallbackDelivery.SCHEMA_VERSION,
        ended.webhookId(),
        ended.jobId(),
        ended.tenant(),
        ended.attempt(),
        withoutSecrets(ended.url()),
        CallbackDelivery.Status.valueOf(ended.state().name()),
        ended.httpStatus(),
        ended.attempts(),
        ended.error(),
        ended.updatedAt(),
        ended.workerId());
  }

  /** Scheme, host, port and path only: user info, query and fragment may carry tokens. */
  public static String withoutSecrets(String url) {
    try {
      URI u = new URI(url);
      return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), null, null)
          .toString();
    } catch (URISyntaxException | RuntimeException e) {
      return "(unparseable URL)";
    }
  }

  @Override
  public void close() {
    senders.shutdownNow();
    try {
      senders.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
