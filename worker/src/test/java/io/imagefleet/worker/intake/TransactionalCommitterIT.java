package io.imagefleet.worker.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.sandbox.testing.SharedTestKafka;
import io.imagefleet.worker.events.RecordBudget;
import io.imagefleet.worker.state.StateRestorer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A commit whose answer is lost, on the real broker: whether the transaction committed or not, a
 * {@code read_committed} reader ends up with exactly one copy of each terminal event.
 */
class TransactionalCommitterIT {
  private final String bootstrap = SharedTestKafka.bootstrapServers();
  private final String id = UUID.randomUUID().toString().substring(0, 8);
  private static final RecordBudget BUDGET = new RecordBudget(1024 * 1024);
  private final String events = "events-commit-" + id;
  private final String state = "state-commit-" + id;
  private StateRestorer restorer;

  @BeforeEach
  void createTopics() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin
          .createTopics(
              List.of(new NewTopic(events, 1, (short) 1), new NewTopic(state, 1, (short) 1)))
          .all()
          .get();
    }
    Properties client = new Properties();
    client.put("bootstrap.servers", bootstrap);
    restorer = new StateRestorer(client, state, Duration.ofSeconds(30));
  }

  @AfterEach
  void close() {
    restorer.close();
  }

  @Test
  void aCommitThatHappenedButWhoseAnswerWasLostIsNotSentAgain() {
    try (TransactionalCommitter committer = committer(true)) {
      committer.init();

      assertThat(committer.commit(List.of(ending("lost-answer-1")), List.of(), Map.of(), null))
          .as("settled as committed")
          .isTrue();
      assertThat(committer.commit(List.of(ending("next-1")), List.of(), Map.of(), null)).isTrue();

      assertThat(committedKeys()).containsExactly("lost-answer-1", "next-1");
    }
  }

  @Test
  void aCommitThatNeverHappenedIsSettledAsAbortedSoItsEndingsGoAgainOnce() {
    try (TransactionalCommitter committer = committer(false)) {
      committer.init();

      assertThat(committer.commit(List.of(ending("aborted-1")), List.of(), Map.of(), null))
          .as("settled as aborted")
          .isFalse();
      assertThat(committer.commit(List.of(ending("aborted-1")), List.of(), Map.of(), null))
          .as("the kept ending, sent again")
          .isTrue();

      assertThat(committedKeys()).containsExactly("aborted-1");
    }
  }

  /**
   * A committer whose first producer loses the answer to its first commit, after or instead of
   * committing.
   */
  private TransactionalCommitter committer(boolean commitBeforeLosingTheAnswer) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "committer-it-" + id);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    AtomicInteger made = new AtomicInteger();
    Supplier<Producer<byte[], byte[]>> factory =
        () ->
            made.getAndIncrement() == 0
                ? new LosingCommitAnswer(p, commitBeforeLosingTheAnswer)
                : new KafkaProducer<>(p);
    Outputs outputs =
        new Outputs(
            events,
            state,
            events + ".owed",
            "w-it",
            Clock.systemUTC(),
            new DeadLetters(events + ".dlq", "w-it", Clock.systemUTC(), BUDGET),
            BUDGET);
    return new TransactionalCommitter(factory, restorer::isCommitted, outputs);
  }

  private static TransactionalCommitter.Ending ending(String jobId) {
    StatusEvent terminal = TestEvents.terminal(jobId, JobStatus.SUCCEEDED, Instant.now(), "w-it");
    return new TransactionalCommitter.Ending("jobs", 0, 0, terminal, true);
  }

  /** Every key on the events topic, as a read_committed reader sees it. */
  private List<String> committedKeys() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    TopicPartition tp = new TopicPartition(events, 0);
    List<String> keys = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      while (consumer.position(tp) < end) {
        consumer
            .poll(Duration.ofMillis(200))
            .forEach(r -> keys.add(new String(r.key(), StandardCharsets.UTF_8)));
      }
    }
    return keys;
  }

  /** Asks for the commit and then throws as if its answer never came; or throws without asking. */
  private static final class LosingCommitAnswer extends KafkaProducer<byte[], byte[]> {
    private final boolean commit;

    LosingCommitAnswer(Properties properties, boolean commit) {
      super(properties);
      this.commit = commit;
    }

    @Override
    public void commitTransaction() {
      if (commit) {
        super.commitTransaction();
      } else {
        flush(); // every record reached the broker; the commit itself was never asked for
      }
      throw new KafkaException("the answer to the commit was lost (test)");
    }
  }
}
