package io.imagefleet.worker.callback;

import java.net.InetAddress;

/**
 * Where one delivery attempt may connect, decided once per attempt: the address is then used as is
 * (pinned), so a second DNS answer cannot move the request somewhere else (DNS rebinding).
 */
sealed interface Destination {
  /** Connect to exactly this address. */
  record Vetted(InetAddress address) implements Destination {}

  /** Must not be contacted; {@code reason} names the host and the address, never a secret. */
  record Refused(String reason) implements Destination {}
}
