package io.imagefleet.bench.contenders;

import io.confluent.parallelconsumer.ParallelConsumerOptions;
import io.confluent.parallelconsumer.ParallelConsumerOptions.CommitMode;
import io.confluent.parallelconsumer.ParallelConsumerOptions.ProcessingOrder;
import io.confluent.parallelconsumer.ParallelStreamProcessor;
import io.imagefleet.worker.config.WorkerConfig;
import io.imagefleet.worker.intake.KafkaClientProperties;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Confluent's Parallel Consumer as its documentation shows it: unordered, {@code maxConcurrency}
 * equal to the worker's in-flight cap, one record per call of the user function, periodic
 * asynchronous commits of what completed. The user function is {@link BlockingJob}: Parallel
 * Consumer's concurrency is a thread pool, so each job in flight holds one of its threads.
 */
final class ParallelConsumerContender implements Contender {
  private final JobKit kit;
  private final ParallelStreamProcessor<byte[], byte[]> processor;
  private final AtomicInteger inFlight = new AtomicInteger();

  ParallelConsumerContender(WorkerConfig config) {
    this.kit = JobKit.of(config);
    ParallelConsumerOptions<byte[], byte[]> options =
        ParallelConsumerOptions.<byte[], byte[]>builder()
            .consumer(new KafkaConsumer<>(KafkaClientProperties.consumer(config)))
            .ordering(ProcessingOrder.UNORDERED)
            .maxConcurrency(config.intake().maxInFlight())
            .commitMode(CommitMode.PERIODIC_CONSUMER_ASYNCHRONOUS)
            .build();
    this.processor = ParallelStreamProcessor.createEosStreamProcessor(options);
    processor.subscribe(List.of(config.topics().jobs()));
    BlockingJob job = new BlockingJob(kit);
    processor.poll(
        context -> {
          inFlight.incrementAndGet();
          try {
            job.run(context.value());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
          } finally {
            inFlight.decrementAndGet();
          }
        });
  }

  @Override
  public int inFlight() {
    return inFlight.get();
  }

  @Override
  public void close() {
    processor.closeDontDrainFirst(Duration.ofSeconds(10));
    kit.close();
  }
}
