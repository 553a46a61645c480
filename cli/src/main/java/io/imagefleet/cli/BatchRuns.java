package io.imagefleet.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.Json;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.sandbox.upstream.SimulatorStats;
import io.imagefleet.worker.cli.ExitCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What the soak and chaos commands share: publishing a batch, counting paid tasks, writing figures.
 */
final class BatchRuns {
  /**
   * Sends of a batch before giving up: a producer that lost its sequence refuses jobs a fresh
   * producer delivers.
   */
  private static final int SEND_ATTEMPTS = 3;

  private BatchRuns() {}

  /**
   * Publishes {@code count} low-quality jobs with unique prompts (the simulator counts paid tasks
   * per prompt), every one acknowledged: a job the broker refused is sent again by a new producer,
   * since a run that silently lost one would wait out its whole timeout and blame the fleet.
   */
  static List<JobRequest> publish(
      Properties client, String topic, String prefix, int count, int tenants) {
    List<JobRequest> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      batch.add(
          JobRequest.builder(
                  prefix + "-" + i, "tenant-" + (i % tenants), prefix + " product shot " + i)
              .quality("low")
              .build());
    }
    List<JobRequest> unsent = batch;
    for (int attempt = 1; !unsent.isEmpty(); attempt++) {
      if (attempt > SEND_ATTEMPTS) {
        throw new IllegalStateException(
            unsent.size() + " job(s) of the batch could not be published to " + topic);
      }
      unsent = send(client, topic, unsent);
    }
    return batch;
  }

  /**
   * Sends {@code jobs} through one producer; returns those the broker did not acknowledge.
   *
   * <p>One request in flight: the topics were just created, and a partition not yet ready refuses
   * the first batch while it accepts the next one, sent alongside, as the producer's first (a
   * broker takes any first sequence from a producer it does not know). The first batch's retry is
   * then out of order for ever, until it expires. Seen as OutOfOrderSequenceException on the
   * broker, a chaos run stalled for the whole delivery timeout.
   */
  private static List<JobRequest> send(Properties client, String topic, List<JobRequest> jobs) {
    Properties p = new Properties();
    p.putAll(client);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
    Map<JobRequest, Future<RecordMetadata>> sent = new LinkedHashMap<>();
    try (var producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (JobRequest job : jobs) {
        sent.put(
            job,
            producer.send(
                new ProducerRecord<>(
                    topic, job.jobId().getBytes(StandardCharsets.UTF_8), JobCodec.encode(job))));
      }
      producer.flush();
    }
    List<JobRequest> failed = new ArrayList<>();
    sent.forEach(
        (job, ack) -> {
          try {
            ack.get();
          } catch (ExecutionException e) {
            System.err.println(
                "job " + job.jobId() + " not acknowledged (" + e.getCause() + "): sending again");
            failed.add(job);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing", e);
          }
        });
    return failed;
  }

  /** The ids of a batch's jobs, for the tally that follows them. */
  static Set<String> jobIds(List<JobRequest> batch) {
    return batch.stream().map(JobRequest::jobId).collect(Collectors.toSet());
  }

  /** Tasks paid beyond one per job, by the simulator's own count. */
  static long duplicateSubmissions(List<JobRequest> batch, SimulatorStats stats) {
    return batch.stream()
        .mapToLong(j -> Math.max(0, stats.tasksCreatedForPrompt(j.prompt()) - 1))
        .sum();
  }

  /** Unconfirmed submissions the jobs' terminal events report. */
  static long reportedUnconfirmed(Map<String, StatusEvent> terminals) {
    return terminals.values().stream().mapToLong(BatchRuns::unconfirmed).sum();
  }

  /**
   * Tasks paid beyond one per job that no terminal event reports as an unconfirmed submission:
   * money spent without anyone being told. Must be zero.
   */
  static long unreportedDuplicates(
      List<JobRequest> batch, Map<String, StatusEvent> terminals, SimulatorStats stats) {
    return batch.stream()
        .mapToLong(
            j -> {
              StatusEvent end = terminals.get(j.jobId());
              long extra =
                  stats.tasksCreatedForPrompt(j.prompt())
                      - 1
                      - (end == null ? 0 : unconfirmed(end));
              return Math.max(0, extra);
            })
        .sum();
  }

  private static long unconfirmed(StatusEvent end) {
    return end.unconfirmedSubmissions() == null ? 0 : end.unconfirmedSubmissions();
  }

  /**
   * Writes the figures, then prints {@code PASS: claim} when each of the figures named by {@code
   * zeroes} is zero, else {@code FAIL}. Returns the command's exit code.
   */
  static int verdict(ObjectNode figures, Path output, String claim, String... zeroes)
      throws IOException {
    write(figures, output);
    boolean ok = Arrays.stream(zeroes).allMatch(name -> figures.get(name).asInt() == 0);
    System.out.println(ok ? "PASS: " + claim : "FAIL");
    return (ok ? ExitCode.OK : ExitCode.FAILED).code();
  }

  /** Prints the figures and writes them as JSON; a relative path is under the project root. */
  static Path write(ObjectNode figures, Path output) throws IOException {
    Path out =
        output.isAbsolute()
            ? output
            : Path.of(System.getProperty("imagefleet.home", ".")).resolve(output);
    Files.createDirectories(out.getParent());
    Files.write(out, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(figures));
    System.out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(figures));
    System.out.println("written to " + out);
    return out;
  }
}
