package io.imagefleet.worker;

import io.imagefleet.worker.config.WorkerConfig;
import io.imagefleet.worker.events.EventPublisher;
import io.imagefleet.worker.intake.JobIntake;
import io.imagefleet.worker.intake.KafkaClientProperties;
import io.imagefleet.worker.job.JobProcessor;
import io.imagefleet.worker.resilience.RouteTable;
import io.imagefleet.worker.storage.ImageStore;
import io.imagefleet.worker.storage.LocalDirectoryImageStore;
import io.imagefleet.worker.upstream.HttpUpstreamClient;
import io.imagefleet.worker.upstream.UpstreamClient;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running worker, wired by hand: the composition root. Threads: one intake thread (owns the
 * consumer), one scheduler thread (poll timers, retry backoff), the HTTP client's small pool, the
 * storage pool, and the producer's own IO thread.
 */
public final class Worker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Worker.class);

  private final WorkerConfig config;
  private final ScheduledExecutorService scheduler;
  private final UpstreamClient upstream;
  private final ImageStore store;
  private final Producer<byte[], byte[]> producer;
  private final JobIntake intake;
  private final Thread intakeThread;

  private Worker(WorkerConfig config, Clock clock) {
    this.config = config;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "job-scheduler");
      t.setDaemon(true);
      return t;
    });
    this.upstream = new HttpUpstreamClient(config.upstream());
    this.store = new LocalDirectoryImageStore(config.storage().directory(), config.storage().threads());
    this.producer = new KafkaProducer<>(KafkaClientProperties.producer(config));
    RouteTable routes = new RouteTable(config, scheduler);
    EventPublisher publisher = new EventPublisher(producer, config.topics().events());
    JobProcessor processor = new JobProcessor(config, upstream, routes, store, publisher, scheduler, clock);
    this.intake = new JobIntake(config, new KafkaConsumer<>(KafkaClientProperties.consumer(config)), producer,
        processor, scheduler, clock);
    this.intakeThread = new Thread(intake, "intake");
  }

  /** Starts a worker: it joins the consumer group and begins taking jobs. */
  public static Worker start(WorkerConfig config) {
    return start(config, Clock.systemUTC());
  }

  public static Worker start(WorkerConfig config, Clock clock) {
    Worker worker = new Worker(config, clock);
    worker.intakeThread.start();
    log.info("worker {} started: bootstrap={} group={} jobs={} upstream={} max-in-flight={}", config.workerId(),
        config.kafka().bootstrapServers(), config.kafka().groupId(), config.topics().jobs(),
        config.upstream().baseUrl(), config.intake().maxInFlight());
    return worker;
  }

  public WorkerConfig config() {
    return config;
  }

  /** Jobs this worker is running now. */
  public int inFlight() {
    return intake.inFlight();
  }

  /** Partitions of the jobs topic this worker owns now. */
  public int assignedPartitions() {
    return intake.assignedPartitions();
  }

  /** Whether the intake loop is still running. */
  public boolean isRunning() {
    return intakeThread.isAlive();
  }

  /**
   * Graceful stop (SIGTERM): stop intake, let in-flight jobs finish within the grace period, commit,
   * close. Jobs still unfinished are released uncommitted: the partition's next owner runs them.
   */
  @Override
  public void close() {
    intake.stop();
    try {
      if (!intake.awaitStopped(config.intake().shutdownGrace().plus(Duration.ofSeconds(15)))) {
        log.warn("intake did not stop in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    scheduler.shutdownNow();
    producer.close(Duration.ofSeconds(10));
    upstream.close();
    store.close();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info("worker {} stopped", config.workerId());
  }
}
