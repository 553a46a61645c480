package io.imagefleet.cli;

import io.imagefleet.contracts.FieldError;
import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobValidator;
import io.imagefleet.contracts.TenantName;
import io.imagefleet.contracts.TenantTopics;
import io.imagefleet.contracts.Topics;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code imagefleet submit}: publishes one job, from flags or a JSON file. */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = {
      "Publishes one image job to the jobs topic and prints its job id: the tenant's own jobs topic when it has one, else the shared one.",
      "The job is validated first; fix what is reported, or pass --no-validate to send it anyway.",
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
      description = "The workers' tenants.topic-prefix (default ${DEFAULT-VALUE}).")
  String tenantPrefix;

  @Option(
      names = {"-f", "--file"},
      paramLabel = "JOB.json",
      description = "Job request JSON (see contracts/schemas).")
  Path file;

  @Option(names = "--job-id", description = "Job id, the idempotency key (default: a new UUID).")
  String jobId;

  @Option(names = "--tenant", description = "The team the job belongs to.")
  String tenant;

  @Option(
      names = {"-p", "--prompt"},
      description = "What to draw.")
  String prompt;

  @Option(names = "--route", description = "Upstream model route (default gpt-image-1.5).")
  String route;

  @Option(names = "--size", description = "1:1, 2:3, 3:2, 1024x1024, 1024x1536 or 1536x1024.")
  String size;

  @Option(names = "--quality", description = "low, medium or high.")
  String quality;

  @Option(names = "--n", description = "Images to generate, 1 to 10.")
  Integer n;

  @Option(
      names = "--ref",
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
      description = "Attempt number; higher than 1 asks to process the job again.")
  Integer attempt;

  @Option(
      names = {"-m", "--metadata"},
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
    List<FieldError> errors = new JobValidator().validate(job);
    if (!errors.isEmpty() && !noValidate) {
      System.err.println("error: the job is invalid; fix these fields (or pass --no-validate):");
      errors.forEach(
          e -> System.err.println("  " + e.field() + ": " + e.code() + " - " + e.message()));
      return 2;
    }
    String to = topic != null ? topic : jobsTopicOf(job.tenant());
    RecordMetadata sent = send(kafka.clientProperties(), to, job);
    System.out.println(job.jobId());
    System.err.println(
        "submitted to "
            + sent.topic()
            + "-"
            + sent.partition()
            + "@"
            + sent.offset()
            + "; follow it with: bin/imagefleet watch --job "
            + job.jobId());
    return 0;
  }

  /**
   * The tenant's own jobs topic when it exists (a tenant with one is refused on the shared topic),
   * else the shared one. A principal sees only the topics it may use, so this also finds a team's
   * topic with the team's own credentials.
   */
  private String jobsTopicOf(String tenant) {
    if (!TenantName.isCanonical(tenant)) {
      return Topics.JOBS;
    }
    String own = new TenantTopics(tenantPrefix).jobs(tenant);
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      return admin.listTopics().names().get().contains(own) ? own : Topics.JOBS;
    } catch (ExecutionException e) {
      throw new UserError("cannot list topics: " + e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while listing topics");
    }
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
    try (var producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      return producer
          .send(
              new ProducerRecord<>(
                  topic, job.jobId().getBytes(StandardCharsets.UTF_8), JobCodec.encode(job)))
          .get();
    } catch (ExecutionException e) {
      throw new UserError("Kafka refused the job: " + e.getCause().getMessage());
    }
  }
}
