package io.imagefleet.worker.intake;

import io.imagefleet.worker.config.WorkerConfig;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;

/**
 * The worker's first contact with Kafka: one cluster description within {@link #TIMEOUT}, so that a
 * wrong or unreachable {@code kafka.bootstrap.servers} stops the start in seconds with one line
 * that says which servers and which key, rather than a minute of retries and a client's stack
 * trace.
 */
public final class BrokerCheck {
  /** Long enough for a cluster that is up but busy; short enough for a person at a terminal. */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static final String WHERE =
      "kafka.bootstrap.servers (env IMAGEFLEET_KAFKA_BOOTSTRAP_SERVERS)";

  private BrokerCheck() {}

  /**
   * Throws an {@link IllegalStateException} whose message says what to do when no broker answers.
   */
  public static void ensureReachable(WorkerConfig config) {
    String servers = config.kafka().bootstrapServers();
    Admin admin;
    try {
      admin = Admin.create(KafkaClientProperties.admin(config, "start", TIMEOUT));
    } catch (KafkaException e) {
      throw new IllegalStateException(
          "kafka.bootstrap.servers=" + servers + " cannot be used: " + rootMessage(e), e);
    }
    try (admin) {
      admin.describeCluster().nodes().get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      if (cause instanceof org.apache.kafka.common.errors.TimeoutException
          || cause instanceof TimeoutException) {
        throw new IllegalStateException(
            "no Kafka broker answered at "
                + servers
                + " within "
                + TIMEOUT.toSeconds()
                + " s: start one, or point "
                + WHERE
                + " at yours",
            cause);
      }
      throw new IllegalStateException(
          "the Kafka cluster at "
              + servers
              + " refused this worker: "
              + rootMessage(cause)
              + " (check the kafka.* security settings)",
          cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reaching Kafka at " + servers, e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
