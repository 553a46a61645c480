package io.imagefleet.worker.intake;

import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobIdentity;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.contracts.TraceHeaders;
import io.imagefleet.worker.callback.OwedCallback;
import io.imagefleet.worker.config.TenantSettings;
import io.imagefleet.worker.events.RecordBudget;
import io.imagefleet.worker.events.StatusEvents;
import io.imagefleet.worker.state.JobState;
import io.imagefleet.worker.state.StateCodec;
import io.imagefleet.worker.tenant.TenantDirectory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what a transaction carries into Kafka records that fit ({@link RecordBudget}), and each of
 * them into a smaller stand-in when it cannot be written, in steps: a terminal event whole; the
 * event {@linkplain StatusEvents#trimmed trimmed}; a stub in the dead-letter topic; nothing. A job
 * whose ending is a stub still has its ENDED state recorded, so it is never run again. Stateless;
 * used by the commit thread.
 */
final class Outputs {
  private static final Logger log = LoggerFactory.getLogger(Outputs.class);

  private final String eventsTopic;
  private final String stateTopic;
  private final String owedCallbacksTopic;
  private final String workerId;
  private final Clock clock;
  private final DeadLetters deadLetters;
  private final RecordBudget budget;
  private final TenantDirectory tenants;

  /** Outputs that copy nothing to tenants' own topics. */
  Outputs(
      String eventsTopic,
      String stateTopic,
      String owedCallbacksTopic,
      String workerId,
      Clock clock,
      DeadLetters deadLetters,
      RecordBudget budget) {
    this(
        eventsTopic,
        stateTopic,
        owedCallbacksTopic,
        workerId,
        clock,
        deadLetters,
        budget,
        new TenantDirectory(TenantSettings.defaults()));
  }

  Outputs(
      String eventsTopic,
      String stateTopic,
      String owedCallbacksTopic,
      String workerId,
      Clock clock,
      DeadLetters deadLetters,
      RecordBudget budget,
      TenantDirectory tenants) {
    this.eventsTopic = eventsTopic;
    this.stateTopic = stateTopic;
    this.owedCallbacksTopic = owedCallbacksTopic;
    this.workerId = workerId;
    this.clock = clock;
    this.deadLetters = deadLetters;
    this.budget = budget;
    this.tenants = tenants;
  }

  /** How far an output has been cut down. */
  enum Form {
    WHOLE,
    TRIMMED,
    STUB,
    NOTHING
  }

  /** The records of one ending or one dead letter; they commit or abort together with the rest. */
  record Output(
      TransactionalCommitter.Ending ending,
      ProducerRecord<byte[], byte[]> letter,
      Form form,
      List<ProducerRecord<byte[], byte[]>> records) {
    String describe() {
      return ending != null
          ? "the "
              + ending.event().status()
              + " event of job "
              + ending.event().jobId()
              + " ("
              + form
              + ")"
          : "a dead letter (" + form + ")";
    }
  }

  /** The ending's records, already cut down if its event does not fit. */
  Output of(TransactionalCommitter.Ending ending) {
    Output whole = ofEvent(ending, ending.event(), Form.WHOLE);
    return whole != null ? whole : standIn(new Output(ending, null, Form.WHOLE, List.of()));
  }

  Output of(ProducerRecord<byte[], byte[]> letter) {
    Output whole = new Output(null, letter, Form.WHOLE, List.of(letter));
    return budget.fits(letter) ? whole : standIn(whole);
  }

  /** The next smaller form of {@code refused}. */
  Output standIn(Output refused) {
    if (refused.ending() == null) {
      log.error(
          "a dead letter cannot be written even as a stub; it is dropped (its record stays in its topic)");
      return new Output(null, refused.letter(), Form.NOTHING, List.of());
    }
    TransactionalCommitter.Ending ending = refused.ending();
    if (refused.form() == Form.WHOLE) {
      Output trimmed = ofEvent(ending, StatusEvents.trimmed(ending.event()), Form.TRIMMED);
      if (trimmed != null) {
        return trimmed;
      }
    }
    if (refused.form() != Form.STUB && refused.form() != Form.NOTHING) {
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
      records.add(
          deadLetters.endingStub(
              ending.topic(),
              ending.partition(),
              ending.offset(),
              ending.event(),
              "output_too_large: the "
                  + ending.event().status()
                  + " event of this job cannot be written to "
                  + eventsTopic
                  + " even trimmed"));
      endedState(ending).ifPresent(records::add);
      return new Output(ending, null, Form.STUB, records);
    }
    log.error(
        "the ending of job {} cannot be written even as a stub; only its state is recorded",
        ending.event().jobId());
    return new Output(ending, null, Form.NOTHING, endedState(ending).stream().toList());
  }

  /** The event's records when they encode and fit; null otherwise. */
  private Output ofEvent(TransactionalCommitter.Ending ending, StatusEvent event, Form form) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    try {
      byte[] key = event.jobId().getBytes(StandardCharsets.UTF_8);
      byte[] value = JobCodec.encodeEvent(event);
      records.add(traced(new ProducerRecord<>(eventsTopic, key, value), ending));
      // The tenant whose topic the job came from (not the one it claims) gets its copy, in the
      // same transaction: a refused job's ending shows where it was published.
      tenants
          .topics()
          .tenantOfJobs(ending.topic())
          .flatMap(tenants::eventsCopyOf)
          .ifPresent(copy -> records.add(traced(new ProducerRecord<>(copy, key, value), ending)));
      if (ending.endsAttempt() && ending.callbackUrl() != null) {
        // Owed in the transaction that publishes the event: a callback exists exactly when the
        // event does, and its body is the event byte for byte (trimmed when the event is).
        records.add(
            OwedCallback.owed(
                    event.eventId(),
                    event.jobId(),
                    event.tenant(),
                    event.attempt(),
                    ending.callbackUrl(),
                    value,
                    clock.instant(),
                    workerId)
                .withTraceparent(ending.traceparent())
                .toRecord(owedCallbacksTopic));
      }
    } catch (RuntimeException unencodable) {
      log.warn(
          "the {} event of job {} cannot be encoded ({})",
          event.status(),
          event.jobId(),
          unencodable.toString());
      return null;
    }
    endedState(ending).ifPresent(records::add);
    return records.stream().allMatch(budget::fits) ? new Output(ending, null, form, records) : null;
  }

  /**
   * Puts the ending's trace context on its event record, so that downstream teams continue the
   * job's trace from the commit that made it durable.
   */
  private static ProducerRecord<byte[], byte[]> traced(
      ProducerRecord<byte[], byte[]> record, TransactionalCommitter.Ending ending) {
    if (ending.traceparent() != null) {
      record
          .headers()
          .add(TraceHeaders.TRACEPARENT, ending.traceparent().getBytes(StandardCharsets.UTF_8));
    }
    return record;
  }

  private Optional<ProducerRecord<byte[], byte[]>> endedState(
      TransactionalCommitter.Ending ending) {
    if (!ending.endsAttempt()) {
      return Optional.empty();
    }
    StatusEvent e = ending.event();
    JobState ended =
        JobState.ended(
            new JobIdentity(e.tenant(), e.jobId()),
            e.attempt(),
            JobIdentity.bounded(e.route()),
            JobIdentity.bounded(e.upstreamTaskId()),
            e.status(),
            ending.offset(),
            clock.instant(),
            workerId);
    return Optional.of(
        new ProducerRecord<>(
            stateTopic,
            ending.partition(),
            ended.key().getBytes(StandardCharsets.UTF_8),
            StateCodec.encode(ended)));
  }
}
