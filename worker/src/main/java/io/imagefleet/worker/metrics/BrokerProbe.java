package io.imagefleet.worker.metrics;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readiness: does the Kafka cluster answer this worker? A cheap {@code describeCluster} with a
 * short timeout, run every {@code ops.probe-interval} on the ops scheduler; {@link
 * #notReadyReason()} answers from the last probe without waiting. A refused login is reported as
 * such (not as "unreachable"), with the settings to check, so a wrong SASL password or certificate
 * is a clear error. Kafka's error messages carry no credentials; neither do the reasons built here.
 *
 * <p>Threads: {@link #probe()} runs on one ops thread; the reason is read from any thread.
 */
final class BrokerProbe implements ReadinessCheck {
  private static final Logger log = LoggerFactory.getLogger(BrokerProbe.class);
  static final String NOT_YET = "the Kafka cluster has not answered yet";

  private final Admin admin;
  private final String bootstrap;
  private final Duration timeout;
  private volatile Optional<String> reason = Optional.of(NOT_YET);

  BrokerProbe(Admin admin, String bootstrap, Duration timeout) {
    this.admin = admin;
    this.bootstrap = bootstrap;
    this.timeout = timeout;
  }

  @Override
  public Optional<String> notReadyReason() {
    return reason;
  }

  /** One probe; never throws. */
  void probe() {
    Optional<String> before = reason;
    try {
      admin
          .describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
          .clusterId()
          .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
      reason = Optional.empty();
      if (before.isPresent() && !before.get().equals(NOT_YET)) {
        log.info("Kafka cluster at {} answers again: ready", bootstrap);
      }
    } catch (ExecutionException e) {
      failed(before, e.getCause() == null ? e : e.getCause());
    } catch (TimeoutException e) {
      failed(before, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      failed(before, e);
    }
  }

  private void failed(Optional<String> before, Throwable error) {
    String now = describe(error);
    reason = Optional.of(now);
    if (before.isEmpty() || !before.get().equals(now)) {
      if (error instanceof AuthenticationException || error instanceof AuthorizationException) {
        log.error("not ready: {}", now);
      } else {
        log.warn("not ready: {}", now);
      }
    }
  }

  String describe(Throwable error) {
    if (error instanceof AuthenticationException) {
      return "Kafka at "
          + bootstrap
          + " refused this worker's credentials ("
          + error.getClass().getSimpleName()
          + ": "
          + error.getMessage()
          + "); check kafka.security.protocol, kafka.sasl.mechanism, kafka.sasl.jaas.config and kafka.ssl.*";
    }
    if (error instanceof AuthorizationException) {
      return "Kafka at "
          + bootstrap
          + " denied this worker ("
          + error.getClass().getSimpleName()
          + ": "
          + error.getMessage()
          + "); check the ACLs of its principal";
    }
    if (error instanceof TimeoutException
        || error instanceof org.apache.kafka.common.errors.TimeoutException) {
      return "Kafka unreachable at "
          + bootstrap
          + ": no answer within "
          + timeout.toMillis()
          + " ms";
    }
    return "Kafka unreachable at "
        + bootstrap
        + ": "
        + error.getClass().getSimpleName()
        + (error.getMessage() == null ? "" : ": " + error.getMessage());
  }
}
