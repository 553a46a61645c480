package io.imagefleet.worker.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagefleet.contracts.DeadLetterHeaders;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.worker.callback.OwedCallback;
import io.imagefleet.worker.events.RecordBudget;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** One ending the producer refuses for good must not hold the others (invariant 8). */
class TransactionalCommitterTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC);
  private static final RecordBudget BUDGET = new RecordBudget(1024 * 1024);

  @Test
  void anEndingTheProducerRefusesBecomesAStubAndTheOthersCommit() {
    RefusingProducer producer =
        new RefusingProducer(
            r -> r.topic().equals("events") && key(r).equals("poison"),
            () -> new RecordTooLargeException("over the broker's message.max.bytes"));
    TransactionalCommitter committer = committer(producer);

    boolean committed =
        committer.commit(
            List.of(ending("before", 0), ending("poison", 1), ending("after", 2)),
            List.of(),
            Map.of(),
            null);

    assertThat(committed).isTrue();
    assertThat(producer.refusals).as("the whole event, then the trimmed one").isEqualTo(2);
    List<ProducerRecord<byte[], byte[]>> visible = producer.history();
    assertThat(visible)
        .filteredOn(r -> r.topic().equals("events"))
        .extracting(TransactionalCommitterTest::key)
        .containsExactly("before", "after");
    ProducerRecord<byte[], byte[]> stub =
        visible.stream().filter(r -> r.topic().equals("events.dlq")).findFirst().orElseThrow();
    assertThat(header(stub, DeadLetterHeaders.ERROR_CLASS)).isEqualTo("output_too_large");
    assertThat(header(stub, DeadLetterHeaders.ORIGINAL_OFFSET)).isEqualTo("1");
    assertThat(visible)
        .filteredOn(r -> r.topic().equals("state"))
        .extracting(TransactionalCommitterTest::key)
        .as("the stubbed job is recorded ended too: it never runs again")
        .containsExactlyInAnyOrder("catalog/before", "catalog/poison", "catalog/after");
  }

  @Test
  void theCallbackAJobOwesCommitsWithItsEventAndCarriesItByteForByte() throws Exception {
    RefusingProducer producer =
        new RefusingProducer(r -> false, () -> new KafkaException("never refused"));
    TransactionalCommitter committer = committer(producer);
    TransactionalCommitter.Ending withCallback =
        new TransactionalCommitter.Ending(
            "jobs",
            0,
            0,
            TestEvents.terminal("called-back", JobStatus.SUCCEEDED, CLOCK.instant(), "w1"),
            true,
            "https://hooks.example.com/in?token=t");

    assertThat(
            committer.commit(
                List.of(withCallback, ending("no-callback", 1)), List.of(), Map.of(), null))
        .isTrue();

    List<ProducerRecord<byte[], byte[]>> owed =
        producer.history().stream().filter(r -> r.topic().equals("callbacks-owed")).toList();
    assertThat(owed).hasSize(1);
    OwedCallback callback = OwedCallback.decode(owed.get(0).value());
    byte[] event =
        producer.history().stream()
            .filter(r -> r.topic().equals("events") && key(r).equals("called-back"))
            .findFirst()
            .orElseThrow()
            .value();
    assertThat(callback.bodyBytes()).isEqualTo(event);
    assertThat(callback.webhookId()).isEqualTo(withCallback.event().eventId());
    assertThat(key(owed.get(0))).isEqualTo(withCallback.event().eventId());
    assertThat(callback.state()).isEqualTo(OwedCallback.State.OWED);
    assertThat(callback.attempts()).isZero();
    assertThat(callback.nextAttemptAt()).isEqualTo(CLOCK.instant());
    assertThat(callback.url()).isEqualTo("https://hooks.example.com/in?token=t");
  }

  @Test
  void aTransactionThatFailsForAnotherReasonIsNotCutDown() {
    RefusingProducer producer =
        new RefusingProducer(
            r -> key(r).equals("kept"),
            () -> new TimeoutException("the partition's leader did not answer"));
    TransactionalCommitter committer = committer(producer);

    assertThat(committer.commit(List.of(ending("kept", 0)), List.of(), Map.of(), null))
        .as("aborted: the caller keeps the ending for the next transaction")
        .isFalse();
    assertThat(producer.refusals).as("no stand-in was tried").isEqualTo(1);
    assertThat(producer.history()).isEmpty();
  }

  private static TransactionalCommitter committer(RefusingProducer producer) {
    DeadLetters letters = new DeadLetters("events.dlq", "w1", CLOCK, BUDGET);
    Outputs outputs =
        new Outputs("events", "state", "callbacks-owed", "w1", CLOCK, letters, BUDGET);
    return new TransactionalCommitter(() -> producer, (tp, offset) -> false, outputs);
  }

  private static TransactionalCommitter.Ending ending(String jobId, long offset) {
    StatusEvent terminal = TestEvents.terminal(jobId, JobStatus.SUCCEEDED, CLOCK.instant(), "w1");
    return new TransactionalCommitter.Ending("jobs", 0, offset, terminal, true);
  }

  private static String key(ProducerRecord<byte[], byte[]> record) {
    return new String(record.key(), StandardCharsets.UTF_8);
  }

  private static String header(ProducerRecord<byte[], byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  /**
   * Refuses the records a broker with a smaller limit would, as the real producer does: the send
   * fails, and the transaction can then only abort.
   */
  private static final class RefusingProducer extends MockProducer<byte[], byte[]> {
    private final Predicate<ProducerRecord<byte[], byte[]>> refuses;
    private final Supplier<KafkaException> refusal;
    private boolean refusedInThisTransaction;
    int refusals;

    RefusingProducer(
        Predicate<ProducerRecord<byte[], byte[]>> refuses, Supplier<KafkaException> refusal) {
      super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
      this.refuses = refuses;
      this.refusal = refusal;
    }

    @Override
    public void beginTransaction() {
      refusedInThisTransaction = false;
      super.beginTransaction();
    }

    @Override
    public synchronized Future<RecordMetadata> send(
        ProducerRecord<byte[], byte[]> record, Callback callback) {
      if (refuses.test(record)) {
        refusals++;
        refusedInThisTransaction = true;
        KafkaException error = refusal.get();
        if (callback != null) {
          callback.onCompletion(null, error);
        }
        return CompletableFuture.failedFuture(error);
      }
      return super.send(record, callback);
    }

    @Override
    public void commitTransaction() {
      if (refusedInThisTransaction) {
        throw new KafkaException("cannot commit: a send in this transaction failed");
      }
      super.commitTransaction();
    }
  }
}
