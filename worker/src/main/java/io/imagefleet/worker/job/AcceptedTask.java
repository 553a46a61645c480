package io.imagefleet.worker.job;

import io.imagefleet.worker.events.StatusEvents.Routing;
import io.imagefleet.worker.resilience.RouteGuard;
import java.time.Duration;
import java.time.Instant;

/**
 * A task the upstream accepted for the job, handed from submission to polling and on to the ending.
 *
 * @param route the route that took the task; its guard carries the polls and downloads
 * @param routing the route and, after a fallback, why the job left its own
 * @param acceptedAt when the upstream accepted it (or when a resumed run took it over)
 * @param estimate the upstream's estimate of the whole task, zero when unknown
 */
record AcceptedTask(
    RouteGuard route, Routing routing, String id, Instant acceptedAt, Duration estimate) {}
