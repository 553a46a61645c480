package io.imagefleet.cli.consolebench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One open page: reads the console's event stream ({@code /api/events}) as a browser does and
 * counts what arrives. For each job change, its lag (arrival minus the event's {@code occurred_at},
 * which the summary carries as {@code updated_at}); each {@code resync} (the console dropped this
 * page's queue because it fell behind); each job whose SUCCEEDED arrived.
 *
 * <p>The counters are written by the page's own thread only; others read the volatile ones while it
 * runs and the rest after {@link #close}.
 */
final class PageReader implements AutoCloseable {
  private static final byte[] JOB_EVENT = "event: job".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] RESYNC = "event: resync".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HELLO = "event: hello".getBytes(StandardCharsets.US_ASCII);
  private static final long MAX_LAG_MS = Duration.ofHours(1).toMillis();
  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);

  private final int index;
  private final String jobPrefix;
  private final HttpRequest request;
  private final HttpClient http;
  private final Thread thread;
  private final CountDownLatch connected = new CountDownLatch(1);
  private final Histogram lags = lagHistogram();
  private final Histogram settledLags = lagHistogram();
  private volatile long settledFromMs = Long.MAX_VALUE;
  private final BitSet ended = new BitSet();
  private volatile InputStream body;
  private volatile long jobChanges;
  private volatile long resyncs;
  private volatile int endings;
  private volatile String failure;

  PageReader(HttpClient http, URI console, String jobPrefix, int index) {
    this.http = http;
    this.index = index;
    this.jobPrefix = jobPrefix + "-";
    this.request =
        HttpRequest.newBuilder(console.resolve("/api/events"))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    this.thread = new Thread(this::run, "bench-page-" + index);
    thread.setDaemon(true);
  }

  /** Opens the stream; returns once the console said hello. */
  void open(Duration timeout) throws InterruptedException {
    thread.start();
    if (!connected.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(
          "page "
              + index
              + " got no hello from the console"
              + (failure == null ? "" : ": " + failure));
    }
  }

  private void run() {
    try {
      HttpResponse<InputStream> response =
          http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() != 200) {
        failure = "HTTP " + response.statusCode();
        return;
      }
      body = response.body();
      read(body);
    } catch (IOException e) {
      // closed by close(), or the console went away
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Line by line over a buffer of its own: a stream of 5,000 frames a second per page. */
  private void read(InputStream in) throws IOException {
    byte[] buffer = new byte[1 << 16];
    byte[] line = new byte[4096];
    int n = 0;
    boolean jobFrame = false;
    int got;
    while ((got = in.read(buffer)) != -1) {
      for (int i = 0; i < got; i++) {
        byte b = buffer[i];
        if (b != '\n') {
          if (n == line.length) {
            line = Arrays.copyOf(line, n * 2);
          }
          line[n++] = b;
          continue;
        }
        if (startsWith(line, n, JOB_EVENT)) {
          jobFrame = true;
        } else if (startsWith(line, n, DATA)) {
          if (jobFrame) {
            jobChange(new String(line, DATA.length, n - DATA.length, StandardCharsets.UTF_8));
          }
        } else if (startsWith(line, n, RESYNC)) {
          resyncs++;
        } else if (startsWith(line, n, HELLO)) {
          connected.countDown();
        } else if (n == 0) {
          jobFrame = false;
        }
        n = 0;
      }
    }
  }

  private void jobChange(String json) {
    long now = System.currentTimeMillis();
    jobChanges++;
    String updated = field(json, "updated_at");
    if (updated != null) {
      try {
        // A clock a little behind the broker's counts as no lag; an hour is as bad as it gets.
        long lag = Math.min(Math.max(0, now - Instant.parse(updated).toEpochMilli()), MAX_LAG_MS);
        lags.recordValue(lag);
        if (now >= settledFromMs) {
          settledLags.recordValue(lag);
        }
      } catch (DateTimeParseException e) {
        // not a time: counted, without a lag
      }
    }
    String id = field(json, "job_id");
    if ("SUCCEEDED".equals(field(json, "status")) && id != null && id.startsWith(jobPrefix)) {
      int job = Integer.parseInt(id.substring(jobPrefix.length()));
      if (!ended.get(job)) {
        ended.set(job);
        endings++;
      }
    }
  }

  /** A string field of the console's flat summary JSON, without parsing the rest. */
  private static String field(String json, String name) {
    String key = "\"" + name + "\":\"";
    int start = json.indexOf(key);
    if (start < 0) {
      return null;
    }
    start += key.length();
    int end = json.indexOf('"', start);
    return end < 0 ? null : json.substring(start, end);
  }

  private static boolean startsWith(byte[] line, int n, byte[] prefix) {
    if (n < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (line[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** Lags of changes arriving from then on are also counted apart, as the settled ones. */
  void settledFrom(Instant at) {
    settledFromMs = at.toEpochMilli();
  }

  int index() {
    return index;
  }

  long jobChanges() {
    return jobChanges;
  }

  long resyncs() {
    return resyncs;
  }

  int endings() {
    return endings;
  }

  /** Read after {@link #close}. */
  Histogram lags() {
    return lags;
  }

  /** Read after {@link #close}. */
  Histogram settledLags() {
    return settledLags;
  }

  /** Lags in milliseconds, exact below two seconds and within 0.1 % above. */
  private static Histogram lagHistogram() {
    return new Histogram(MAX_LAG_MS, 3);
  }

  @Override
  public void close() throws InterruptedException {
    InputStream in = body;
    if (in != null) {
      try {
        in.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    thread.interrupt();
    thread.join(TimeUnit.SECONDS.toMillis(10));
  }
}
