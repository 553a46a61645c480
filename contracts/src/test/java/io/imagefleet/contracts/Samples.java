package io.imagefleet.contracts;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Sample messages shared by the codec and schema tests: one with every field, and minimal ones. */
final class Samples {
  private Samples() {}

  static JobRequest fullJob() {
    return JobRequest.builder("catalog-0042", "catalog", "an oak chair, studio light")
        .attempt(2)
        .route("gpt-image-1")
        .size(ImageSize.LANDSCAPE)
        .quality(ImageQuality.MEDIUM)
        .n(3)
        .referenceImageUrls(
            List.of("https://cdn.example.com/a.png", "https://cdn.example.com/b.webp"))
        .callbackUrl("https://hooks.example.com/x")
        .maxCostUsd(new BigDecimal("0.25"))
        .allowFallback(false)
        .metadata(Map.of("sku", "CH-42", "campaign", "summer"))
        .createdAt(Instant.parse("2025-06-01T09:30:00.123Z"))
        .build();
  }

  static StatusEvent succeededEvent() {
    StoredImage image =
        new StoredImage(
            0,
            "file:///var/lib/imagefleet/a/0.png",
            "https://files.example.net/0.png",
            2_481_934L,
            "image/png",
            1536,
            1024,
            "a".repeat(64));
    return new StatusEvent(
        1,
        "5f0c6a9e-3b7d-4e21-9a4f-2c8d1e6b7a30",
        "catalog-0042",
        "catalog",
        JobStatus.SUCCEEDED,
        2,
        "gpt-image-1",
        "gpt-image-1.5: breaker open",
        "task-unified-1-abc",
        100,
        List.of(image),
        new TokenUsage(31, 323, 0, 3136, 0, 3490),
        new BigDecimal("0.093409"),
        new BigDecimal("0.093"),
        4,
        1,
        null,
        Map.of("sku", "CH-42"),
        Instant.parse("2025-06-01T09:31:12.418Z"),
        "worker-1");
  }

  static StatusEvent failedEvent() {
    JobError error =
        JobError.invalid(
            List.of(
                new FieldError("n", "out_of_range", "n must be 1 to 10, but was 11"),
                new FieldError("size", "unsupported_value", "bad size")));
    return new StatusEvent(
        1,
        "b8e1f0d2-64a7-4c3e-8f15-0d9a2b7c4e61",
        "catalog-0043",
        "catalog",
        JobStatus.FAILED,
        1,
        null,
        null,
        null,
        null,
        List.of(),
        null,
        null,
        null,
        0,
        null,
        error,
        Map.of(),
        Instant.parse("2025-06-01T09:30:02Z"),
        "worker-1");
  }

  static StatusEvent minimalEvent() {
    return new StatusEvent(
        0,
        "e-1",
        "j-1",
        null,
        JobStatus.ACCEPTED,
        1,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        Instant.parse("2025-06-01T09:30:02Z"),
        null);
  }

  static JobRequest minimalJob() {
    return new JobRequest(
        0, "j-1", null, "t", null, "p", null, null, null, null, null, null, null, null, null);
  }
}
