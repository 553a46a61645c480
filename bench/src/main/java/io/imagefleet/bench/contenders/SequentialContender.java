package io.imagefleet.bench.contenders;

import io.imagefleet.worker.config.WorkerConfig;
import io.imagefleet.worker.intake.KafkaClientProperties;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The textbook loop: poll, run the record's job to its end, commit, next. {@code
 * max.poll.records=1} because a batch of 500 two-second jobs would outlast {@code
 * max.poll.interval.ms} and get the consumer thrown out of its group: the first fix every team
 * makes. One job in flight, by nature.
 */
final class SequentialContender implements Contender {
  private static final Logger log = LoggerFactory.getLogger(SequentialContender.class);

  private final JobKit kit;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String topic;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Thread loop;
  private volatile boolean closing;

  SequentialContender(WorkerConfig config) {
    this.kit = JobKit.of(config);
    Properties props = KafkaClientProperties.consumer(config);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
    this.consumer = new KafkaConsumer<>(props);
    this.topic = config.topics().jobs();
    this.loop = new Thread(this::run, "sequential-consumer");
    loop.start();
  }

  private void run() {
    BlockingJob job = new BlockingJob(kit);
    try {
      consumer.subscribe(List.of(topic));
      while (!closing) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          inFlight.incrementAndGet();
          try {
            job.run(record.value());
          } finally {
            inFlight.decrementAndGet();
          }
          consumer.commitSync(
              Map.of(
                  new TopicPartition(record.topic(), record.partition()),
                  new OffsetAndMetadata(record.offset() + 1)));
        }
      }
    } catch (WakeupException | InterruptedException e) {
      // closing
    } catch (RuntimeException e) {
      log.error("sequential consumer failed", e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  @Override
  public int inFlight() {
    return inFlight.get();
  }

  @Override
  public void close() {
    closing = true;
    consumer.wakeup();
    loop.interrupt();
    try {
      loop.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    kit.close();
  }
}
