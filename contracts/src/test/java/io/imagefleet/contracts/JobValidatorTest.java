package io.imagefleet.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import javax.net.ssl.SNIHostName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class JobValidatorTest {
  private final JobValidator validator = new JobValidator();

  private static JobRequest.Builder valid() {
    return JobRequest.builder("job-1", "catalog", "a red chair on a white background");
  }

  private List<FieldError> errorsOf(JobRequest.Builder job) {
    return validator.validate(job.build());
  }

  /** Asserts exactly one error, on {@code field} with {@code code}, and returns it. */
  private FieldError onlyError(JobRequest.Builder job, String field, ValidationCode code) {
    List<FieldError> errors = errorsOf(job);
    assertThat(errors)
        .extracting(FieldError::field, FieldError::code)
        .containsExactly(tuple(field, code.wire()));
    assertThat(errors.get(0).message()).isNotBlank();
    return errors.get(0);
  }

  private static JobRequest withJobId(String jobId) {
    return new JobRequest(
        1, jobId, 1, "catalog", null, "a chair", null, null, null, null, null, null, null, null,
        null);
  }

  @Test
  void acceptsAJobWithEveryFieldSet() {
    JobRequest job =
        valid()
            .attempt(2)
            .route("gpt-image-1")
            .size(ImageSize.PORTRAIT)
            .quality(ImageQuality.LOW)
            .n(10)
            .referenceImageUrls(
                List.of("https://cdn.example.com/a.png", "http://cdn.example.com/b.JPEG?v=2"))
            .callbackUrl("https://hooks.example.com/imagefleet")
            .maxCostUsd(new BigDecimal("0.50"))
            .allowFallback(false)
            .metadata(Map.of("sku", "CH-1"))
            .createdAt(Instant.parse("2025-06-01T00:00:00Z"))
            .build();
    assertThat(validator.validate(job)).isEmpty();
  }

  @Test
  void acceptsAMinimalJobWithoutCreatedAt() {
    JobRequest job =
        new JobRequest(
            0, "j", null, "t", null, "p", null, null, null, null, null, null, null, null, null);
    assertThat(validator.validate(job)).isEmpty();
  }

  @Test
  void reportsEveryViolatedFieldNotJustTheFirst() {
    List<FieldError> errors =
        errorsOf(
            JobRequest.builder(" ", "Catalog!", "")
                .attempt(0)
                .route("GPT")
                .size("5:4")
                .quality("ultra")
                .n(11)
                .callbackUrl("http://hooks.example.com")
                .maxCostUsd(BigDecimal.ZERO)
                .referenceImageUrls(List.of("https://cdn.example.com/a.gif"))
                .metadata(Map.of("", "x")));
    assertThat(errors)
        .extracting(FieldError::field)
        .containsExactly(
            "job_id",
            "attempt",
            "tenant",
            "route",
            "prompt",
            "size",
            "quality",
            "n",
            "reference_image_urls[0]",
            "callback_url",
            "max_cost_usd",
            "metadata");
    assertThat(errors)
        .extracting(FieldError::code)
        .containsExactly(
            "required",
            "out_of_range",
            "invalid_format",
            "invalid_format",
            "required",
            "unsupported_value",
            "unsupported_value",
            "out_of_range",
            "unsupported_extension",
            "unsupported_scheme",
            "out_of_range",
            "required");
  }

  @Test
  void requiresJobId() {
    assertThat(validator.validate(withJobId(null)))
        .extracting(FieldError::field, FieldError::code)
        .containsExactly(tuple("job_id", "required"));
    assertThat(validator.validate(withJobId("  ")))
        .extracting(FieldError::code)
        .containsExactly("required");
  }

  @Test
  void rejectsJobIdLongerThan128Chars() {
    assertThat(validator.validate(withJobId("j".repeat(128)))).isEmpty();
    assertThat(validator.validate(withJobId("j".repeat(129))))
        .extracting(FieldError::code)
        .containsExactly("too_long");
  }

  @ParameterizedTest
  @ValueSource(strings = {"has space", "a/b", "../etc", ".", "..", "tab\t", "ünïcode", "a\nb"})
  void rejectsJobIdUnsafeAsKafkaKeyOrPath(String jobId) {
    assertThat(validator.validate(withJobId(jobId)))
        .extracting(FieldError::field, FieldError::code)
        .containsExactly(tuple("job_id", "invalid_format"));
  }

  @Test
  void acceptsJobIdWithEveryAllowedCharacter() {
    assertThat(validator.validate(withJobId("Az09._:-"))).isEmpty();
    assertThat(validator.validate(withJobId("..."))).isEmpty();
  }

  @Test
  void requiresTenant() {
    onlyError(JobRequest.builder("j", null, "p"), "tenant", ValidationCode.REQUIRED);
    onlyError(JobRequest.builder("j", "", "p"), "tenant", ValidationCode.REQUIRED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Catalog", "-catalog", "_catalog", "cat.alog", "cat alog", "team_a"})
  void rejectsTenantNotMatchingItsPattern(String tenant) {
    onlyError(JobRequest.builder("j", tenant, "p"), "tenant", ValidationCode.INVALID_FORMAT);
  }

  @Test
  void rejectsTenantLongerThan63Chars() {
    assertThat(errorsOf(JobRequest.builder("j", "t" + "-a".repeat(31), "p"))).isEmpty();
    onlyError(JobRequest.builder("j", "t".repeat(64), "p"), "tenant", ValidationCode.TOO_LONG);
  }

  @Test
  void rejectsHigherSchemaVersionAsUnsupported() {
    JobRequest job =
        new JobRequest(
            2, "j", 1, "t", null, "p", null, null, null, null, null, null, null, null, null);
    assertThat(validator.validate(job))
        .extracting(FieldError::field, FieldError::code)
        .containsExactly(tuple("schema_version", "unsupported_version"));
  }

  @Test
  void rejectsNegativeSchemaVersion() {
    JobRequest job =
        new JobRequest(
            -1, "j", 1, "t", null, "p", null, null, null, null, null, null, null, null, null);
    assertThat(validator.validate(job))
        .extracting(FieldError::code)
        .containsExactly("out_of_range");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
  void rejectsAttemptBelowOne(int attempt) {
    onlyError(valid().attempt(attempt), "attempt", ValidationCode.OUT_OF_RANGE);
  }

  @ParameterizedTest
  @ValueSource(ints = {1001, Integer.MAX_VALUE})
  void rejectsAttemptAbove1000(int attempt) {
    assertThat(errorsOf(valid().attempt(JobValidator.MAX_ATTEMPT))).isEmpty();
    FieldError error = onlyError(valid().attempt(attempt), "attempt", ValidationCode.OUT_OF_RANGE);
    assertThat(error.message()).contains("1 to 1000", String.valueOf(attempt));
  }

  @Test
  void rejectsBlankRoute() {
    onlyError(valid().route(" "), "route", ValidationCode.REQUIRED);
  }

  @Test
  void rejectsRouteLongerThan64Chars() {
    assertThat(errorsOf(valid().route("r".repeat(64)))).isEmpty();
    onlyError(valid().route("r".repeat(65)), "route", ValidationCode.TOO_LONG);
  }

  @ParameterizedTest
  @ValueSource(strings = {"GPT-image-1.5", "gpt_image", "gpt image", "gpt/image"})
  void rejectsRouteWithCharactersOutsideLowercaseDigitsDotDash(String route) {
    onlyError(valid().route(route), "route", ValidationCode.INVALID_FORMAT);
  }

  @Test
  void requiresPrompt() {
    onlyError(JobRequest.builder("j", "t", null), "prompt", ValidationCode.REQUIRED);
    onlyError(JobRequest.builder("j", "t", " \n\t"), "prompt", ValidationCode.REQUIRED);
  }

  @Test
  void acceptsPromptsUpTo32000CharactersWhateverTheirTokens() {
    // Far beyond gpt-image-1.5's 2000 tokens: that is the route's rule, checked by the worker.
    String widest = "cat" + " cat".repeat((JobValidator.MAX_PROMPT_CHARS - 3) / 4);
    assertThat(PromptTokens.count(widest)).isGreaterThan(2000);
    assertThat(errorsOf(JobRequest.builder("j", "t", widest))).isEmpty();
  }

  @Test
  void rejectsPromptOver32000CharactersCountingCodePoints() {
    String exactly = "a".repeat(JobValidator.MAX_PROMPT_CHARS);
    assertThat(errorsOf(JobRequest.builder("j", "t", exactly))).isEmpty();
    FieldError over =
        onlyError(JobRequest.builder("j", "t", exactly + "a"), "prompt", ValidationCode.TOO_LONG);
    assertThat(over.message()).contains("32000 characters", "32001");

    // A character outside the BMP is two UTF-16 units but one character, as JSON Schema counts.
    String emoji = "\uD83D\uDE00".repeat(JobValidator.MAX_PROMPT_CHARS);
    assertThat(errorsOf(JobRequest.builder("j", "t", emoji))).isEmpty();
  }

  @Test
  void rejectsHugePromptQuickly() {
    String huge = "x".repeat(240_000);
    FieldError error =
        assertTimeoutPreemptively(
            Duration.ofSeconds(5),
            () -> onlyError(JobRequest.builder("j", "t", huge), "prompt", ValidationCode.TOO_LONG));
    assertThat(error.message()).contains("32000 characters", "240000");
  }

  @ParameterizedTest
  @ValueSource(strings = {"5:4", "1:1 ", "512x512", "", "SQUARE"})
  void rejectsUnsupportedSize(String size) {
    FieldError error = onlyError(valid().size(size), "size", ValidationCode.UNSUPPORTED_VALUE);
    assertThat(error.message()).contains("1:1, 2:3, 3:2, 1024x1024, 1024x1536, 1536x1024");
  }

  @ParameterizedTest
  @EnumSource(ImageSize.class)
  void acceptsEverySupportedSize(ImageSize size) {
    assertThat(errorsOf(valid().size(size))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ultra", "HIGH", ""})
  void rejectsUnsupportedQuality(String quality) {
    onlyError(valid().quality(quality), "quality", ValidationCode.UNSUPPORTED_VALUE);
  }

  @ParameterizedTest
  @EnumSource(ImageQuality.class)
  void acceptsEverySupportedQuality(ImageQuality quality) {
    assertThat(errorsOf(valid().quality(quality))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 11, 50})
  void rejectsImageCountOutsideOneToTen(int n) {
    FieldError error = onlyError(valid().n(n), "n", ValidationCode.OUT_OF_RANGE);
    assertThat(error.message()).contains(String.valueOf(n));
  }

  @Test
  void rejectsMoreThan16ReferenceImagesAndChecksOnlyTheFirst16() {
    List<String> sixteen = Collections.nCopies(16, "https://cdn.example.com/a.png");
    assertThat(errorsOf(valid().referenceImageUrls(sixteen))).isEmpty();

    List<String> many = new ArrayList<>(Collections.nCopies(1000, "not a url"));
    List<FieldError> errors = errorsOf(valid().referenceImageUrls(many));
    assertThat(errors.get(0))
        .extracting(FieldError::field, FieldError::code)
        .containsExactly("reference_image_urls", "too_many");
    assertThat(errors).hasSize(1 + 16);
    assertThat(errors.get(16).field()).isEqualTo("reference_image_urls[15]");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://169.254.169.254/latest/meta-data/x.png",
        "http://localhost/a.png",
        "https://10.0.0.7/a.jpg",
        "http://[::1]/a.webp",
        "http://127.0.0.1:8080/a.png"
      })
  void refusesReferenceImagesOnLocalOrPrivateHosts(String url) {
    assertThat(errorsOf(valid().referenceImageUrls(List.of(url))))
        .singleElement()
        .extracting(FieldError::field, FieldError::code)
        .containsExactly("reference_image_urls[0]", "private_address");
  }

  @Test
  void namesTheIndexOfTheBadReferenceImage() {
    List<FieldError> errors =
        errorsOf(
            valid()
                .referenceImageUrls(
                    List.of(
                        "https://cdn.example.com/ok.png",
                        "https://cdn.example.com/ok.webp",
                        "https://cdn.example.com/ok.jpg",
                        "https://cdn.example.com/bad.gif")));
    assertThat(errors).extracting(FieldError::field).containsExactly("reference_image_urls[3]");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not a url",
        "/relative/a.png",
        "cdn.example.com/a.png",
        "https:a.png",
        "https:///a.png",
        "https://bad_host.example.com/a.png",
        "https://cdn.example.com:99999/a.png",
        ""
      })
  void rejectsReferenceImageThatIsNotAnAbsoluteUrlWithAHost(String url) {
    onlyError(
        valid().referenceImageUrls(List.of(url)),
        "reference_image_urls[0]",
        ValidationCode.INVALID_URL);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ftp://cdn.example.com/a.png",
        "file:///tmp/a.png",
        "data:image/png;base64,AAAA",
        "s3://bucket/a.png"
      })
  void rejectsReferenceImageWithSchemeOtherThanHttpOrHttps(String url) {
    onlyError(
        valid().referenceImageUrls(List.of(url)),
        "reference_image_urls[0]",
        ValidationCode.UNSUPPORTED_SCHEME);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://cdn.example.com/a.gif",
        "https://cdn.example.com/a",
        "https://cdn.example.com/",
        "https://cdn.example.com/download?file=a.png",
        "https://cdn.example.com/a.png/view",
        "https://cdn.example.com/a.svg#x.png"
      })
  void rejectsReferenceImageWithoutAJpegPngOrWebpPath(String url) {
    onlyError(
        valid().referenceImageUrls(List.of(url)),
        "reference_image_urls[0]",
        ValidationCode.UNSUPPORTED_EXTENSION);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://cdn.example.com/a.JPEG",
        "HTTP://cdn.example.com/a.Jpg",
        "https://cdn.example.com/a.PnG",
        "https://cdn.example.com/dir/a.webp?sig=abc&exp=1",
        "https://cdn.example.com/a.png#top",
        "https://[2001:db8::1]/a.png",
        "https://cdn.example.com:8443/a%20b.png"
      })
  void acceptsReferenceImageExtensionsCaseInsensitivelyIgnoringTheQuery(String url) {
    assertThat(errorsOf(valid().referenceImageUrls(List.of(url)))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://hooks.example.com/x",
        "ftp://hooks.example.com/x",
        "wss://hooks.example.com/x"
      })
  void rejectsCallbackWithSchemeOtherThanHttps(String url) {
    onlyError(valid().callbackUrl(url), "callback_url", ValidationCode.UNSUPPORTED_SCHEME);
  }

  @Test
  void rejectsCallbackLongerThan2048Chars() {
    String prefix = "https://hooks.example.com/";
    assertThat(errorsOf(valid().callbackUrl(prefix + "a".repeat(2048 - prefix.length()))))
        .isEmpty();
    FieldError error =
        onlyError(
            valid().callbackUrl(prefix + "a".repeat(2049 - prefix.length())),
            "callback_url",
            ValidationCode.TOO_LONG);
    assertThat(error.message()).contains("2048").contains("2049");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://127.0.0.1/hook",
        "https://127.8.9.10:8443/hook",
        "https://[::1]/hook",
        "https://2130706433/hook",
        "https://0x7f000001/hook",
        "https://0177.0.0.1/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://[::ffff:7f00:1]/hook",
        "https://[0:0:0:0:0:0:0:1]/hook"
      })
  void rejectsCallbackToLoopbackLiteral(String url) {
    onlyError(valid().callbackUrl(url), "callback_url", ValidationCode.PRIVATE_ADDRESS);
  }

  /**
   * java.net.URI finds no host in these; a resolver might still read them as 127.0.0.1 or 10.0.0.1.
   */
  @ParameterizedTest
  @ValueSource(strings = {"https://127.1/hook", "https://10.1/hook", "https://127.0.0.1./hook"})
  void rejectsCallbackWithAbbreviatedIpv4Host(String url) {
    onlyError(valid().callbackUrl(url), "callback_url", ValidationCode.INVALID_URL);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://localhost/hook",
        "https://LOCALHOST:8443/hook",
        "https://localhost./hook",
        "https://api.localhost/hook",
        "https://a.b.localhost/hook"
      })
  void rejectsCallbackToLocalhostName(String url) {
    onlyError(valid().callbackUrl(url), "callback_url", ValidationCode.PRIVATE_ADDRESS);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://10.0.0.1/h",
        "https://10.255.255.255/h",
        "https://172.16.0.1/h",
        "https://172.31.255.254/h",
        "https://192.168.1.1/h",
        "https://169.254.169.254/latest/meta-data",
        "https://169.254.0.1/h",
        "https://100.64.0.1/h",
        "https://100.127.255.255/h",
        "https://0.0.0.0/h",
        "https://[::]/h",
        "https://[fc00::1]/h",
        "https://[fd12:3456::1]/h",
        "https://[fe80::1]/h",
        "https://[febf::1]/h",
        "https://[fe80::1%25eth0]/h",
        "https://[::ffff:10.0.0.1]/h",
        "https://[::ffff:a9fe:a9fe]/h",
        "https://[::ffff:192.168.0.1]/h",
        "https://[::10.0.0.1]/h",
        "https://[64:ff9b::a00:1]/h",
        "https://224.0.0.1/h",
        "https://255.255.255.255/h"
      })
  void rejectsCallbackToPrivateAddressLiteral(String url) {
    onlyError(valid().callbackUrl(url), "callback_url", ValidationCode.PRIVATE_ADDRESS);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://hooks.example.com/imagefleet",
        "https://8.8.8.8/h",
        "https://172.32.0.1/h",
        "https://172.15.255.255/h",
        "https://100.128.0.1/h",
        "https://100.63.255.255/h",
        "https://169.255.0.1/h",
        "https://192.169.0.1/h",
        "https://[2001:4860:4860::8888]/h",
        "https://[::ffff:8.8.8.8]/h",
        "https://localhost.example.com/h",
        "https://mylocalhost/h",
        "https://10.example.com/h",
        "https://user@hooks.example.com:8443/h?x=1"
      })
  void acceptsCallbackToPublicHost(String url) throws Exception {
    assertThat(errorsOf(valid().callbackUrl(url))).isEmpty();
    String host = new URI(url).getHost();
    if (!host.startsWith("[") && !host.matches("[0-9.]+")) {
      // What the callback sender does with the host: the validator accepts nothing it would refuse.
      assertThat(new SNIHostName(host).getAsciiName()).isEqualTo(host);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://example.com./hook", "https://hooks.example.com.:8443/hook"})
  void rejectsCallbackHostEndingInADot(String url) {
    FieldError error =
        onlyError(valid().callbackUrl(url), "callback_url", ValidationCode.INVALID_URL);
    assertThat(error.message()).contains("must not end with a dot");
  }

  @Test
  void rejectsCallbackHostThatIsNotAValidDnsName() {
    String longLabel = "https://" + "a".repeat(64) + ".example.com/h";
    String longName = "https://" + "abcdefghi.".repeat(25) + "example.com/h";
    for (String url : List.of(longLabel, longName)) {
      FieldError error =
          onlyError(valid().callbackUrl(url), "callback_url", ValidationCode.INVALID_URL);
      assertThat(error.message()).contains("not a valid DNS name");
    }
    assertThat(errorsOf(valid().callbackUrl("https://" + "a".repeat(63) + ".example.com/h")))
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not a url",
        "",
        "//hooks.example.com/x",
        "https:opaque",
        "https:///x",
        "https://1.2.3.999/x",
        "https://1.2.3.4.5/x",
        "https://99999999999/x",
        "https://[::zz]/x",
        "https://a.1x2/x"
      })
  void rejectsCallbackThatIsNotAValidUrl(String url) {
    onlyError(valid().callbackUrl(url), "callback_url", ValidationCode.INVALID_URL);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "0.00", "-1", "-0.01"})
  void rejectsMaxCostThatIsNotPositive(String cost) {
    onlyError(
        valid().maxCostUsd(new BigDecimal(cost)), "max_cost_usd", ValidationCode.OUT_OF_RANGE);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0.0001",
        "0.000001",
        "10000",
        "10000.000000",
        "9999.999999",
        "1.500000000",
        "1E+4"
      })
  void acceptsMaxCostAboveZeroUpTo10000WithSixDecimalPlaces(String cost) {
    assertThat(errorsOf(valid().maxCostUsd(new BigDecimal(cost)))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"10000.000001", "10001", "1E+5", "1e999999999", "1E+2147483647"})
  void rejectsMaxCostAbove10000(String cost) {
    FieldError error =
        assertTimeoutPreemptively(
            Duration.ofSeconds(5),
            () ->
                onlyError(
                    valid().maxCostUsd(new BigDecimal(cost)),
                    "max_cost_usd",
                    ValidationCode.OUT_OF_RANGE));
    assertThat(error.message()).contains("at most 10000").hasSizeLessThan(200);
  }

  /** The record that took a worker's intake thread down: valid by range, absurd by scale. */
  @ParameterizedTest
  @ValueSource(strings = {"0.0000001", "1.0000001", "1e-999999999", "1E-2147483647", "0.1234567"})
  void rejectsMaxCostWithMoreThanSixDecimalPlacesWithoutWritingItsDigits(String cost) {
    FieldError error =
        assertTimeoutPreemptively(
            Duration.ofSeconds(5),
            () ->
                onlyError(
                    valid().maxCostUsd(new BigDecimal(cost)),
                    "max_cost_usd",
                    ValidationCode.TOO_PRECISE));
    assertThat(error.message()).contains("6 decimal places").hasSizeLessThan(200);
  }

  @Test
  void rejectsReferenceImageLinkLongerThan2048Chars() {
    String prefix = "https://cdn.example.com/";
    String atLimit =
        prefix
            + "a".repeat(JobValidator.MAX_REFERENCE_IMAGE_URL_CHARS - prefix.length() - 4)
            + ".png";
    assertThat(errorsOf(valid().referenceImageUrls(List.of(atLimit)))).isEmpty();
    String over =
        prefix
            + "a".repeat(JobValidator.MAX_REFERENCE_IMAGE_URL_CHARS - prefix.length() - 3)
            + ".png";
    FieldError error =
        onlyError(
            valid().referenceImageUrls(List.of(over)),
            "reference_image_urls[0]",
            ValidationCode.TOO_LONG);
    assertThat(error.message()).contains("2049");
  }

  @Test
  void checksTheAlphabeticallyFirst32MetadataEntriesOfALargerMap() {
    Map<String, String> metadata = new HashMap<>(entries(40));
    metadata.put("0-first", "v".repeat(1025)); // sorts before every other key: checked
    metadata.put("z-last", "v".repeat(1025)); // sorts after 32 others: only counted
    assertThat(errorsOf(valid().metadata(metadata)))
        .extracting(FieldError::field, FieldError::code)
        .containsExactly(tuple("metadata", "too_many"), tuple("metadata.0-first", "too_long"));
  }

  @Test
  void rejectsMoreThan32MetadataEntries() {
    assertThat(errorsOf(valid().metadata(entries(32)))).isEmpty();
    onlyError(valid().metadata(entries(33)), "metadata", ValidationCode.TOO_MANY);
  }

  @Test
  void rejectsEmptyMetadataKey() {
    onlyError(valid().metadata(Map.of("", "v")), "metadata", ValidationCode.REQUIRED);
  }

  @Test
  void rejectsMetadataKeyLongerThan64Chars() {
    assertThat(errorsOf(valid().metadata(Map.of("k".repeat(64), "v")))).isEmpty();
    FieldError error =
        onlyError(
            valid().metadata(Map.of("k".repeat(65), "v")), "metadata", ValidationCode.TOO_LONG);
    assertThat(error.message()).contains("65");
  }

  @Test
  void rejectsMetadataValueLongerThan1024CharsNamingTheKey() {
    assertThat(errorsOf(valid().metadata(Map.of("note", "v".repeat(1024))))).isEmpty();
    onlyError(
        valid().metadata(Map.of("note", "v".repeat(1025))),
        "metadata.note",
        ValidationCode.TOO_LONG);
  }

  @Test
  void countsCharactersAsCodePointsLikeJsonSchema() {
    String emoji = "\uD83D\uDE00"; // one character, two UTF-16 units
    assertThat(errorsOf(valid().metadata(Map.of("note", emoji.repeat(1024))))).isEmpty();
  }

  @Test
  void neverEchoesHugeValuesInMessages() {
    String huge = "x".repeat(1_000_000);
    List<FieldError> errors =
        errorsOf(
            JobRequest.builder(huge, huge, "p")
                .route(huge)
                .size(huge)
                .quality(huge)
                .callbackUrl("https://" + huge)
                .referenceImageUrls(List.of(huge))
                .metadata(Map.of(huge, huge, "k", huge)));
    assertThat(errors).hasSizeGreaterThanOrEqualTo(8);
    assertThat(errors)
        .allSatisfy(
            e -> {
              assertThat(e.message()).hasSizeLessThan(300);
              assertThat(e.field()).hasSizeLessThan(100);
            });
  }

  @Test
  void bracketsTheWholeErrorListWhateverTheInput() {
    List<String> urls = IntStream.range(0, 10_000).mapToObj(i -> "bad " + i).toList();
    Map<String, String> metadata = new HashMap<>();
    IntStream.range(0, 10_000).forEach(i -> metadata.put("k".repeat(65) + i, "v"));
    List<FieldError> errors = errorsOf(valid().referenceImageUrls(urls).metadata(metadata));
    assertThat(errors).hasSize(1 + 16 + 1 + 32);
  }

  @Test
  void isSafeToShareBetweenThreads() throws Exception {
    JobRequest job = valid().n(11).build();
    List<Thread> threads = new ArrayList<>();
    List<List<FieldError>> results = Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 8; i++) {
      Thread thread = new Thread(() -> results.add(validator.validate(job)));
      thread.start();
      threads.add(thread);
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(results)
        .hasSize(8)
        .allSatisfy(r -> assertThat(r).extracting(FieldError::field).containsExactly("n"));
  }

  private static Map<String, String> entries(int count) {
    Map<String, String> map = new HashMap<>();
    IntStream.range(0, count).forEach(i -> map.put("key" + i, "value" + i));
    return map;
  }
}
