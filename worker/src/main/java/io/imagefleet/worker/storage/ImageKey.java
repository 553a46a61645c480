package io.imagefleet.worker.storage;

/**
 * Where one image of one job attempt goes. Deterministic, so a retry or a replay overwrites the
 * same object instead of adding a copy. Job ids and tenants are validated to be path-safe.
 */
public record ImageKey(String tenant, String jobId, int attempt, int index, String extension) {
  public String relativePath() {
    return tenant + "/" + jobId + "/attempt-" + attempt + "/" + index + "." + extension;
  }
}
