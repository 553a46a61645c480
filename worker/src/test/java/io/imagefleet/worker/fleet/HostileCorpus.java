package io.imagefleet.worker.fleet;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.imagefleet.contracts.ErrorCodes;
import io.imagefleet.contracts.JobValidator;
import io.imagefleet.contracts.PromptTokens;
import io.imagefleet.worker.config.ModelPresets;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Records an outside team could write to the jobs topic with kcat or kafkajs, each with the answer
 * the fleet owes it. Every record carries a marker ({@code hostile-NNN}) in its job id and prompt
 * wherever it has them, so that its answer and any upstream task made for it can be told apart.
 *
 * <p>Sizes stay below the broker's default {@code message.max.bytes}: the corpus is about what a
 * broker accepts, not what it refuses.
 */
final class HostileCorpus {
  static final String TENANT = "corpus";
  private static final String MARKER = "hostile-";

  /**
   * Long enough to be over every limit, and as long as the job id that stalled a worker in issue
   * 18.
   */
  private static final int HUGE = 540_000;

  /**
   * A record's key and value together must stay under a MiB, so a huge key has to leave room for
   * its value.
   */
  private static final int HUGE_KEYED = 500_000;

  /**
   * A little under the producer's default {@code max.request.size}, headers and framing included.
   */
  private static final int NEAR_MIB = 1024 * 1024 - 4096;

  /**
   * What the fleet owes a record: one dead letter, one FAILED event with one of {@code codes}, or a
   * run.
   */
  record Expected(Kind kind, Set<String> codes) {
    enum Kind {
      DEAD_LETTER,
      FAILED,
      SUCCEEDED
    }

    static Expected deadLetter() {
      return new Expected(Kind.DEAD_LETTER, Set.of());
    }

    /** FAILED with any of {@code codes}; with none, any code. */
    static Expected failed(String... codes) {
      return new Expected(Kind.FAILED, Set.of(codes));
    }

    static Expected succeeded() {
      return new Expected(Kind.SUCCEEDED, Set.of());
    }

    /** A record the fleet must never spend on. */
    boolean refused() {
      return kind != Kind.SUCCEEDED;
    }

    @Override
    public String toString() {
      return kind
          + (codes.isEmpty() ? "" : " " + codes.stream().sorted().collect(Collectors.joining("|")));
    }
  }

  /**
   * One record.
   *
   * @param headers Kafka headers, in order
   * @param jobId the job id its events carry (before bounding), or null when it has none to answer
   *     under
   * @param marker in its job id and prompt where it has them
   */
  record Entry(
      String name,
      String marker,
      byte[] key,
      byte[] value,
      Map<String, byte[]> headers,
      String jobId,
      Expected expected) {
    @Override
    public String toString() {
      return marker + " " + name;
    }
  }

  private final List<Entry> entries = new ArrayList<>();
  private final Random random = new Random(18);

  private HostileCorpus() {}

  static List<Entry> entries() {
    HostileCorpus c = new HostileCorpus();
    c.bytesAndEncodings();
    c.structure();
    c.identity();
    c.numbers();
    c.texts();
    c.collections();
    c.urls();
    c.sizes();
    return List.copyOf(c.entries);
  }

  private void bytesAndEncodings() {
    raw("garbage bytes", bytes("k"), randomBytes(512));
    raw("garbage after an opening brace", bytes("k"), concat(bytes("{"), randomBytes(256)));
    job(
        "invalid UTF-8 in the prompt",
        j -> j.rawPrompt(new byte[] {(byte) 0xC3, 0x28}).expect(Expected.deadLetter()));
    job(
        "overlong UTF-8 in the prompt",
        j -> j.rawPrompt(new byte[] {(byte) 0xC0, (byte) 0xAF}).expect(Expected.deadLetter()));
    job("UTF-16 with a byte order mark", j -> j.encoding("UTF-16").expect(Expected.deadLetter()));
    job(
        "UTF-16LE without a byte order mark",
        j -> j.encoding("UTF-16LE").expect(Expected.deadLetter()));
    job("UTF-32", j -> j.encoding("UTF-32").expect(Expected.deadLetter()));
    raw("empty value", bytes("k"), new byte[0]);
    raw("null value (tombstone)", bytes("k"), null);
    raw("null value and null key", null, null);
    raw("whitespace only", bytes("k"), bytes(" \n\t "));
    raw("NUL bytes", bytes("k"), new byte[64]);
  }

