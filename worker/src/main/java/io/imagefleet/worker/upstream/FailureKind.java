package io.imagefleet.worker.upstream;

/** What the fleet should do about a failed upstream call. */
public enum FailureKind {
  /** Transient (5xx, timeout, IO): retry on the same route, then fall over to the next route. */
  TRANSIENT(true),
  /**
   * The upstream asked to slow down (429): flow control, not failure. It never counts toward a
   * breaker; the call waits for the route's pace (and its {@code Retry-After}) and is made again.
   * Throttling is no reason to pay for another route.
   */
  THROTTLED(false),
  /** The route refuses calls (its breaker is open): skip it without spending a retry. */
  ROUTE_UNAVAILABLE(true),
  /** The request's own fault (400, content policy...): retrying as is cannot help; fail the job. */
  REJECTED(false),
  /** Every call would fail (bad key, no credit): stop spending; retrying cannot help. */
  STOP_SPENDING(false);

  private final boolean worthAnotherRoute;

  FailureKind(boolean worthAnotherRoute) {
    this.worthAnotherRoute = worthAnotherRoute;
  }

  /** Whether another route might serve the job. */
  public boolean worthAnotherRoute() {
    return worthAnotherRoute;
  }
}
