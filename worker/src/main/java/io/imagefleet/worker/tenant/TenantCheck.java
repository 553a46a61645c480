package io.imagefleet.worker.tenant;

import io.imagefleet.contracts.ErrorCodes;
import io.imagefleet.contracts.JobError;
import io.imagefleet.contracts.JobIdentity;
import io.imagefleet.contracts.JobRequest;
import io.imagefleet.contracts.TenantName;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a job may run as the tenant it names, given the topic it was read from: on a
 * tenant's own topic only as that tenant; on the shared topic only as a tenant allowed there that
 * has no topic of its own; and only with a callback destination its tenant is allowed. A tenant
 * name that is not canonical is left to validation, which fails it {@code invalid_job}. Stateless
 * apart from the directory it reads.
 */
public final class TenantCheck {
  private final String sharedTopic;
  private final TenantDirectory directory;

  public TenantCheck(String sharedTopic, TenantDirectory directory) {
    this.sharedTopic = sharedTopic;
    this.directory = directory;
  }

  /** Why {@code job}, read from {@code topic}, may not run; empty when it may. */
  public Optional<JobError> refusal(String topic, JobRequest job) {
    String claimed = job.tenant();
    Optional<String> owner = directory.topics().tenantOfJobs(topic);
    if (owner.isPresent()) {
      if (!owner.get().equals(claimed)) {
        return Optional.of(
            JobError.of(
                ErrorCodes.TENANT_MISMATCH,
                "the job names tenant '"
                    + JobIdentity.bounded(claimed)
                    + "' but was published to the jobs topic of tenant '"
                    + owner.get()
                    + "': a tenant's topic takes only that tenant's jobs",
                false));
      }
    } else if (topic.equals(sharedTopic) && TenantName.isCanonical(claimed)) {
      if (directory.hasOwnTopic(claimed)) {
        return Optional.of(
            JobError.of(
                ErrorCodes.TENANT_NOT_ALLOWED,
                "tenant '"
                    + claimed
                    + "' has its own jobs topic, "
                    + directory.topics().jobs(claimed)
                    + ": its jobs are taken from there only",
                false));
      }
      if (!directory.allowedOnSharedTopic(claimed)) {
        return Optional.of(
            JobError.of(
                ErrorCodes.TENANT_NOT_ALLOWED,
                "tenant '"
                    + claimed
                    + "' may not publish on the shared jobs topic ("
                    + directory.sharedTopicRule()
                    + ")",
                false));
      }
    }
    return callbackRefusal(job);
  }

  private Optional<JobError> callbackRefusal(JobRequest job) {
    Optional<List<String>> prefixes = directory.settings().callbackPrefixesOf(job.tenant());
    String url = job.callbackUrl();
    if (prefixes.isEmpty() || url == null || url.isBlank()) {
      return Optional.empty();
    }
    String normalized;
    try {
      // "/catalog/../other/" must not pass as under "/catalog/".
      normalized = URI.create(url).normalize().toString();
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // not a URL at all: validation fails the job invalid_job
    }
    if (prefixes.get().stream().anyMatch(normalized::startsWith)) {
      return Optional.empty();
    }
    return Optional.of(
        JobError.of(
            ErrorCodes.CALLBACK_NOT_ALLOWED,
            "callback_url is not under a destination allowed for tenant '"
                + job.tenant()
                + "' (tenants."
                + job.tenant()
                + ".callback-prefixes)",
            false));
  }
}
