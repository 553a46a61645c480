package io.imagefleet.worker.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagefleet.contracts.ErrorCodes;
import io.imagefleet.contracts.FieldError;
import io.imagefleet.contracts.JobCodec;
import io.imagefleet.contracts.JobError;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.JobStatus;
import io.imagefleet.contracts.JobValidator;
import io.imagefleet.contracts.Json;
import io.imagefleet.contracts.StatusEvent;
import io.imagefleet.contracts.UndecodableJobException;
import io.imagefleet.worker.events.RecordBudget;
import io.imagefleet.worker.events.StatusEvents;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * Whatever a producer writes, the worker's answer fits in a record (issue 18): generated job
 * records (any text, huge and unicode, numbers of any scale, random bytes) go through decode,
 * validation and the outputs the intake builds from them: the FAILED, key-mismatch and DUPLICATE
 * events with their ENDED states, or the dead letter of a record that does not decode. Nothing on
 * the way throws but {@link UndecodableJobException}, and every output fits the budget of a
 * producer whose {@code max.request.size} is the default MiB.
 */
class OutputBudgetPropertyTest {
  private static final int MAX_REQUEST_SIZE = 1024 * 1024;
  private static final String JOBS = "jobs";

  private final RecordBudget budget = budgetOf(MAX_REQUEST_SIZE);
  private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  private final DeadLetters deadLetters = new DeadLetters("dlq", "worker-1", clock, budget);
  private final Outputs outputs =
      new Outputs("events", "state", "callbacks-owed", "worker-1", clock, deadLetters, budget);
  // The estimate stamped on events is the job's own ceiling here: a number of whatever scale the
  // producer chose.
  private final StatusEvents events =
      new StatusEvents("worker-1", clock, (job, route) -> Optional.ofNullable(job.maxCostUsd()));
  private final JobValidator validator = new JobValidator();

  @Property(tries = 300)
  void everyAnswerToAGeneratedJobFitsARecord(
      @ForAll("jobRecords") byte[] value, @ForAll("keys") byte[] key) {
    answerFits(value, key);
  }

  @Property(tries = 300)
  void everyAnswerToRandomBytesFitsARecord(
      @ForAll("randomBytes") byte[] value, @ForAll("keys") byte[] key) {
    answerFits(value, key);
  }

  @Property(tries = 50)
  void aDeadLetterFitsWhateverTheRecordCarries(
      @ForAll("randomBytes") byte[] value,
      @ForAll("keys") byte[] key,
      @ForAll("headerSizes") int headerBytes) {
    ConsumerRecord<byte[], byte[]> record = consumed(key, value);
    for (int i = 0; headerBytes > 0; i++, headerBytes -= 10_000) {
      record.headers().add("h" + i, new byte[Math.min(10_000, headerBytes)]);
    }
    assertFits(
        deadLetters.letter(
            record, "undecodable: " + "x".repeat(5_000), new UndecodableJobException("x")));
  }

  /**
   * Decodes, validates and answers {@code value} as the intake would; asserts that what it would
   * write fits.
   */
  private void answerFits(byte[] value, byte[] key) {
    ConsumerRecord<byte[], byte[]> record = consumed(key, value);
    JobRequest job;
    try {
      job = JobCodec.decode(value);
    } catch (UndecodableJobException undecodable) {
      Statistics.label("answer").collect("dead letter");
      assertFits(
          deadLetters.letter(record, "undecodable: " + undecodable.getMessage(), undecodable));
      return;
    }
    List<FieldError> errors = validator.validate(job);
    if (job.jobId() == null || job.jobId().isBlank()) {
      Statistics.label("answer").collect("dead letter");
      assertFits(
          deadLetters.letter(
              record, "undecodable: job request has no job_id", new UndecodableJobException("x")));
      return;
    }
    Statistics.label("answer").collect(errors.isEmpty() ? "valid" : "invalid");
    StatusEvents.Routing none = StatusEvents.Routing.NONE;
    StatusEvent answer =
        errors.isEmpty()
            ? events.failed(
                job,
                none,
                null,
                JobError.of(ErrorCodes.COST_CEILING_EXCEEDED, "over its ceiling", false))
            : events.failed(job, none, null, JobError.invalid(errors));
    assertWhole(answer, true);
    assertWhole(
        events.failed(
            job, none, null, JobError.of(ErrorCodes.KEY_MISMATCH, "not its job_id", false)),
        false);
    assertWhole(events.duplicate(job, Math.max(1, job.attempt()), JobStatus.FAILED), false);
  }

