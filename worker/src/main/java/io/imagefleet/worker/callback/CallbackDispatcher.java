package io.imagefleet.worker.callback;

import io.imagefleet.contracts.CallbackDelivery;
import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.worker.config.CallbackSettings;
import io.imagefleet.worker.config.WebhookSecret;
import io.imagefleet.worker.job.TerminalListener;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a job's terminal event to its {@code callback_url}, signed with the tenant's secret, and
 * records how the delivery ended on the callbacks topic.
 *
 * <p>It runs after the terminal event is durable and on its own threads ({@code callbacks.threads},
 * with a bounded queue), so a slow or hostile receiver never delays a job's ending or its offset
 * commit. Each attempt resolves the host, refuses private destinations, and connects to the vetted
 * address ({@link PinnedHttpClient}). Transient failures (connection, timeout, 408, 425, 429, 5xx)
 * are retried with doubling pauses on the scheduler, holding no thread while they wait; other
 * answers end the delivery. Redirects are never followed.
 */
public final class CallbackDispatcher implements TerminalListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CallbackDispatcher.class);

  private final CallbackSettings settings;
  private final DestinationCheck destinations;
  private final PinnedHttpClient http;
  private final DeliveryRecorder recorder;
  private final ScheduledExecutorService scheduler;
  private final ThreadPoolExecutor senders;
  private final Clock clock;
  private final String workerId;

  public CallbackDispatcher(
      CallbackSettings settings,
      String workerId,
      Producer<byte[], byte[]> producer,
      ScheduledExecutorService scheduler,
      Clock clock) {
    this(
        settings,
        workerId,
        producer,
        scheduler,
        clock,
        InetAddress::getAllByName,
        settings.allowPrivateDestinations()
            ? address -> false
            : DestinationCheck.privateAddresses());
  }

  /** With a given resolver and address policy: for tests that prove the address is pinned. */
  CallbackDispatcher(
      CallbackSettings settings,
      String workerId,
      Producer<byte[], byte[]> producer,
      ScheduledExecutorService scheduler,
      Clock clock,
      DestinationCheck.Resolver resolver,
      Predicate<InetAddress> forbidden) {
    this.settings = settings;
    this.workerId = workerId;
    this.scheduler = scheduler;
    this.clock = clock;
    this.destinations = new DestinationCheck(resolver, settings.resolve(), forbidden);
    this.http = new PinnedHttpClient(tls(settings), scheduler);
    this.recorder = new DeliveryRecorder(producer, settings.topic());
    AtomicInteger n = new AtomicInteger();
    this.senders =
        new ThreadPoolExecutor(
            settings.threads(),
            settings.threads(),
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(settings.queueCapacity()),
            r -> {
              Thread t = new Thread(r, "callback-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
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

  @Override
  public void onTerminal(JobRequest job, StatusEvent terminal) {
    if (job.callbackUrl() == null || job.callbackUrl().isBlank()) {
      return;
    }
    send(new Delivery(job, terminal));
  }

  /**
   * One delivery: its body is written on the first attempt (on a sender thread, where a failure is
   * recorded like any other) and then fixed; each attempt signs it anew with the attempt's
   * timestamp.
   */
  private final class Delivery {
    final JobRequest job;
    final StatusEvent event;
    byte[] body;
    int attempts;
    Integer lastStatus;

    Delivery(JobRequest job, StatusEvent event) {
      this.job = job;
      this.event = event;
    }
  }

  private void send(Delivery d) {
    try {
      senders.execute(() -> attempt(d));
    } catch (RejectedExecutionException e) {
      finish(
          d,
          CallbackDelivery.Status.FAILED,
          "delivery queue full (" + settings.queueCapacity() + " waiting)");
    }
  }

  /**
   * Every way an attempt can end is recorded, the unexpected ones included: an exception that left
   * this thread would end the delivery with no record and no log line, since the pool's threads
   * swallow what their tasks throw. Each branch of {@link #runAttempt} records or retries as its
   * last step, so nothing is recorded twice.
   */
  private void attempt(Delivery d) {
    try {
      runAttempt(d);
    } catch (RuntimeException e) {
      log.warn("job {}: callback attempt failed unexpectedly", d.job.jobId(), e);
      finish(
          d,
          CallbackDelivery.Status.FAILED,
          "the request could not be built or sent (" + e.getClass().getSimpleName() + ")");
    }
  }

  private void runAttempt(Delivery d) {
    if (d.body == null) {
      d.body = JobCodec.encodeEvent(d.event);
    }
    URI url;
    try {
      url = new URI(d.job.callbackUrl());
    } catch (URISyntaxException e) {
      finish(d, CallbackDelivery.Status.REFUSED, "callback_url is not a URL");
      return;
    }
    List<WebhookSecret> secrets = settings.secretsOf(d.job.tenant());
    if (secrets.isEmpty()) {
      finish(
          d,
          CallbackDelivery.Status.REFUSED,
          "no callback secret is configured for tenant " + d.job.tenant());
      return;
    }
    boolean https = "https".equalsIgnoreCase(url.getScheme());
    if (!https
        && !(settings.allowPrivateDestinations() && "http".equalsIgnoreCase(url.getScheme()))) {
      finish(d, CallbackDelivery.Status.REFUSED, "callbacks go only to https URLs");
      return;
    }
    if (url.getHost() == null) {
      finish(d, CallbackDelivery.Status.REFUSED, "callback_url has no host");
      return;
    }
    Destination destination;
    try {
      destination = destinations.check(url.getHost());
    } catch (UnknownHostException e) {
      d.attempts++;
      retryOrFail(d, "host " + url.getHost() + " does not resolve");
      return;
    }
    if (destination instanceof Destination.Refused refused) {
      finish(d, CallbackDelivery.Status.REFUSED, refused.reason());
      return;
    }
    InetAddress address = ((Destination.Vetted) destination).address();
    d.attempts++;
    long timestamp = clock.instant().getEpochSecond();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("User-Agent", "imagefleet-callbacks/1");
    headers.putAll(
        CallbackSigner.headers(d.event.eventId(), timestamp, d.body, secrets, d.attempts));
    int status;
    try {
      status =
          http.post(url, address, headers, d.body, settings.timeout(), settings.maxResponseBytes())
              .status();
    } catch (IOException e) {
      retryOrFail(d, "no answer from " + url.getHost() + " (" + e.getClass().getSimpleName() + ")");
      return;
    }
    d.lastStatus = status;
    if (status >= 200 && status < 300) {
      finish(d, CallbackDelivery.Status.DELIVERED, null);
    } else if (status >= 300 && status < 400) {
      finish(
          d,
          CallbackDelivery.Status.FAILED,
          "the receiver answered a redirect (HTTP " + status + "); redirects are not followed");
    } else if (status == 408 || status == 425 || status == 429 || status >= 500) {
      retryOrFail(d, "the receiver answered HTTP " + status);
    } else {
      finish(d, CallbackDelivery.Status.FAILED, "the receiver answered HTTP " + status);
    }
  }

  private void retryOrFail(Delivery d, String why) {
    if (d.attempts >= settings.maxAttempts()) {
      finish(
          d, CallbackDelivery.Status.FAILED, why + "; gave up after " + d.attempts + " attempt(s)");
      return;
    }
    Duration pause = settings.initialBackoff().multipliedBy(1L << Math.min(d.attempts - 1, 20));
    log.debug(
        "job {}: callback attempt {} failed ({}), again in {}",
        d.job.jobId(),
        d.attempts,
        why,
        pause);
    scheduler.schedule(() -> send(d), pause.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void finish(Delivery d, CallbackDelivery.Status status, String error) {
    String url = withoutSecrets(d.job.callbackUrl());
    if (status == CallbackDelivery.Status.DELIVERED) {
      log.info(
          "job {}: callback delivered to {} (HTTP {}, {} attempt(s))",
          d.job.jobId(),
          url,
          d.lastStatus,
          d.attempts);
    } else {
      log.warn("job {}: callback to {} {}: {}", d.job.jobId(), url, status, error);
    }
    try {
      recorder.record(
          new CallbackDelivery(
              CallbackDelivery.SCHEMA_VERSION,
              d.event.eventId(),
              d.job.jobId(),
              d.job.tenant(),
              d.job.attempt(),
              url,
              status,
              d.lastStatus,
              d.attempts,
              error,
              clock.instant(),
              workerId));
    } catch (RuntimeException e) {
      log.warn("job {}: callback outcome could not be recorded", d.job.jobId(), e);
    }
  }

  /** Scheme, host, port and path only: user info, query and fragment may carry tokens. */
  static String withoutSecrets(String url) {
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
    senders.shutdown();
    try {
      senders.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
