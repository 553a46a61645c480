package io.imagefleet.cli;

import io.imagefleet.contracts.FieldError;
import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobValidator;
import io.imagefleet.contracts.TenantName;
import io.imagefleet.contracts.TenantTopics;
import io.imagefleet.contracts.Topics;
import io.imagefleet.worker.cli.ExitCode;
import io.imagefleet.worker.config.ConfigLoader;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code imagefleet submit}: publishes one job, from flags or a JSON file. */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = {
      "Publishes one image job and prints its job id: to the tenant's own jobs topic when it has"
          + " one, else to the shared one.",
      "The job is validated first; fix what is reported, or pass --no-validate to send it anyway."
          + " With --wait: follows the job until it ends and exits by its outcome (0 succeeded, 1"
          + " failed, 4 timed out; docs/cli.md), its events on standard error.",
      "Example: imagefleet submit --tenant catalog --prompt 'a red chair, studio light' --size 2:3 --n 2"
    })
final class SubmitCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;

  @Option(
      names = {"-t", "--topic"},
      description =
          "Jobs topic (default: the tenant's own jobs topic when it exists, else "
              + Topics.JOBS
              + ").")
  String topic;

  @Option(
      names = "--tenant-prefix",
      defaultValue = TenantTopics.DEFAULT_BASE,
      description = "The workers' tenants.topic-prefix.")
  String tenantPrefix;

  @Option(
      names = "--events-topic",
      defaultValue = Topics.JOB_EVENTS,
      description = "Events topic, followed with --wait and named in the printed watch command.")
  String eventsTopic;

  @Option(names = "--wait", description = "Wait for the job's end and exit by its outcome.")
  boolean await;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "0s",
      description = "With --wait: give up after this long (e.g. 10m); 0 waits for ever.")
  String timeout;

  @Option(
      names = {"-f", "--file"},
      paramLabel = "JOB.json",
      description = "Job request JSON (see contracts/schemas).")
  Path file;

  @Option(
      names = "--job-id",
      paramLabel = "JOB_ID",
      description = "Job id, the idempotency key; a new UUID when not given.")
  String jobId;

  @Option(
      names = "--tenant",
      paramLabel = "TENANT",
      description = "The team the job belongs to; required without --file.")
  String tenant;

  @Option(
      names = {"-p", "--prompt"},
      paramLabel = "TEXT",
      description = "What to draw; required without --file.")
  String prompt;

  @Option(
      names = "--route",
      paramLabel = "ROUTE",
      description = "Upstream model route; gpt-image-1.5 when not given.")
  String route;

  @Option(
      names = "--size",
      paramLabel = "SIZE",
      description = "1:1, 2:3, 3:2, 1024x1024, 1024x1536 or 1536x1024.")
  String size;

  @Option(names = "--quality", paramLabel = "QUALITY", description = "low, medium or high.")
  String quality;

  @Option(names = "--n", paramLabel = "N", description = "Images to generate, 1 to 10.")
  Integer n;

  @Option(
      names = "--ref",
      showDefaultValue = Visibility.NEVER,
      paramLabel = "URL",
      description = "Reference image URL for edits; repeatable, up to 16.")
  List<String> references = new ArrayList<>();

  @Option(
      names = "--callback",
      paramLabel = "HTTPS_URL",
      description = "Called with the terminal event.")
  String callback;

  @Option(
      names = "--max-cost",
      paramLabel = "USD",
      description = "Refuse the job if its estimated cost is higher.")
  BigDecimal maxCost;

  @Option(names = "--no-fallback", description = "Never move this job to another route.")
  boolean noFallback;

  @Option(
      names = "--attempt",
      paramLabel = "N",
      description = "Attempt number; higher than 1 asks to process the job again.")
  Integer attempt;

  @Option(
      names = {"-m", "--metadata"},
      showDefaultValue = Visibility.NEVER,
      paramLabel = "KEY=VALUE",
      description = "Echoed on every event; repeatable.")
  Map<String, String> metadata = new LinkedHashMap<>();

  @Option(
      names = "--no-validate",
      description = "Send even if validation fails (to test the fleet's own checks).")
  boolean noValidate;

  @Override
  public Integer call() throws IOException, InterruptedException {
    JobRequest job = file != null ? fromFile() : fromFlags();
    Duration limit = ConfigLoader.parseDuration("--timeout", timeout);
    List<FieldError> errors = new JobValidator().validate(job);
    if (!errors.isEmpty() && !noValidate) {
      System.err.println("error: the job is invalid; fix these fields (or pass --no-validate):");
      errors.forEach(
          e -> System.err.println("  " + e.field() + ": " + e.code() + " - " + e.message()));
      return ExitCode.USAGE.code();
    }
    String to = topic != null ? topic : jobsTopicOf(job.tenant());
    Properties client = kafka.connect();
    if (!await) {
      RecordMetadata sent = send(client, to, job);
      System.out.println(job.jobId());
      System.err.println(submitted(sent) + "; follow it with: " + watchCommand(job));
      return ExitCode.OK.code();
    }
    try (JobFollower follower =
        new JobFollower(
            client,
            eventsTopic,
            job.jobId(),
            kafka.bootstrapServers,
            System.err,
            Clock.systemUTC())) {
      // A new id has no events before this offset; an id given by hand may have a history, whose
      // ending answers (the fleet runs a job attempt once).
      Long from = jobId == null && file == null ? follower.endOffset() : null;
      RecordMetadata sent = send(client, to, job);
      System.out.println(job.jobId());
      System.err.println(submitted(sent) + "; waiting for its end (or: " + watchCommand(job) + ")");
      EventPrinter printer =
          new EventPrinter(
              OutputOptions.Format.TEXT,
              false,
              Terminal.ansi(System.getenv(), System.console() != null),
              System.err);
      return follower
          .follow(from, job.attempt() == null ? 1 : job.attempt(), limit, printer)
          .code();
    }
  }

  private static String submitted(RecordMetadata sent) {
    return "submitted to " + sent.topic() + "-" + sent.partition() + "@" + sent.offset();
  }

  /** The watch command that follows this job on the same cluster, ready to paste. */
  private String watchCommand(JobRequest job) {
    List<String> args = new ArrayList<>(List.of("bin/imagefleet", "watch"));
    args.addAll(kafka.asArguments());
    if (!Topics.JOB_EVENTS.equals(eventsTopic)) {
      args.add("--topic");
      args.add(eventsTopic);
    }
    args.add("--job");
    args.add(job.jobId());
    return args.stream().map(SubmitCommand::shellWord).collect(Collectors.joining(" "));
  }

  /** Quoted for a POSIX shell where needed, so the printed command pastes as it reads. */
  static String shellWord(String word) {
    return word.matches("[A-Za-z0-9_@%+=:,./-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
  }

  /**
   * The tenant's own jobs topic when it exists (a tenant with one is refused on the shared topic),
   * else the shared one. A principal sees only the topics it may use, so this also finds a team's
   * topic with the team's own credentials.
   */
  /** The tenant's own jobs topic when it exists, else the shared one. */
  private String jobsTopicOf(String tenant) {
    if (!TenantName.isCanonical(tenant)) {
      return Topics.JOBS;
    }
    return kafka
        .firstExistingTopic(List.of(new TenantTopics(tenantPrefix).jobs(tenant)))
        .orElse(Topics.JOBS);
  }

  private JobRequest fromFile() throws IOException {
    if (!Files.isReadable(file)) {
      throw new UserError("job file " + file + " cannot be read");
    }
    try {
      return JobCodec.decode(Files.readAllBytes(file));
    } catch (RuntimeException e) {
      throw new UserError("job file " + file + " is not a job request: " + e.getMessage());
    }
  }

  private JobRequest fromFlags() {
    if (tenant == null || prompt == null) {
      throw new UserError("--tenant and --prompt are required (or pass --file JOB.json)");
    }
    JobRequest.Builder b =
        JobRequest.builder(jobId != null ? jobId : UUID.randomUUID().toString(), tenant, prompt)
            .referenceImageUrls(references)
            .metadata(metadata)
            .allowFallback(!noFallback)
            .callbackUrl(callback)
            .maxCostUsd(maxCost);
    if (route != null) {
      b.route(route);
    }
    if (size != null) {
      b.size(size);
    }
    if (quality != null) {
      b.quality(quality);
    }
    if (n != null) {
      b.n(n);
    }
    if (attempt != null) {
      b.attempt(attempt);
    }
    return b.build();
  }

  static RecordMetadata send(Properties client, String topic, JobRequest job)
      throws InterruptedException {
    Properties p = new Properties();
    p.putAll(client);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    // The cluster answered a moment ago; a topic that does not show up within this is missing.
    p.put(
        ProducerConfig.MAX_BLOCK_MS_CONFIG,
        String.valueOf(KafkaOptions.CONNECT_TIMEOUT.toMillis()));
    try (var producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      return producer
          .send(
              new ProducerRecord<>(
                  topic, job.jobId().getBytes(StandardCharsets.UTF_8), JobCodec.encode(job)))
          .get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
        throw new UserError(
            "topic "
                + topic
                + " did not show up within "
                + KafkaOptions.CONNECT_TIMEOUT.toSeconds()
                + " s: create it with bin/imagefleet topics, or name another with --topic");
      }
      throw new UserError("Kafka refused the job: " + e.getCause().getMessage());
    }
  }
}
