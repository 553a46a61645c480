package io.imagefleet.worker.state;

import io.imagefleet.contracts.Json;
import java.io.IOException;
import java.io.UncheckedIOException;

/** JSON for {@link JobState}, with the contracts' one mapper. */
public final class StateCodec {
  private StateCodec() {}

  public static byte[] encode(JobState state) {
    try {
      return Json.mapper().writeValueAsBytes(state);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise the state of job " + state.jobId(), e);
    }
  }

  /**
   * The state in {@code bytes}; {@code null} for a tombstone or a record this version cannot read.
   */
  public static JobState decode(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    try {
      return Json.mapper().readValue(bytes, JobState.class);
    } catch (IOException e) {
      return null;
    }
  }
}