  /** The event encodes, and goes out whole with its ENDED state when it ends the attempt. */
  private void assertWhole(StatusEvent event, boolean endsAttempt) {
    byte[] encoded = JobCodec.encodeEvent(event);
    assertThat(JobCodec.decodeEvent(encoded).jobId()).isEqualTo(event.jobId());
    Outputs.Output output =
        outputs.of(new TransactionalCommitter.Ending(JOBS, 0, 42L, event, endsAttempt));
    assertThat(output.form()).as("form of %s", output.describe()).isEqualTo(Outputs.Form.WHOLE);
    output.records().forEach(this::assertFits);
  }

  private void assertFits(ProducerRecord<byte[], byte[]> record) {
    assertThat(RecordBudget.sizeOf(record))
        .as("bytes of a record to %s", record.topic())
        .isLessThanOrEqualTo(budget.maxBytes());
  }

  private static ConsumerRecord<byte[], byte[]> consumed(byte[] key, byte[] value) {
    return new ConsumerRecord<>(
        JOBS,
        0,
        42L,
        0L,
        TimestampType.CREATE_TIME,
        key == null ? -1 : key.length,
        value == null ? -1 : value.length,
        key,
        value,
        new RecordHeaders(),
        Optional.empty());
  }

  private static RecordBudget budgetOf(int maxRequestSize) {
    Properties p = new Properties();
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(maxRequestSize));
    return RecordBudget.of(p);
  }

  // ---- generators -----------------------------------------------------------------------------

  /**
   * A job as JSON, its fields anything from valid to absurd, the bytes sometimes mangled
   * afterwards.
   */
  @Provide
  Arbitrary<byte[]> jobRecords() {
    Arbitrary<ObjectNode> job =
        Combinators.combine(
                orValid("job-1"),
                orValid("team-a"),
                orValid("a chair"),
                costs(),
                integers(),
                integers(),
                metadata(),
                urls())
            .as(
                (id, tenant, prompt, cost, n, attempt, metadata, urls) -> {
                  ObjectNode node = JsonNodeFactory.instance.objectNode();
                  putText(node, "job_id", id);
                  putText(node, "tenant", tenant);
                  putText(node, "prompt", prompt);
                  if (cost != null) {
                    node.put("max_cost_usd", cost);
                  }
                  putNumber(node, "n", n);
                  putNumber(node, "attempt", attempt);
                  if (metadata != null) {
                    ObjectNode m = node.putObject("metadata");
                    metadata.forEach(m::put);
                  }
                  if (urls != null) {
                    ArrayNode array = node.putArray("reference_image_urls");
                    urls.forEach(array::add);
                  }
                  return node;
                });
    Arbitrary<ObjectNode> withRoute =
        Combinators.combine(job, orValid(null), orValid(null), orValid(null))
            .as(
                (node, route, size, callback) -> {
                  putText(node, "route", route);
                  putText(node, "size", size);
                  putText(node, "callback_url", callback);
                  return node;
                });
    // Without edge cases: they would mangle at byte 0 far more often than anywhere else.
    return Combinators.combine(
            withRoute,
            Arbitraries.integers().between(0, 9).withoutEdgeCases(),
            Arbitraries.integers().between(0, 1_000_000).withoutEdgeCases())
        .as((node, mangle, at) -> mangled(bytesOf(node), mangle, at));
  }

  @Provide
  Arbitrary<byte[]> keys() {
    return Arbitraries.oneOf(
        Arbitraries.<byte[]>just(null),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(200),
        texts().map(t -> t == null ? null : t.getBytes(StandardCharsets.UTF_8)));
  }

  @Provide
  Arbitrary<byte[]> randomBytes() {
    return Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofMaxSize(2_000),
        Arbitraries.integers().between(0, MAX_REQUEST_SIZE + 100_000).map(byte[]::new),
        Arbitraries.<byte[]>just(null));
  }

  @Provide
  Arbitrary<Integer> headerSizes() {
    return Arbitraries.integers().between(0, MAX_REQUEST_SIZE);
  }

  /** Any text, or now and then {@code valid}, so that some jobs break only a few rules or none. */
  private static Arbitrary<String> orValid(String valid) {
    return Arbitraries.frequencyOf(Tuple.of(2, texts()), Tuple.of(1, Arbitraries.just(valid)));
  }

  /**
   * Null, short unicode (lone surrogates and control characters included), or up to far past every
   * limit.
   */
  private static Arbitrary<String> texts() {
    return texts(60_000);
  }

  /**
   * As {@link #texts()}, the long ones a unit of up to 8 characters repeated up to {@code
   * maxRepeats} times: far past every limit, while the whole record stays near what a broker
   * accepts.
   */
  private static Arbitrary<String> texts(int maxRepeats) {
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.<String>just(null)),
        Tuple.of(4, Arbitraries.strings().all().ofMaxLength(40)),
        Tuple.of(
            3,
            Arbitraries.strings()
                .withCharRange('a', 'z')
                .numeric()
                .withChars("._:-")
                .ofMinLength(1)
                .ofMaxLength(130)),
        Tuple.of(
            1,
            Combinators.combine(
                    Arbitraries.strings().all().ofMinLength(1).ofMaxLength(8),
                    Arbitraries.integers().between(1, maxRepeats))
                .as(String::repeat)));
  }

  /**
   * Null, or any unscaled value at any scale: {@code 1e-999999999} and {@code 1e999999999} are both
   * in range.
   */
  private static Arbitrary<BigDecimal> costs() {
    Arbitrary<BigDecimal> any =
        Combinators.combine(
                Arbitraries.bigIntegers()
                    .between(BigInteger.TEN.pow(40).negate(), BigInteger.TEN.pow(40)),
                Arbitraries.integers().between(-999_999_999, 999_999_999))
            .as(BigDecimal::new);
    return Arbitraries.oneOf(
        Arbitraries.<BigDecimal>just(null),
        any,
        Arbitraries.of(
            new BigDecimal("1e-999999999"), new BigDecimal("1e999999999"), new BigDecimal("0.01")));
  }

  /** Mostly ints, as the fields are; sometimes beyond them (an undecodable record). */
  private static Arbitrary<Long> integers() {
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.<Long>just(null)),
        Tuple.of(4, Arbitraries.integers().map(Integer::longValue)),
        Tuple.of(
            3,
            Arbitraries.of(
                1L, 10L, 11L, 0L, -1L, (long) Integer.MAX_VALUE, (long) Integer.MIN_VALUE)),
        Tuple.of(1, Arbitraries.longs()));
  }

  private static Arbitrary<Map<String, String>> metadata() {
    Arbitrary<String> text = texts(300).filter(t -> t != null);
    return Arbitraries.oneOf(
        Arbitraries.<Map<String, String>>just(null),
        Arbitraries.maps(text, text).ofMaxSize(40),
        Arbitraries.integers().between(0, 5_000).map(n -> bigMap(n)));
  }

  private static Map<String, String> bigMap(int entries) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i < entries; i++) {
      map.put("key-" + i, "v".repeat(i % 50));
    }
    return map;
  }

  private static Arbitrary<List<String>> urls() {
    Arbitrary<String> url =
        Arbitraries.oneOf(
            texts(300).filter(t -> t != null),
            Arbitraries.of(
                "https://images.example.com/a.png",
                "http://169.254.169.254/x.png",
                "file:///etc/passwd"));
    return Arbitraries.oneOf(Arbitraries.<List<String>>just(null), url.list().ofMaxSize(40));
  }

  private static void putText(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  private static void putNumber(ObjectNode node, String field, Long value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  private static byte[] bytesOf(ObjectNode node) {
    try {
      return Json.mapper().writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Mostly as written; else cut, a byte flipped, wrapped in an array, or followed by garbage. */
  private static byte[] mangled(byte[] json, int how, int at) {
    int i = json.length == 0 ? 0 : at % json.length;
    return switch (how) {
      case 0 -> Arrays.copyOf(json, i);
      case 1 -> {
        byte[] flipped = json.clone();
        if (flipped.length > 0) {
          flipped[i] ^= (byte) (1 + at % 255);
        }
        yield flipped;
      }
      case 2 ->
          ("[" + new String(json, StandardCharsets.UTF_8) + "]").getBytes(StandardCharsets.UTF_8);
      case 3 ->
          (new String(json, StandardCharsets.UTF_8) + "\u0000\uFFFF")
              .getBytes(StandardCharsets.UTF_8);
      default -> json;
    };
  }
}
