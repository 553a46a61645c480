package io.imagefleet.contracts;

/**
 * Trace context on the fleet's records, as W3C Trace Context defines it
 * (https://www.w3.org/TR/trace-context/): a producer may put {@link #TRACEPARENT} on a job record,
 * and the fleet continues that trace; the job's terminal event carries it on, as does the HTTP
 * callback (an HTTP header of the same name). The value is the UTF-8 text {@code 00-<32 hex trace
 * id>-<16 hex span id>-<2 hex flags>}. A missing or malformed header is ignored: the job then
 * starts a trace of its own (when the fleet traces at all).
 */
public final class TraceHeaders {
  /** Kafka record header and HTTP header carrying the W3C {@code traceparent}. */
  public static final String TRACEPARENT = "traceparent";

  private TraceHeaders() {}
}
