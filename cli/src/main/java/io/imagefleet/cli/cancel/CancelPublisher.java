package io.imagefleet.cli.cancel;

import io.imagefleet.cli.DurableProducer;
import io.imagefleet.contracts.CancelRequest;
import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.TenantTopics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * How a cancel request is made and sent, shared by {@code imagefleet cancel} and the console: a
 * fresh request id, the tenant's own control topic when it exists (its ACLs decide who may cancel),
 * else the shared one.
 *
 * <p>Immutable; each publish uses its own producer.
 */
public final class CancelPublisher {
  private static final long TIMEOUT_SECONDS = 30;

  private final Properties client;

  public CancelPublisher(Properties client) {
    this.client = new Properties();
    this.client.putAll(client);
  }

  /** A request to cancel one job, with a new request id. */
  public static CancelRequest ofJob(
      String tenant, String jobId, String reason, Instant now, String by) {
    return CancelRequest.ofJob(newRequestId(), tenant, jobId, reason, now, by);
  }

  public static String newRequestId() {
    return UUID.randomUUID().toString();
  }

  /** Where a tenant's requests go, best first: its own control topic, then the shared one. */
  public static List<String> candidates(String tenant, String tenantPrefix, String shared) {
    return List.of(new TenantTopics(tenantPrefix).control(tenant), shared);
  }

  /** The first of {@link #candidates} that exists. */
  public Optional<String> controlTopic(String tenant, String tenantPrefix, String shared)
      throws ExecutionException, InterruptedException, TimeoutException {
    try (Admin admin = Admin.create(client)) {
      Set<String> names = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return candidates(tenant, tenantPrefix, shared).stream().filter(names::contains).findFirst();
    }
  }

  /**
   * Publishes and waits for the broker's acknowledgement.
   *
   * @throws ExecutionException when the broker refused it
   */
  public void publish(String topic, CancelRequest request)
      throws ExecutionException, InterruptedException, TimeoutException {
    try (var producer = DurableProducer.open(client)) {
      producer
          .send(
              new ProducerRecord<>(
                  topic,
                  request.key().getBytes(StandardCharsets.UTF_8),
                  JobCodec.encodeCancel(request)))
          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
  }
}
