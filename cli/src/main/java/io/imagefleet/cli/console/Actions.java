package io.imagefleet.cli.console;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.imagefleet.cli.DurableProducer;
import io.imagefleet.cli.cancel.CancelPublisher;
import io.imagefleet.cli.redrive.DeadLetterRedrive;
import io.imagefleet.contracts.CancelRequest;
import io.imagefleet.contracts.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What may be done from the page: the operator redrives one dead letter or cancels one job, a
 * tenant cancels one of its own jobs; each by the same rules as the CLI's {@code dlq redrive} and
 * {@code cancel}, and each recorded on the audit topic with who, what, the target, the result and
 * when.
 *
 * <p>Called from the HTTP threads. One action runs at a time in this console, so two clicks on the
 * same letter are decided one after the other; against other consoles and the CLI, {@link
 * DeadLetterRedrive} keeps a letter from being republished twice.
 */
final class Actions implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Actions.class);

  /** Longer than a redrive takes on a healthy cluster; a click waiting longer is answered busy. */
  private static final long WAIT_SECONDS = 60;

  private final String deadLetterTopic;
  private final ActionSettings settings;
  private final Optional<String> whyOff;
  private final JobView jobs;
  private final ActionLog recent;
  private final DeadLetterRedrive redrive;
  private final CancelPublisher cancels;
  private final KafkaProducer<byte[], byte[]> audit;
  private final Clock clock;
  private final ReentrantLock oneAtATime = new ReentrantLock(true);

  /**
   * @param whyOff why actions are off, or empty when they are on
   */
  Actions(
      Properties client,
      ConsoleSettings settings,
      Optional<String> whyOff,
      JobView jobs,
      ActionLog recent,
      Clock clock) {
    this.deadLetterTopic = settings.deadLettersTopic();
    this.settings = settings.actions();
    this.whyOff = whyOff;
    this.jobs = jobs;
    this.recent = recent;
    this.clock = clock;
    this.redrive = new DeadLetterRedrive(client, this.settings.redriveGroup());
    this.cancels = new CancelPublisher(client);
    if (whyOff.isPresent()) {
      this.audit = null;
    } else {
      Properties p = new Properties();
      p.putAll(client);
      p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "imagefleet-console-actions");
      this.audit = DurableProducer.open(p);
    }
  }

  /** What the page shows: whether it may act, and the newest actions. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Status(
      boolean enabled, String whyNot, String deadLetterTopic, List<ActionRecord> recent) {}

  /** An action's answer: the HTTP status and the record written. */
  record Answer(int status, ActionRecord record) {}

  /**
   * A tenant sees the cancels of its own jobs only: the rest name other tenants' jobs and any
   * producer's dead letters.
   */
  Status status(Viewer viewer) {
    return new Status(
        whyOff.isEmpty(),
        whyOff.orElse(null),
        viewer.isOperator() ? deadLetterTopic : null,
        recent.newestFirst().stream().filter(r -> viewer.sees(r.owner())).toList());
  }

  Optional<String> whyOff() {
    return whyOff;
  }

  Answer redrive(int partition, long offset, String by) throws InterruptedException {
    String target = deadLetterTopic + "-" + partition + "@" + offset;
    return serially(
        ActionRecord.REDRIVE,
        target,
        by,
        () -> {
          DeadLetterRedrive.Outcome o = redrive.redriveOne(deadLetterTopic, partition, offset);
          return switch (o.result()) {
            case REDRIVEN -> new Result(200, "done", o.message());
            case ALREADY_REDRIVEN -> new Result(409, "already_done", o.message());
            case NOT_REDRIVABLE -> new Result(422, "refused", o.message());
            case FAILED -> new Result(502, "failed", o.message());
          };
        });
  }

  Answer cancel(String tenant, String jobId, String reason, String by) throws InterruptedException {
    String target = tenant + "/" + jobId;
    return serially(
        ActionRecord.CANCEL,
        target,
        by,
        () -> {
          var known = jobs.detail(new JobView.JobKey(tenant, jobId));
          if (known.isPresent() && known.get().job().status().isTerminal()) {
            return new Result(
                409,
                "refused",
                "job "
                    + target
                    + " already ended "
                    + known.get().job().status()
                    + ": a cancel would change nothing");
          }
          CancelRequest request =
              CancelPublisher.ofJob(tenant, jobId, reason, clock.instant(), "console " + by);
          Optional<String> invalid = request.invalidReason();
          if (invalid.isPresent()) {
            return new Result(422, "refused", "cannot cancel: " + invalid.get());
          }
          try {
            Optional<String> topic =
                cancels.controlTopic(tenant, settings.tenantPrefix(), settings.controlTopic());
            if (topic.isEmpty()) {
              return new Result(
                  503,
                  "failed",
                  "no control topic "
                      + CancelPublisher.candidates(
                          tenant, settings.tenantPrefix(), settings.controlTopic())
                      + " exists; create it with bin/imagefleet topics");
            }
            cancels.publish(topic.get(), request);
            return new Result(
                200,
                "done",
                "cancel request "
                    + request.requestId()
                    + " published to "
                    + topic.get()
                    + ": the job ends FAILED cancelled unless a worker already submitted it (then"
                    + " it finishes: it is paid for)");
          } catch (ExecutionException | TimeoutException e) {
            return new Result(502, "failed", "the cancel request was not published: " + e);
          }
        });
  }

  private record Result(int status, String result, String message) {}

  private interface Work {
    Result run() throws InterruptedException;
  }

  private Answer serially(String action, String target, String by, Work work)
      throws InterruptedException {
    if (whyOff.isPresent()) {
      throw new IllegalStateException(whyOff.get());
    }
    if (!oneAtATime.tryLock(WAIT_SECONDS, TimeUnit.SECONDS)) {
      return new Answer(
          503, record(action, target, by, "failed", "another action is still running; try again"));
    }
    try {
      Result r;
      try {
        r = work.run();
      } catch (RuntimeException e) {
        log.warn("console action {} on {} failed", action, target, e);
        r = new Result(500, "failed", "failed: " + e.getMessage());
      }
      ActionRecord done = record(action, target, by, r.result(), r.message());
      return new Answer(r.status(), recorded(done));
    } finally {
      oneAtATime.unlock();
    }
  }

  private ActionRecord record(
      String action, String target, String by, String result, String message) {
    return new ActionRecord(
        ActionRecord.SCHEMA_VERSION,
        UUID.randomUUID().toString(),
        action,
        target,
        by,
        result,
        message,
        clock.instant());
  }

  /** Writes the record to the audit topic; says so in the message when it could not. */
  private ActionRecord recorded(ActionRecord r) throws InterruptedException {
    try {
      audit
          .send(
              new ProducerRecord<>(
                  settings.auditTopic(),
                  r.target().getBytes(StandardCharsets.UTF_8),
                  Json.mapper().writeValueAsBytes(r)))
          .get(30, TimeUnit.SECONDS);
      return r;
    } catch (ExecutionException | TimeoutException | java.io.IOException e) {
      log.warn("console action {} on {} not recorded", r.action(), r.target(), e);
      return new ActionRecord(
          r.schemaVersion(),
          r.actionId(),
          r.action(),
          r.target(),
          r.by(),
          r.result(),
          r.message() + " (not recorded on " + settings.auditTopic() + ": " + e + ")",
          r.at());
    }
  }

  @Override
  public void close() {
    if (audit != null) {
      audit.close();
    }
  }
}
