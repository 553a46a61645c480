package io.imagefleet.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.imagefleet.contracts.JobStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The four fields of a status event the benchmark needs, read with a streaming parser that skips
 * everything else (images, usage, metadata).
 */
record EventFields(String jobId, JobStatus status, String taskId, Instant occurredAt) {
  private static final JsonFactory JSON = new JsonFactory();

  static EventFields read(byte[] json) {
    String jobId = null;
    JobStatus status = null;
    String taskId = null;
    Instant occurredAt = null;
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return new EventFields(null, null, null, null);
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "job_id" -> jobId = p.getValueAsString();
          case "status" -> status = JobStatus.valueOf(p.getValueAsString());
          case "upstream_task_id" ->
              taskId = value == JsonToken.VALUE_NULL ? null : p.getValueAsString();
          case "occurred_at" -> occurredAt = Instant.parse(p.getValueAsString());
          default -> p.skipChildren();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable status event", e);
    }
    return new EventFields(jobId, status, taskId, occurredAt);
  }
}
