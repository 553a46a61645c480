package io.imagefleet.cli;

import io.imagefleet.cli.cancel.CancelPublisher;
import io.imagefleet.contracts.CancelRequest;
import io.imagefleet.contracts.TenantTopics;
import io.imagefleet.contracts.Topics;
import io.imagefleet.worker.state.JobState;
import io.imagefleet.worker.state.StateCodec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code imagefleet cancel}: publishes one cancel request, then says what it changes, from the
 * job-state topic: jobs that already ended are left as they are, jobs whose task was already paid
 * for finish, the others end FAILED {@code cancelled} when a worker reaches them.
 */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    description = {
      "Cancels jobs of one tenant that no worker has submitted upstream yet: one job, every job"
          + " whose id starts with a prefix, or every job queued now.",
      "Cancelled jobs end FAILED with code cancelled and cost nothing; a job whose task was"
          + " already created finishes (it is paid for); a job that ended is left as it is.",
      "Example: imagefleet cancel --tenant catalog --prefix catalog-2026-11-24- --reason 'wrong batch'"
    })
final class CancelCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;

  @Option(names = "--tenant", required = true, description = "The tenant whose jobs are cancelled.")
  String tenant;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Scope scope;

  static final class Scope {
    @Option(names = "--job", paramLabel = "JOB_ID", description = "One job.")
    String jobId;

    @Option(
        names = "--prefix",
        paramLabel = "PREFIX",
        description = "Every job whose id starts with PREFIX, including jobs published later.")
    String prefix;

    @Option(
        names = "--all-queued",
        description = "Every job of the tenant published up to now and not yet submitted.")
    boolean allQueued;
  }

  @Option(names = "--reason", description = "Why; repeated on the cancelled jobs' events.")
  String reason;

  @Option(
      names = {"-t", "--topic"},
      defaultValue = Topics.JOB_CONTROL,
      description =
          "Shared control topic; the tenant's own control topic is used" + " when it exists.")
  String topic;

  @Option(
      names = "--tenant-prefix",
      defaultValue = TenantTopics.DEFAULT_BASE,
      description = "The workers' tenants.topic-prefix.")
  String tenantPrefix;

  @Option(
      names = "--state-topic",
      defaultValue = Topics.JOB_STATE,
      description = "Job-state topic read to say what the cancel changes.")
  String stateTopic;

  @Option(names = "--no-check", description = "Publish only; do not read the job-state topic.")
  boolean noCheck;

  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() {
    CancelRequest request = request();
    request
        .invalidReason()
        .ifPresent(
            why -> {
              throw new UserError("cannot cancel: " + why);
            });
    Properties client = kafka.clientProperties();
    String target = controlTopic();
    publish(client, target, request);
    System.out.printf(
        "cancel request %s published to %s: tenant %s, %s%n",
        request.requestId(), target, tenant, describe(request));
    if (!noCheck) {
      report(client, request);
    }
    return 0;
  }

  private CancelRequest request() {
    String id = CancelPublisher.newRequestId();
    Instant now = clock.instant();
    String by = System.getProperty("user.name");
    if (scope.jobId != null) {
      return CancelRequest.ofJob(id, tenant, scope.jobId, reason, now, by);
    }
    if (scope.prefix != null) {
      return CancelRequest.ofPrefix(id, tenant, scope.prefix, reason, now, by);
    }
    return CancelRequest.ofAllQueued(id, tenant, reason, now, by);
  }

  private static String describe(CancelRequest r) {
    return switch (r.scope()) {
      case JOB -> "job " + r.jobId();
      case PREFIX -> "jobs " + r.jobIdPrefix() + "*";
      case ALL_QUEUED -> "every job published up to " + r.requestedAt();
    };
  }

  /** The tenant's own control topic when it exists (its ACLs), else the shared one. */
  private String controlTopic() {
    List<String> candidates = CancelPublisher.candidates(tenant, tenantPrefix, topic);
    String own = candidates.get(0);
    return kafka
        .firstExistingTopic(candidates)
        .orElseThrow(
            () ->
                new UserError(
                    "neither "
                        + own
                        + " nor "
                        + topic
                        + " exists; create the control topic with bin/imagefleet topics"));
  }

  private static void publish(Properties client, String target, CancelRequest request) {
    try {
      new CancelPublisher(client).publish(target, request);
    } catch (ExecutionException e) {
      throw new UserError("the cancel request was not published: " + e.getCause().getMessage());
    } catch (TimeoutException e) {
      throw new UserError("the cancel request was not acknowledged in time; it may be published");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted; the cancel request may not have been published");
    }
  }

  /** What the fleet knows of the jobs the request covers, from their latest states. */
  private void report(Properties client, CancelRequest request) {
    Map<String, JobState> latest;
    try {
      latest = covered(client, request);
    } catch (RuntimeException e) {
      System.out.println(
          "could not read "
              + stateTopic
              + " to say what the cancel changes ("
              + e.getMessage()
              + "); watch the jobs' events");
      return;
    }
    if (request.jobId() != null) {
      JobState s = latest.get(request.jobId());
      System.out.println("job " + request.jobId() + ": " + outcome(s));
      return;
    }
    Map<String, Integer> counts = new HashMap<>();
    latest.values().forEach(s -> counts.merge(kind(s), 1, Integer::sum));
    System.out.printf(
        "jobs the fleet has read that this covers: %d already ended (unchanged), %d with a paid task"
            + " (they finish and store their images), %d not yet submitted (they end FAILED"
            + " cancelled); jobs no worker has read yet end FAILED cancelled when read%n",
        counts.getOrDefault("ended", 0),
        counts.getOrDefault("paid", 0),
        counts.getOrDefault("waiting", 0));
  }

  private static String outcome(JobState s) {
    return switch (kind(s)) {
      case "ended" ->
          "already ended ("
              + s.terminalStatus()
              + ", attempt "
              + s.attempt()
              + "): this cancel changes nothing";
      case "paid" ->
          "its task was already created and paid for: it finishes and stores its images, and its"
              + " terminal event names this request";
      case "waiting" -> "not yet submitted: it ends FAILED cancelled, and nothing is paid";
      default ->
          "no worker has read it yet: it ends FAILED cancelled when read (for up to"
              + " control.remember-for, 7 days by default)";
    };
  }

  private static String kind(JobState s) {
    if (s == null) {
      return "unknown";
    }
    return switch (s.phase()) {
      case ENDED -> "ended";
      case SUBMITTED, SUBMITTING -> "paid";
      case WAITING -> "waiting";
    };
  }

  /** The latest state of each of the tenant's jobs the request covers, by job id. */
  private Map<String, JobState> covered(Properties client, CancelRequest request) {
    Properties p = new Properties();
    p.putAll(client);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<String, JobState> latest = new HashMap<>();
    try (var consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = TopicPartitions.of(consumer, stateTopic);
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> ends = consumer.endOffsets(parts, Duration.ofSeconds(30));
      while (parts.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          JobState s = StateCodec.decode(r.value());
          if (s != null
              && tenant.equals(s.tenant())
              && request.covers(s.tenant(), s.jobId(), request.requestedAt())
              && (latest.get(s.jobId()) == null
                  || s.attempt() >= latest.get(s.jobId()).attempt())) {
            latest.put(s.jobId(), s);
          }
        }
      }
    }
    return latest;
  }
}
