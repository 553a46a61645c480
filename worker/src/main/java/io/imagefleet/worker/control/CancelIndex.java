package io.imagefleet.worker.control;

import io.imagefleet.contracts.CancelRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cancel requests one worker remembers, so that a job read after its cancel still finds it:
 * exact job ids, job-id prefixes and, per tenant, the latest "every job queued up to T". Bounded
 * twice: a cancel is forgotten {@code rememberFor} after its {@code requested_at}, and beyond
 * {@code maxRemembered} cancels the oldest read is forgotten first. Thread safe: the control thread
 * adds, job runs look up.
 */
final class CancelIndex {
  private final Duration rememberFor;
  private final int maxRemembered;

  // Guarded by this.
  private final Map<String, CancelRequest> byJob = new HashMap<>();
  private final Map<String, List<CancelRequest>> prefixesByTenant = new HashMap<>();
  private final Map<String, CancelRequest> allQueuedByTenant = new HashMap<>();
  private final ArrayDeque<CancelRequest> readOrder = new ArrayDeque<>();

  CancelIndex(Duration rememberFor, int maxRemembered) {
    this.rememberFor = rememberFor;
    this.maxRemembered = maxRemembered;
  }

  /** Remembers a valid request; one already too old to remember is ignored (returns false). */
  synchronized boolean add(CancelRequest request, Instant now) {
    if (isExpired(request, now)) {
      return false;
    }
    switch (request.scope()) {
      case JOB -> byJob.put(jobKey(request.tenant(), request.jobId()), request);
      case PREFIX ->
          prefixesByTenant.computeIfAbsent(request.tenant(), t -> new ArrayList<>()).add(request);
      case ALL_QUEUED ->
          allQueuedByTenant.merge(
              request.tenant(),
              request,
              (old, neu) -> neu.requestedAt().isAfter(old.requestedAt()) ? neu : old);
    }
    readOrder.add(request);
    while (readOrder.size() > maxRemembered || isExpired(readOrder.peek(), now)) {
      forget(readOrder.poll());
    }
    return true;
  }

  /** The remembered request that covers the job, if any. */
  synchronized Optional<CancelRequest> match(
      String tenant, String jobId, Instant publishedAt, Instant now) {
    List<CancelRequest> candidates = new ArrayList<>(3);
    candidates.add(byJob.get(jobKey(tenant, jobId)));
    candidates.addAll(prefixesByTenant.getOrDefault(tenant, List.of()));
    candidates.add(allQueuedByTenant.get(tenant));
    return candidates.stream()
        .filter(r -> r != null && !isExpired(r, now) && r.covers(tenant, jobId, publishedAt))
        .findFirst();
  }

  /** Cancels remembered now. */
  synchronized int size() {
    return readOrder.size();
  }

  private void forget(CancelRequest request) {
    switch (request.scope()) {
      case JOB -> byJob.remove(jobKey(request.tenant(), request.jobId()), request);
      case PREFIX -> {
        List<CancelRequest> prefixes = prefixesByTenant.get(request.tenant());
        if (prefixes != null) {
          prefixes.remove(request);
          if (prefixes.isEmpty()) {
            prefixesByTenant.remove(request.tenant());
          }
        }
      }
      case ALL_QUEUED -> allQueuedByTenant.remove(request.tenant(), request);
    }
  }

  private boolean isExpired(CancelRequest request, Instant now) {
    return request != null && request.requestedAt().plus(rememberFor).isBefore(now);
  }

  private static String jobKey(String tenant, String jobId) {
    return tenant + "/" + jobId;
  }
}
