package io.imagefleet.sandbox.upstream;

import java.util.OptionalInt;

/**
 * A fault a prompt marker asks for: the first {@code times} calls answer {@code kind}.
 *
 * @param retryAfterSeconds the {@code Retry-After} of a scripted 429; empty = the knobs' value
 */
record ScriptedFault(FaultKind kind, int times, OptionalInt retryAfterSeconds) {

  ScriptedFault withRetryAfter(int seconds) {
    return new ScriptedFault(kind, times, OptionalInt.of(seconds));
  }
}
