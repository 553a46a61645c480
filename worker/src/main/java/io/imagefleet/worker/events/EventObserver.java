package io.imagefleet.worker.events;

import io.imagefleet.contracts.StatusEvent;

/**
 * What the worker tells operators about its jobs, through one narrow hook instead of meter calls
 * sprinkled through the pipeline. Jobs by status and route and spend per tenant and route come from
 * the acknowledged status events themselves; fallbacks and dead letters are reported where they
 * happen. Implementations (metrics) must be thread safe, quick and must never throw: they run on
 * the producer's IO thread and on job threads.
 */
public interface EventObserver {
  /** Observes nothing. */
  EventObserver NONE = new EventObserver() {};

  /** A status event that Kafka has acknowledged. */
  default void published(StatusEvent event) {}

  /**
   * A job moved from one route to another; {@code reason} is a short code such as {@code
   * route_unavailable}.
   */
  default void fallback(String fromRoute, String toRoute, String reason) {}

  /**
   * A record went to the dead-letter topic and Kafka acknowledged it; {@code reason} is a short
   * code.
   */
  default void deadLettered(String reason) {}
}