  private void structure() {
    raw("JSON array", bytes("k"), bytes("[{\"job_id\":\"a\",\"tenant\":\"t\",\"prompt\":\"p\"}]"));
    raw("JSON string", bytes("k"), bytes("\"job\""));
    raw("JSON number", bytes("k"), bytes("1e999999999"));
    raw("JSON null", bytes("k"), bytes("null"));
    raw("JSON true", bytes("k"), bytes("true"));
    raw("truncated object", bytes("k"), bytes("{\"job_id\": \"x\", \"prompt\": "));
    raw("two objects", bytes("k"), bytes("{\"job_id\":\"a\"} {\"job_id\":\"b\"}"));
    raw("arrays nested 100k deep", bytes("k"), bytes("[".repeat(100_000) + "]".repeat(100_000)));
    job(
        "arrays nested 100k deep in metadata",
        j ->
            j.raw("metadata", "[".repeat(100_000) + "]".repeat(100_000))
                .expect(Expected.deadLetter()));
    job(
        "objects nested 100k deep in an unknown field",
        j ->
            j.raw("extra", "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000))
                .expect(Expected.deadLetter()));
    job(
        "unknown fields",
        j ->
            j.raw("evil", "{\"__proto__\":{\"admin\":true}}")
                .raw("x-debug", "[1,2,3]")
                .expect(Expected.succeeded()));
    // Readers that take the first of two equal keys see another job than the fleet: ambiguous, not
    // a job.
    job(
        "duplicate job_id keys",
        j ->
            j.raw("job_id", q("decoy-" + j.marker))
                .named("decoy-" + j.marker)
                .expect(Expected.deadLetter()));
    job(
        "duplicate tenant keys",
        j -> j.raw("tenant", q("someone-else")).expect(Expected.deadLetter()));
  }

  private void identity() {
    job("no job_id", j -> j.remove("job_id").expect(Expected.deadLetter()));
    job(
        "blank job_id",
        j -> j.set("job_id", q("   ")).key(bytes("   ")).expect(Expected.deadLetter()));
    job("null job_id", j -> j.set("job_id", "null").expect(Expected.deadLetter()));
    job("job_id a number", j -> j.set("job_id", "12").expect(Expected.deadLetter()));
    job("job_id an object", j -> j.set("job_id", "{\"id\":1}").expect(Expected.deadLetter()));
    job(
        "job_id at its bound",
        j ->
            j.jobId(
                    j.marker
                        + "-"
                        + "x".repeat(JobValidator.MAX_JOB_ID_CHARS - j.marker.length() - 1))
                .expect(Expected.succeeded()));
    job(
        "job_id beyond its bound",
        j ->
            j.jobId(j.marker + "-" + "x".repeat(JobValidator.MAX_JOB_ID_CHARS - j.marker.length()))
                .expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "huge job_id, null key",
        j ->
            j.jobId(j.marker + "-" + "x".repeat(HUGE))
                .key(null)
                .expect(Expected.failed(ErrorCodes.KEY_MISMATCH)));
    job(
        "huge job_id, matching key",
        j ->
            j.jobId(j.marker + "-" + "x".repeat(HUGE_KEYED))
                .expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job("job_id '.'", j -> j.jobId(".").expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job("job_id '..'", j -> j.jobId("..").expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "job_id a path",
        j ->
            j.jobId("../../" + j.marker + "/etc/passwd")
                .expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "job_id with a newline",
        j ->
            j.jobId(j.marker + "\nINFO forged log line")
                .expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "job_id in another script",
        j -> j.jobId(j.marker + "-ジョブ").expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "job_id with a lone surrogate",
        j ->
            j.set("job_id", "\"" + j.marker + "\\ud800\"")
                .named(j.marker + "\ud800")
                .key(bytes(j.marker + "\ud800"))
                .expect(Expected.failed(ErrorCodes.INVALID_JOB, ErrorCodes.KEY_MISMATCH)));
    job(
        "key is another job's id",
        j -> j.key(bytes("someone-elses-job")).expect(Expected.failed(ErrorCodes.KEY_MISMATCH)));
    job("null key", j -> j.key(null).expect(Expected.failed(ErrorCodes.KEY_MISMATCH)));
    job("empty key", j -> j.key(new byte[0]).expect(Expected.failed(ErrorCodes.KEY_MISMATCH)));
    job(
        "key with a trailing space",
        j -> j.key(bytes(j.marker + " ")).expect(Expected.failed(ErrorCodes.KEY_MISMATCH)));
    job(
        "key in UTF-16",
        j ->
            j.key(j.marker.getBytes(StandardCharsets.UTF_16BE))
                .expect(Expected.failed(ErrorCodes.KEY_MISMATCH)));
    job("no tenant", j -> j.remove("tenant").expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "tenant at its bound",
        j -> j.set("tenant", q("t".repeat(63))).expect(Expected.succeeded()));
    job(
        "tenant beyond its bound",
        j -> j.set("tenant", q("t".repeat(64))).expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "huge tenant",
        j -> j.set("tenant", q("t".repeat(HUGE))).expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "tenant in upper case",
        j -> j.set("tenant", q("CORPUS")).expect(Expected.failed(ErrorCodes.INVALID_JOB)));
  }

  private void numbers() {
    // The ceiling's own formatting must stay bounded (issue 18): refused as out of range, not run
    // or formatted.
    job(
        "max_cost_usd 1e-999999999",
        j -> j.raw("max_cost_usd", "1e-999999999").expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "max_cost_usd 1e999999999",
        j -> j.raw("max_cost_usd", "1e999999999").expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "max_cost_usd -1e999999999",
        j -> j.raw("max_cost_usd", "-1e999999999").expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "max_cost_usd 0",
        j -> j.raw("max_cost_usd", "0").expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "max_cost_usd negative",
        j -> j.raw("max_cost_usd", "-0.01").expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "max_cost_usd with 1200 digits",
        j -> j.raw("max_cost_usd", "0." + "1".repeat(1200)).expect(Expected.deadLetter()));
    job("max_cost_usd \"NaN\"", j -> j.raw("max_cost_usd", q("NaN")).expect(Expected.deadLetter()));
    job("max_cost_usd NaN token", j -> j.raw("max_cost_usd", "NaN").expect(Expected.deadLetter()));
    job(
        "max_cost_usd \"-Infinity\"",
        j -> j.raw("max_cost_usd", q("-Infinity")).expect(Expected.deadLetter()));
    job("n 1e999999999", j -> j.raw("n", "1e999999999").expect(Expected.deadLetter()));
    job("n beyond int", j -> j.raw("n", "99999999999999999999").expect(Expected.deadLetter()));
    job("n a fraction", j -> j.raw("n", "1.5").expect(Expected.deadLetter()));
    job("n a string", j -> j.raw("n", q("3")).expect(Expected.deadLetter()));
    job(
        "n at its bound",
        j -> j.raw("n", String.valueOf(JobValidator.MAX_IMAGES)).expect(Expected.succeeded()));
    job(
        "n beyond its bound",
        j ->
            j.raw("n", String.valueOf(JobValidator.MAX_IMAGES + 1))
                .expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job("n 0", j -> j.raw("n", "0").expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "n negative",
        j -> j.raw("n", "-2147483648").expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job("attempt 1e999999999", j -> j.raw("attempt", "1e999999999").expect(Expected.deadLetter()));
    job("attempt 0", j -> j.raw("attempt", "0").expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "attempt negative",
        j -> j.raw("attempt", "-1").expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "schema_version 2",
        j -> j.raw("schema_version", "2").expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "schema_version negative",
        j -> j.raw("schema_version", "-1").expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "schema_version 1e999999999",
        j -> j.raw("schema_version", "1e999999999").expect(Expected.deadLetter()));
    job(
        "allow_fallback a string",
        j -> j.raw("allow_fallback", q("yes")).expect(Expected.deadLetter()));
    job(
        "created_at not a date",
        j -> j.raw("created_at", q("yesterday")).expect(Expected.deadLetter()));
  }

  private void texts() {
    job("no prompt", j -> j.remove("prompt").expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "blank prompt",
        j -> j.set("prompt", q(" \t\n ")).expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job("prompt a number", j -> j.set("prompt", "5").expect(Expected.deadLetter()));
    // " a" is one o200k_base token, so this prompt is exactly at, and the next just beyond, the
    // limit of the default route (gpt-image-1.5); and short enough for the simulator, which counts
    // a token per four characters.
    job(
        "prompt at its token bound",
        j ->
            j.prompt(tokens(j.marker, ModelPresets.GPT_IMAGE_1_5.rules().promptMaxTokens()))
                .expect(Expected.succeeded()));
    job(
        "prompt one token beyond its bound",
        j ->
            j.prompt(tokens(j.marker, ModelPresets.GPT_IMAGE_1_5.rules().promptMaxTokens() + 1))
                .expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "huge prompt (240,000 characters)",
        j ->
            j.prompt(j.marker + " " + "ab ".repeat(80_000))
                .expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "prompt with control characters",
        j -> j.prompt(j.marker + " \u0000\u001b[31m\r\nWARN forged").expect(Expected.succeeded()));
    job(
        "route at its bound, not configured",
        j ->
            j.set("route", q("r".repeat(JobValidator.MAX_ROUTE_CHARS)))
                .expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "route beyond its bound",
        j ->
            j.set("route", q("r".repeat(JobValidator.MAX_ROUTE_CHARS + 1)))
                .expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "size not supported",
        j -> j.set("size", q("5:4")).expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "quality not supported",
        j -> j.set("quality", q("ultra")).expect(Expected.failed(ErrorCodes.INVALID_JOB)));
  }

  private void collections() {
    job(
        "metadata at its bounds",
        j ->
            j.raw(
                    "metadata",
                    metadata(
                        JobValidator.MAX_METADATA_ENTRIES,
                        JobValidator.MAX_METADATA_KEY_CHARS,
                        JobValidator.MAX_METADATA_VALUE_CHARS))
                .expect(Expected.succeeded()));
    job(
        "metadata with one entry too many",
        j ->
            j.raw("metadata", metadata(JobValidator.MAX_METADATA_ENTRIES + 1, 8, 8))
                .expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "metadata key beyond its bound",
        j ->
            j.raw("metadata", metadata(1, JobValidator.MAX_METADATA_KEY_CHARS + 1, 8))
                .expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "metadata value beyond its bound",
        j ->
            j.raw("metadata", metadata(1, 8, JobValidator.MAX_METADATA_VALUE_CHARS + 1))
                .expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "metadata with 30,000 entries",
        j ->
            j.raw("metadata", metadata(30_000, 10, 4))
                .expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "metadata with a huge key",
        j -> j.raw("metadata", metadata(1, HUGE, 4)).expect(Expected.deadLetter()));
    job(
        "metadata with a huge value",
        j ->
            j.raw("metadata", metadata(2, 8, HUGE / 2))
                .expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "metadata with an empty key",
        j -> j.raw("metadata", "{\"\":\"v\"}").expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "metadata value a number",
        j -> j.raw("metadata", "{\"k\":1}").expect(Expected.deadLetter()));
    job(
        "metadata value null",
        j -> j.raw("metadata", "{\"k\":null}").expect(Expected.deadLetter()));
    job(
        "reference images at their bound",
        j ->
            j.raw("reference_image_urls", urls(JobValidator.MAX_REFERENCE_IMAGES))
                .expect(Expected.succeeded()));
    job(
        "reference images beyond their bound",
        j ->
            j.raw("reference_image_urls", urls(JobValidator.MAX_REFERENCE_IMAGES + 1))
                .expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "20,000 reference images",
        j ->
            j.raw("reference_image_urls", urls(20_000))
                .expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "reference image null",
        j -> j.raw("reference_image_urls", "[null]").expect(Expected.deadLetter()));
  }

  private void urls() {
    job(
        "reference image at the metadata address",
        j ->
            j.raw(
                    "reference_image_urls",
                    "[" + q("http://169.254.169.254/latest/meta-data/iam.png") + "]")
                .expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "reference image on localhost",
        j ->
            j.raw("reference_image_urls", "[" + q("http://localhost:8080/admin.png") + "]")
                .expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "reference image a file URL",
        j ->
            j.raw("reference_image_urls", "[" + q("file:///etc/passwd.png") + "]")
                .expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "callback over http",
        j ->
            j.set("callback_url", q("http://hooks.example.com/x"))
                .expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "callback to localhost",
        j ->
            j.set("callback_url", q("https://localhost/hook"))
                .expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "callback to the metadata address",
        j ->
            j.set("callback_url", q("https://169.254.169.254/latest"))
                .expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "callback to IPv4-mapped loopback",
        j ->
            j.set("callback_url", q("https://[::ffff:127.0.0.1]/hook"))
                .expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "callback host with a trailing dot",
        j ->
            j.set("callback_url", q("https://hooks.example.com./done"))
                .expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "callback beyond its bound",
        j ->
            j.set(
                    "callback_url",
                    q(
                        "https://hooks.example.com/"
                            + "a".repeat(JobValidator.MAX_CALLBACK_URL_CHARS)))
                .expect(Expected.failed(ErrorCodes.INVALID_JOB)));
  }

  private void sizes() {
    raw(
        "garbage close to 1 MiB",
        bytes("k"),
        concat(bytes("{\"job_id\":"), filled(NEAR_MIB, (byte) '7')));
    job(
        "prompt close to 1 MiB",
        j ->
            j.prompt(j.marker + " " + "z".repeat(NEAR_MIB - 200))
                .expect(Expected.failed(ErrorCodes.INVALID_JOB)));
    job(
        "valid job close to 1 MiB (unknown field)",
        j -> j.raw("padding", q("p".repeat(NEAR_MIB - 300))).expect(Expected.succeeded()));
    raw("huge key, garbage value", bytes("k".repeat(HUGE_KEYED)), randomBytes(4096));
    // Its dead letter cannot keep value, key and headers whole: it keeps what fits
    // (DeadLetterHeaders).
    Map<String, byte[]> headers = new LinkedHashMap<>();
    headers.put("imagefleet.dlq.original-offset", bytes("-1"));
    IntStream.range(0, 400)
        .forEach(i -> headers.put(String.format("header-%03d", i), filled(1000, (byte) 'h')));
    raw(
        "garbage with 400 KB of headers, one of them ours",
        bytes("k"),
        filled(640_000, (byte) '{'),
        headers);
  }

  // ---- building records ----------------------------------------------------------------------

  private void raw(String name, byte[] key, byte[] value) {
    raw(name, key, value, Map.of());
  }

  private void raw(String name, byte[] key, byte[] value, Map<String, byte[]> headers) {
    entries.add(new Entry(name, marker(), key, value, headers, null, Expected.deadLetter()));
  }

  private void job(String name, Consumer<JobText> shape) {
    JobText job = new JobText(marker());
    shape.accept(job);
    entries.add(
        new Entry(name, job.marker, job.key, job.json(), Map.of(), job.jobId, job.expected));
  }

  private String marker() {
    return MARKER + String.format("%03d", entries.size());
  }

  /**
   * A job's JSON as text, field by field, so that a field can be any JSON at all (or appear twice):
   * by default a valid job keyed by its own id, {@code hostile-NNN}.
   */
  private static final class JobText {
    private final String marker;
    private final List<String[]> fields = new ArrayList<>();
    private String jobId;
    private byte[] key;
    private byte[] rawPrompt;
    private String encoding = "UTF-8";
    private Expected expected;

    JobText(String marker) {
      this.marker = marker;
      jobId(marker);
      set("tenant", q(TENANT));
      prompt(marker + " a chair");
    }

    JobText jobId(String id) {
      set("job_id", q(id));
      this.key = bytes(id);
      return named(id);
    }

    /** The job id the fleet will read, when the text does not say it plainly. */
    JobText named(String id) {
      this.jobId = id;
      return this;
    }

    JobText prompt(String prompt) {
      return set("prompt", q(prompt));
    }

    /** A prompt of raw bytes, marker first, not escaped or encoded. */
    JobText rawPrompt(byte[] bytes) {
      this.rawPrompt = bytes;
      return set("prompt", "\"" + marker + " \u0000RAW\"");
    }

    JobText key(byte[] value) {
      this.key = value;
      return this;
    }

    JobText encoding(String charset) {
      this.encoding = charset;
      return this;
    }

    /** Replaces the field's first occurrence, or adds it. */
    JobText set(String field, String json) {
      for (String[] f : fields) {
        if (f[0].equals(field)) {
          f[1] = json;
          return this;
        }
      }
      return raw(field, json);
    }

    /** Adds the field, even when it is there already. */
    JobText raw(String field, String json) {
      fields.add(new String[] {field, json});
      return this;
    }

    JobText remove(String field) {
      fields.removeIf(f -> f[0].equals(field));
      if (field.equals("job_id")) {
        jobId = null;
      }
      return this;
    }

    JobText expect(Expected value) {
      this.expected = value;
      return this;
    }

    byte[] json() {
      String text =
          fields.stream().map(f -> q(f[0]) + ":" + f[1]).collect(Collectors.joining(",", "{", "}"));
      byte[] encoded = text.getBytes(Charset.forName(encoding));
      if (rawPrompt == null) {
        return encoded;
      }
      int at = indexOf(encoded, bytes("\u0000RAW"));
      byte[] head = Arrays.copyOf(encoded, at);
      byte[] tail = Arrays.copyOfRange(encoded, at + 4, encoded.length);
      return concat(concat(head, rawPrompt), tail);
    }
  }

  /** {@code marker} followed by as many {@code " a"} as make {@code count} tokens in all. */
  private static String tokens(String marker, int count) {
    return marker + " a".repeat(count - PromptTokens.count(marker));
  }

  private static String metadata(int entries, int keyChars, int valueChars) {
    return IntStream.range(0, entries)
        .mapToObj(i -> q(pad(String.valueOf(i), keyChars)) + ":" + q(pad("v", valueChars)))
        .collect(Collectors.joining(",", "{", "}"));
  }

  private static String urls(int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> q("https://images.example.com/ref-" + i + ".png"))
        .collect(Collectors.joining(",", "[", "]"));
  }

  /** {@code text} made exactly {@code length} characters long. */
  private static String pad(String text, int length) {
    return text.length() >= length
        ? text.substring(0, length)
        : text + "x".repeat(length - text.length());
  }

  /** {@code text} as a JSON string literal. */
  static String q(String text) {
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private byte[] randomBytes(int length) {
    byte[] b = new byte[length];
    random.nextBytes(b);
    return b;
  }

  private static byte[] filled(int length, byte value) {
    byte[] b = new byte[length];
    Arrays.fill(b, value);
    return b;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalArgumentException("no placeholder");
  }
}
