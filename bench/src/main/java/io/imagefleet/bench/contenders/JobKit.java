package io.imagefleet.bench.contenders;

import io.imagefleet.contracts.JobValidator;
import io.imagefleet.worker.config.WorkerConfig;
import io.imagefleet.worker.events.EventPublisher;
import io.imagefleet.worker.events.RecordBudget;
import io.imagefleet.worker.events.StatusEvents;
import io.imagefleet.worker.intake.KafkaClientProperties;
import io.imagefleet.worker.storage.LocalDirectoryImageStore;
import io.imagefleet.worker.upstream.HttpUpstreamClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * What the alternatives share with the worker, so that the comparison is about how jobs are carried
 * and not about who has the better HTTP client: the worker's own {@link HttpUpstreamClient},
 * producer settings ({@code acks=all}, idempotent), {@link EventPublisher}, {@link StatusEvents},
 * validator and image store, all built from the same configuration the worker gets. Thread safe.
 */
record JobKit(
    WorkerConfig config,
    HttpUpstreamClient upstream,
    KafkaProducer<byte[], byte[]> producer,
    EventPublisher publisher,
    StatusEvents events,
    JobValidator validator,
    LocalDirectoryImageStore store,
    Clock clock)
    implements AutoCloseable {

  static JobKit of(WorkerConfig config) {
    Properties settings = KafkaClientProperties.producer(config);
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings);
    Clock clock = Clock.systemUTC();
    return new JobKit(
        config,
        new HttpUpstreamClient(config.upstream()),
        producer,
        new EventPublisher(producer, config.topics().events(), RecordBudget.of(settings)),
        new StatusEvents(config.workerId(), clock),
        new JobValidator(),
        new LocalDirectoryImageStore(config.storage().directory(), config.storage().threads()),
        clock);
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
    upstream.close();
    store.close();
  }
}
